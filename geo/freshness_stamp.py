"""The one "数据截至 / data as of" moment shown by the print view, the briefing and the wall."""

from __future__ import annotations

from datetime import datetime

import psycopg

from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ

STAMP_FORMAT = "%Y-%m-%d %H:%M"  # town time, to the minute: what a reader of a map needs


def data_as_of(conn: psycopg.Connection) -> datetime | None:
    """The newest change across the base and activity tables (aware), or None when empty."""
    return conn.execute(read_sql("queries/data_as_of.sql")).fetchone()[0]


def stamp_text(moment: datetime | str | None) -> str | None:
    """'2026-11-25 08:00' in town time, from an aware datetime or ISO text; None stays None."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment.astimezone(TOWN_TZ).strftime(STAMP_FORMAT)
