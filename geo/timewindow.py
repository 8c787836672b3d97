"""Time windows [since, until) for cases and tickets, read from request or CLI parameters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from geo.errors import BadParameter

TOWN_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_DAYS = 30
MAX_DAYS = 3660
# Moments outside these years are typos (9999-12-31, 0001-01-01): refused before any date
# arithmetic (the next midnight, the previous window) can overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _parse_moment(name: str, text: str, end_of_day: bool) -> datetime:
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            # a bare `until` date means "through that day": the window ends at next midnight
            moment = datetime.combine(day + timedelta(days=1 if end_of_day else 0), time())
        else:
            moment = datetime.fromisoformat(text)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise OverflowError
    except ValueError:
        raise BadParameter(name, f"not a date (YYYY-MM-DD) or ISO time: {text[:40]!r}") from None
    except OverflowError:
        raise BadParameter(name, f"outside the years {FIRST_YEAR}-{LAST_YEAR}: {text[:40]!r}"
                           ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=TOWN_TZ)


def parse_window(since: str | None, until: str | None, now: datetime | None = None,
                 default_days: int = DEFAULT_DAYS) -> tuple[datetime, datetime]:
    """(since, until) as aware datetimes; defaults to the last `default_days` days up to now."""
    end = (_parse_moment("until", until, end_of_day=True) if until and until.strip()
           else (now or datetime.now(TOWN_TZ)))
    start = (_parse_moment("since", since, end_of_day=False) if since and since.strip()
             else end - timedelta(days=default_days))
    if start >= end:
        raise BadParameter("since", "must be earlier than until")
    if end - start > timedelta(days=MAX_DAYS):
        raise BadParameter("since", f"window longer than {MAX_DAYS} days")
    return start, end


def window_from(args: Mapping[str, Any], default_days: int = DEFAULT_DAYS,
                now: datetime | None = None) -> tuple[datetime, datetime]:
    """The window named by a request's `since`/`until` (query string or JSON body).

    Every HTTP route that accepts since/until reads them here, whether or not its answer
    uses the window (an H3 metric without one, say): a typo is a 400 naming the parameter on
    every route, never ignored on some.
    """
    texts = []
    for name in ("since", "until"):
        value = args.get(name)
        if value is not None and not isinstance(value, str):
            raise BadParameter(name, "a date (YYYY-MM-DD) or ISO time, as text")
        texts.append(value)
    return parse_window(texts[0], texts[1], now=now, default_days=default_days)
