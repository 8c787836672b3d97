"""Place search (查房知人): addresses, compound, grid and community names and codes → regions."""

from __future__ import annotations

from typing import Any

import psycopg

from geo.errors import BadParameter
from geo.params import Bbox
from geo.sqlfiles import read_sql

MAX_QUERY_CHARS = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
BOUNDED_KINDS = ("town", "community", "grid", "compound", "building")


def check_query(q: str | None) -> str:
    """The search text, stripped; BadParameter('q') when empty or longer than 100 characters."""
    text = (q or "").strip()
    if not text:
        raise BadParameter("q", "required: part of an address, a name or a code")
    if len(text) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"at most {MAX_QUERY_CHARS} characters")
    return text


def _escape_like(text: str) -> str:
    # A typed % or _ means itself, not a wildcard (backslash is ILIKE's default escape).
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(conn: psycopg.Connection, q: str, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """Up to `limit` regions matching `q`, best first: [{kind, code, label, bounds}]."""
    text = check_query(q)
    if not 1 <= limit <= MAX_LIMIT:
        raise BadParameter("limit", f"must be 1-{MAX_LIMIT}")
    escaped = _escape_like(text)
    rows = conn.execute(read_sql("queries/search.sql"), {
        "q": text, "contains": f"%{escaped}%", "prefix": f"{escaped}%", "lim": limit,
    }).fetchall()
    return [{"kind": kind, "code": code, "label": label, "bounds": (w, s, e, n)}
            for kind, code, label, w, s, e, n in rows]


def region_bounds(conn: psycopg.Connection, kind: str, code: str) -> Bbox | None:
    """(west, south, east, north) of a town, community, grid, compound or building, or None."""
    if kind not in BOUNDED_KINDS:
        return None
    row = conn.execute(read_sql("queries/region_bounds.sql"),
                       {"kind": kind, "code": code}).fetchone()
    return tuple(row) if row and row[0] is not None else None
