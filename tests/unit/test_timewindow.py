"""Time windows: defaults, bare dates through the end of the day, clear errors."""

from datetime import datetime, timedelta

import pytest

from geo.errors import BadParameter
from geo.timewindow import TOWN_TZ, parse_window


def test_default_is_the_last_30_days():
    now = datetime(2026, 11, 25, 12, 0, tzinfo=TOWN_TZ)
    since, until = parse_window(None, None, now=now)
    assert until == now and until - since == timedelta(days=30)


def test_bare_until_date_includes_that_day():
    since, until = parse_window("2026-11-01", "2026-11-07")
    assert since == datetime(2026, 11, 1, tzinfo=TOWN_TZ)
    assert until == datetime(2026, 11, 8, tzinfo=TOWN_TZ)


@pytest.mark.parametrize(("since", "until", "name"), [
    ("2026-13-01", None, "since"),
    (None, "yesterday", "until"),
    ("2026-11-08", "2026-11-01", "since"),
    ("1990-01-01", "2026-01-01", "since"),
])
def test_bad_windows_name_the_parameter(since, until, name):
    with pytest.raises(BadParameter) as err:
        parse_window(since, until)
    assert err.value.parameter == name
