"""The mobilisation roster (动员): levels I/II/III, what each grid can field, gaps, call lists."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.errors import BadParameter
from geo.operations import MAX_NEAREST, STAFF_ROLES, _number
from geo.privacy import mask_person
from geo.regions import UnknownRegion
from geo.sqlfiles import read_sql

TEAM = "team"  # response teams are resources of kind 'team', not staff rows
# Which roles each level calls and what share of those on duty (III is the lightest, I all).
# A call list around a point asks for the nearest ceil(n x share) of each role.
LEVEL_ROLES: dict[str, dict[str, float]] = {
    "III": {"grid_worker": 1.0, "building_head": 1.0},
    "II": {"grid_worker": 1.0, "building_head": 1.0, "street_head": 1.0,
           "volunteer": 0.5, "party_member": 0.5},
    "I": {**{role: 1.0 for role in STAFF_ROLES}, TEAM: 1.0},
}
LEVELS = tuple(LEVEL_ROLES)
CALL_ROLES = (*STAFF_ROLES, TEAM)  # the order of a call list
DEFAULT_PER_ROLE = 10


def parse_level(text: str | None) -> str:
    """'I', 'II' or 'III' (also 1/2/3, any case); anything else is a BadParameter."""
    value = (text or "").strip().upper()
    value = {"1": "I", "2": "II", "3": "III"}.get(value, value)
    if value not in LEVEL_ROLES:
        raise BadParameter("level", f"must be one of {', '.join(LEVELS)}")
    return value


def _level_arrays(level: str) -> dict[str, list]:
    roles = LEVEL_ROLES[parse_level(level)]
    return {"roles": list(roles), "shares": list(roles.values())}


def fielding(conn: psycopg.Connection, level: str) -> list[dict[str, Any]]:
    """Per grid: on-duty people (and teams) by role, and how many `level` calls from each."""
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(read_sql("queries/mobilisation_fielding.sql"),
                       _level_arrays(level)).fetchall()


def fielding_totals(rows: list[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Town totals of `fielding` rows: {"on_duty": {role: n}, "called": {role: n}}."""
    totals: dict[str, dict[str, int]] = {"on_duty": {}, "called": {}}
    for row in rows:
        for key in totals:
            for role, n in row[key].items():
                totals[key][role] = totals[key].get(role, 0) + int(n)
    return totals


def gaps(conn: psycopg.Connection, limit: int | None = None, offset: int = 0
         ) -> list[dict[str, Any]]:
    """Grids with no on-duty grid worker or no on-duty building head, worst first
    (`limit` rows from `offset`; None: all)."""
    return gaps_page(conn, limit, offset)[0]


def gaps_page(conn: psycopg.Connection, limit: int | None, offset: int = 0
              ) -> tuple[list[dict[str, Any]], int]:
    """(one page of the gap grids, how many gap grids there are in all)."""
    cur = conn.cursor(row_factory=dict_row)
    rows = cur.execute(read_sql("queries/mobilisation_gaps.sql"),
                       {"limit": limit, "offset": offset}).fetchall()
    total = rows[0]["gaps_total"] if rows else (
        0 if offset == 0 else gaps_page(conn, 1, 0)[1])
    for row in rows:
        del row["gaps_total"]
    return rows, total


def per_role_counts(level: str, n: int) -> dict[str, int]:
    """How many of each role a call list of `level` asks for when n per role is wanted."""
    return {role: max(1, math.ceil(n * share - 1e-9))
            for role, share in LEVEL_ROLES[parse_level(level)].items()}


def grid_point(conn: psycopg.Connection, grid: str) -> tuple[float, float]:
    """(lat, lng) of a point inside grid `grid`; UnknownRegion when there is no such grid."""
    row = conn.execute(read_sql("queries/mobilisation_grid_point.sql"), {"grid": grid}).fetchone()
    if row is None:
        raise UnknownRegion(f"no grid with code {grid}")
    return float(row[0]), float(row[1])


def call_list(conn: psycopg.Connection, level: str, lat: str | float | None,
              lng: str | float | None, n: str | int | None = DEFAULT_PER_ROLE
              ) -> list[dict[str, Any]]:
    """The nearest on-duty people of every role `level` calls (and teams), with metres."""
    point = {"lat": _number("lat", lat, -90, 90), "lng": _number("lng", lng, -180, 180)}
    wanted = int(_number("n", n if n is not None else DEFAULT_PER_ROLE, 1, MAX_NEAREST))
    counts = per_role_counts(level, wanted)
    roles = [role for role in CALL_ROLES if role in counts]
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(read_sql("queries/mobilisation_call_list.sql"),
                       {**point, "roles": roles, "counts": [counts[r] for r in roles]}
                       ).fetchall()


def masked(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of roster rows with people's names and phones masked (teams, depots are kept)."""
    return [mask_person(row) if row.get("role") in STAFF_ROLES else dict(row) for row in rows]


def roster_answer(conn: psycopg.Connection, args: Mapping[str, Any]) -> dict:
    """The /api/mobilisation answer for query `args` (the route, the printable call list and
    the zones box all read it).

    Without a point or grid: what every grid fields at the level. With one: the call list
    (add fielding=1 to get both; the per-grid table is large at district scale).
    """
    level = parse_level(args.get("level", "III"))
    grid = (args.get("grid") or "").strip() or None
    lat, lng = args.get("lat"), args.get("lng")
    wants_list = bool(grid) or lat is not None or lng is not None
    answer: dict = {"level": level, "roles": LEVEL_ROLES[level], "grid": grid, "centre": None,
                    "call_list": [], "fielding": None, "totals": None}
    if grid:
        lat, lng = grid_point(conn, grid)
    if wants_list:
        answer["call_list"] = masked(call_list(conn, level, lat, lng,
                                               args.get("n", DEFAULT_PER_ROLE)))
        answer["centre"] = {"lat": float(lat), "lng": float(lng)}
    if not wants_list or args.get("fielding") == "1":
        rows = fielding(conn, level)
        answer["fielding"], answer["totals"] = rows, fielding_totals(rows)
    return answer
