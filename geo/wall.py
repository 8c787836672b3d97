"""What the wall display reads besides the KPIs: its ticker rows and the hottest grid."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.sqlfiles import read_sql


def ticker_rows(conn: psycopg.Connection, now: datetime, limit: int = 12) -> list[dict[str, Any]]:
    """Newest cases and overdue tickets (kind, code, category, grid, time, lat/lng)."""
    cur = conn.cursor(row_factory=dict_row)
    rows = cur.execute(read_sql("queries/wall_feed.sql"), {"now": now, "limit": limit}).fetchall()
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def hottest_grid(conn: psycopg.Connection, since: datetime,
                 now: datetime) -> dict[str, Any] | None:
    """The grid with the most active cases since `since` with its bbox, or None when calm."""
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(read_sql("queries/wall_hottest_grid.sql"),
                       {"since": since, "now": now}).fetchone()
