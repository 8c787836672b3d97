"""Cutting a ticket window into whole town days (read from the ticket_daily rollup, migration
060) and the partial days at its edges (read from the tickets themselves).

A window [since, until) of the app is usually whole days (a date picked in the UI is local
midnight); the default window (the last 30 days up to now) has a partial day at each end.
Those partial days are read ticket by ticket through the received_at index: at most two
days' tickets, whatever the window's length.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from geo.timewindow import TOWN_TZ


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), TOWN_TZ)


def whole_days(since: datetime, until: datetime) -> tuple[datetime, datetime, date, date]:
    """(full_since, full_until, day_lo, day_hi): the whole town days [day_lo, day_hi) inside
    [since, until), starting at full_since and ending at full_until. The edges
    [since, full_since) and [full_until, until) are what is left; when no whole day fits,
    both bounds are `until` (the whole window is an edge) and the day range is empty."""
    start, end = since.astimezone(TOWN_TZ), until.astimezone(TOWN_TZ)
    lo = start.date() if start.timetz().replace(tzinfo=None) == time() else (
        start.date() + timedelta(days=1))
    hi = end.date()
    if lo >= hi:
        return until, until, hi, hi
    return _midnight(lo), _midnight(hi), lo, hi


def window_params(since: datetime, until: datetime, prefix: str = "") -> dict[str, object]:
    """Query parameters for one window: {prefix}full_since, {prefix}full_until,
    {prefix}day_lo, {prefix}day_hi."""
    full_since, full_until, day_lo, day_hi = whole_days(since, until)
    return {f"{prefix}full_since": full_since, f"{prefix}full_until": full_until,
            f"{prefix}day_lo": day_lo, f"{prefix}day_hi": day_hi}
