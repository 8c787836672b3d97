"""What the wall display reads besides the KPIs: its ticker rows and the hottest grid."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.privacy import PRIVACY_MIN_COUNT
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


def case_communities(conn: psycopg.Connection, since: datetime,
                     until: datetime) -> dict[str, Any]:
    """Cases per community/village in [since, until) as a FeatureCollection (outlines, with
    `value` the count or None under the privacy minimum, `label` '12' or '<5', `centre`);
    only areas with at least one case."""
    rows = conn.execute(read_sql("queries/wall_case_communities.sql"),
                        {"since": since, "until": until,
                         "min_count": PRIVACY_MIN_COUNT}).fetchall()
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": code, "geometry": json.loads(geometry),
         "properties": properties} for code, geometry, properties in rows]}
