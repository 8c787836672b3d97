"""Daily activity over a span of days (the time bar's histogram of cases and tickets)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import psycopg

from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ


def daily_activity(conn: psycopg.Connection, first: date,
                   last: date) -> list[tuple[date, int, int]]:
    """(day, cases reported, tickets received) for every town day from `first` to `last`."""
    since = datetime.combine(first, time(), TOWN_TZ)
    until = datetime.combine(last + timedelta(days=1), time(), TOWN_TZ)
    rows = conn.execute(read_sql("queries/daily_activity.sql"),
                        {"since": since, "until": until}).fetchall()
    return [(row[0], int(row[1]), int(row[2])) for row in rows]
