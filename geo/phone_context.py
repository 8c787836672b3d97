"""What the phone keeps for offline use: the worker's grids (outlines) and report categories."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.sqlfiles import read_sql


def my_grids(conn: psycopg.Connection, grids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The grids with code, name, community, GeoJSON outline and bbox."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(read_sql("queries/phone_my_grids.sql"),
                           {"grids": list(grids)}).fetchall()


def grid_at(conn: psycopg.Connection, lat: float, lng: float) -> str | None:
    """The grid a point lies in (None: outside every grid)."""
    row = conn.execute(
        "SELECT code FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
        " ORDER BY code LIMIT 1", [lng, lat]).fetchone()
    return row[0] if row else None


def categories(conn: psycopg.Connection, lang: str) -> list[dict[str, str]]:
    """Report categories (code, name in `lang`) of the ticket loop; 'other' when it has none."""
    if conn.execute("SELECT to_regclass('ticket_categories')").fetchone()[0] is None:
        return [{"code": "other", "name": "Other" if lang == "en" else "其他"}]
    return [{"code": code, "name": name} for code, name in conn.execute(
        "SELECT code, CASE WHEN %s = 'en' THEN name_en ELSE name_zh END FROM ticket_categories"
        " ORDER BY code = 'other', code", [lang])]
