"""The replica router's arithmetic: WAL positions and the lag estimate (geo/replica.py).
The routing itself runs against real servers in tests/db/test_read_replica.py."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dashboard.app import create_app
from geo.database import check_replica_url
from geo.errors import ConfigError
from geo.replica import ReplicaRouter, ReplicaState, format_lsn, parse_lsn
from geo.settings import Settings


@pytest.mark.parametrize("text, value", [
    ("0/0", 0), ("0/1", 1), ("1/0", 1 << 32), ("16/B374D848", (0x16 << 32) | 0xB374D848),
    ("FFFFFFFF/FFFFFFFF", (1 << 64) - 1), ("a/b", (0xA << 32) | 0xB),
])
def test_lsns_parse_and_order_like_the_wal(text, value):
    assert parse_lsn(text) == value
    assert parse_lsn(format_lsn(value)) == value


@pytest.mark.parametrize("bad", [
    None, "", "0", "/", "0/", "/0", "0/0/0", "G/0", "0/-1", "-0/1", "123456789/0",
    "0/123456789", "0x1/2", " 0/1", "0/1 ", "０/１", "0/1\x00", "F" * 40,
])
def test_anything_else_is_not_a_position(bad):
    assert parse_lsn(bad) is None


def _router(max_lag_s: float = 5.0) -> ReplicaRouter:
    return ReplicaRouter(pool=None, primary_lsn=lambda: None, max_lag_s=max_lag_s,
                         check_s=1.0)


def test_a_replica_that_replayed_everything_has_no_lag_however_old_its_last_commit():
    router = _router()
    assert router._lag(100.0, replay=500, primary=500, since_replay=3600.0) == 0.0
    assert router._lag(100.0, replay=600, primary=500, since_replay=None) == 0.0


def test_an_idle_primary_writing_only_housekeeping_wal_is_not_lag():
    router = _router()
    router._history.append((99.0, 500))  # a probe a second ago: replica had caught up to it
    # the primary then wrote a checkpoint record; the last commit is an hour old
    assert router._lag(100.0, replay=500, primary=520, since_replay=3600.0) == pytest.approx(1.0)


def test_sparse_probes_under_steady_writes_use_the_last_replayed_commit():
    router = _router()
    router._history.append((40.0, 100))  # the previous probe was a minute ago
    assert router._lag(100.0, replay=900, primary=901, since_replay=0.02) == pytest.approx(0.02)


def test_a_paused_replica_falls_further_behind_by_both_measures():
    router = _router(max_lag_s=1.0)
    router._history.extend([(10.0, 500), (11.0, 700), (12.0, 900)])
    lag = router._lag(13.5, replay=500, primary=1000, since_replay=7.0)
    assert lag == pytest.approx(3.5)
    assert not ReplicaState(True, lag, 500, True, 13.5).fresh_enough(router.max_lag_s)
    # nothing known about when the primary was where the replica is: the commit age decides
    assert _router()._lag(13.5, replay=1, primary=1000, since_replay=7.0) == 7.0
    assert _router()._lag(13.5, replay=1, primary=1000, since_replay=None) == float("inf")


def test_a_down_replica_is_never_fresh():
    assert not ReplicaState(False, None, None, None, 0.0, "unreachable").fresh_enough(5.0)
    assert ReplicaState(True, 5.0, 1, False, 0.0).fresh_enough(5.0)


@pytest.mark.parametrize("field, value", [
    ("replica_check_s", 0), ("replica_check_s", -1), ("replica_check_s", 3601),
    ("replica_max_lag_s", -0.5), ("replica_read_your_writes_s", -1),
    ("replica_max_lag_s", "soon"),
])
def test_replica_settings_out_of_range_are_refused(field, value):
    with pytest.raises(ValidationError, match=field):
        Settings(**{field: value})


@pytest.mark.parametrize("url", [
    "not a url", "hello=world", "postgresql://[::1", "host=127.0.0.1 port",
    "postgresql://u@h/db?nosuchoption=1", "dbname='unterminated",
])
def test_a_malformed_replica_url_stops_the_app_before_any_pool(url):
    settings = Settings(replica_url=url, database_url="postgresql://postgres@127.0.0.1:1/x")
    with pytest.raises(ConfigError, match="GRIDCMD_REPLICA_URL"):
        check_replica_url(settings)
    with pytest.raises(ConfigError, match="GRIDCMD_REPLICA_URL"):
        create_app(settings)


def test_a_usable_replica_url_passes():
    check_replica_url(Settings(replica_url="postgresql://postgres@127.0.0.1:54339/gridcmd"))
    check_replica_url(Settings(replica_url="host=127.0.0.1 port=54339 dbname=gridcmd"))
    check_replica_url(Settings(replica_url=None))
