"""Emergency-operations figures: 12345 performance, base-data freshness, nearest roster."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from geo.errors import BadParameter
from geo.sqlfiles import read_sql
from geo.ticket_days import window_params

LEVELS = ("community", "grid")
# The ranking's columns a page can be sorted on (the others are computed for a page only).
RANKING_SORTS = ("name", "tickets", "response_rate", "solve_rate", "satisfaction_rate",
                 "overdue", "trend")
STAFF_ROLES = ("grid_worker", "building_head", "street_head", "party_member", "volunteer")
RESOURCE_KINDS = ("depot", "clinic", "checkpoint", "team", "device", "shelter")
MAX_NEAREST = 200


def _ranking_scope(conn: psycopg.Connection, level: str, town_code: str | None) -> None:
    if level not in LEVELS:
        raise BadParameter("level", f"must be one of {', '.join(LEVELS)}")
    if town_code is not None:
        if not (len(town_code) == 9 and town_code.isascii() and town_code.isdigit()):
            raise BadParameter("town", "a 9-digit town code")
        if conn.execute("SELECT 1 FROM towns WHERE code = %s", [town_code]).fetchone() is None:
            raise BadParameter("town", f"no town {town_code}")


def hotline_performance(conn: psycopg.Connection, level: str,
                        window: tuple[datetime, datetime],
                        town_code: str | None = None, limit: int | None = None,
                        offset: int = 0, sort: str | None = None,
                        descending: bool = False) -> list[dict[str, Any]]:
    """接诉即办 ranking per community or grid, with the previous window for the trend; only
    one town's communities or grids when `town_code` is given (a town screen at city scale).

    Best first, or by the column `sort` (RANKING_SORTS; ties best first); `limit` rows from
    `offset` (None: every row). Top categories and repeat callers are computed for the
    returned rows only."""
    _ranking_scope(conn, level, town_code)
    if sort is not None and sort not in RANKING_SORTS:
        raise BadParameter("sort", f"must be one of {', '.join(RANKING_SORTS)}")
    since, until = window
    psince = since - (until - since)
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(read_sql("queries/hotline_performance.sql"),
                       {"level": level, "since": since, "until": until, "psince": psince,
                        "town_code": town_code, "limit": limit, "offset": offset,
                        "sort": sort, "descending": bool(descending),
                        **window_params(psince, since, "p_"),
                        **window_params(since, until, "c_")}).fetchall()


def ranking_total(conn: psycopg.Connection, level: str, town_code: str | None = None) -> int:
    """How many rows the whole ranking has: every community or grid (of the town)."""
    _ranking_scope(conn, level, town_code)
    table = sql.Identifier("communities" if level == "community" else "grids")
    return conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE %(t)s::text IS NULL "
                                "OR town_code = %(t)s").format(table),
                        {"t": town_code}).fetchone()[0]


def grid_freshness(conn: psycopg.Connection, now: datetime, stale_days: int = 90,
                   limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Per grid: age of its household forms, form coverage, gaps; `stale` past stale_days.

    Oldest first; `limit` rows from `offset` (None: every grid)."""
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(read_sql("queries/grid_freshness.sql"),
                       {"now": now, "stale_days": stale_days, "limit": limit,
                        "offset": offset}).fetchall()


def freshness_totals(conn: psycopg.Connection, now: datetime, stale_days: int) -> dict[str, int]:
    """{"grids": every grid, "stale": those stale past stale_days} (for the pages' header)."""
    grids, stale = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE coalesce(to_timestamp(median_epoch) < "
        "%(now)s::timestamptz - make_interval(days => %(stale_days)s), true)) "
        "FROM grid_freshness_stats", {"now": now, "stale_days": stale_days}).fetchone()
    return {"grids": grids, "stale": stale}


def _number(name: str, text: str | float | None, low: float, high: float) -> float:
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadParameter(name, f"a number between {low} and {high} is required") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadParameter(name, f"must lie within {low}..{high}")
    return value


def nearest(conn: psycopg.Connection, kind: str, lat: str | float | None,
            lng: str | float | None, n: str | int | None = 10) -> list[dict[str, Any]]:
    """The nearest `n` staff of a role or resources of a kind to lat/lng, with metres."""
    point = {"lat": _number("lat", lat, -90, 90), "lng": _number("lng", lng, -180, 180)}
    count = int(_number("n", n if n is not None else 10, 1, MAX_NEAREST))
    cur = conn.cursor(row_factory=dict_row)
    if kind in STAFF_ROLES:
        return cur.execute(read_sql("queries/nearest_staff.sql"),
                           {**point, "role": kind, "n": count}).fetchall()
    if kind in RESOURCE_KINDS:
        return cur.execute(read_sql("queries/nearest_resources.sql"),
                           {**point, "kind": kind, "n": count}).fetchall()
    raise BadParameter("kind", f"must be one of {', '.join(STAFF_ROLES + RESOURCE_KINDS)}")
