"""Drill-down: the record of one community, grid, compound, building or H3 cell."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.errors import BadParameter
from geo.h3shapes import AGGREGATE_RESOLUTIONS
from geo.privacy import mask_person
from geo.sqlfiles import read_composed, read_sql

REGION_KINDS = ("community", "grid", "compound", "building", "h3")


class UnknownRegion(LookupError):
    """No region of that kind has that code."""


class OutsideScope(LookupError):
    """The region lies outside every community of the caller's scope (answered 403)."""


Scope = tuple[str, ...] | None  # community codes a community user may see; None: the town


def scoped_outline(conn: psycopg.Connection, outline: dict[str, Any],
                   communities: Scope) -> dict[str, Any]:
    """`outline` cut to the scope's communities (an H3 cell spans several); OutsideScope if none.

    A cell used to belong to the community under its centre, so a community user drilling
    into a res-7 cell saw six neighbours' buildings. Cut, it counts only the scope's part, and
    names as its community the scope's community holding most of it.
    """
    if communities is None:
        return outline
    row = conn.execute(read_sql("queries/region_scope_clip.sql"),
                       {"geom": outline["geom"], "scope": list(communities)}).fetchone()
    if row is None or row[0] is None:
        raise OutsideScope("outside the communities assigned to this user")
    return {**outline, "geom": row[0], "community_code": row[1]}


def _parse_cell(code: str) -> tuple[int, int]:
    try:
        cell = int(code, 16)
    except ValueError:
        raise BadParameter("code", f"an H3 cell is a hex index, got {code[:20]!r}") from None
    res = (cell >> 52) & 15
    if res not in AGGREGATE_RESOLUTIONS:
        raise BadParameter("code", "H3 cell resolution must be 7-10")
    return cell, res


def region_record(conn: psycopg.Connection, kind: str, code: str,
                  window: tuple[datetime, datetime], unmask: bool = False,
                  communities: Scope = None) -> dict[str, Any]:
    """Everything the side panel shows for one region, as plain JSON-ready values.

    Names, phones and ID numbers (staff; a building's residents) are masked unless `unmask`.
    `communities` (a community user's scope) keeps only what lies in those communities: an H3
    cell is cut to them (OutsideScope when it misses them all); buildings, households, residents
    and staff count only from the scope's grids.
    """
    if kind not in REGION_KINDS:
        raise BadParameter("kind", f"must be one of {', '.join(REGION_KINDS)}")
    keys = region_keys(kind, code, communities)
    cur = conn.cursor(row_factory=dict_row)
    outline = cur.execute(read_sql("queries/region_outline.sql"), keys).fetchone()
    if outline is None:
        raise UnknownRegion(f"no {kind} with code {code}")
    if kind == "h3":  # other kinds lie in one community: the caller's check_community decides
        outline = scoped_outline(conn, outline, communities)
    people = cur.execute(read_composed("queries/region_people.sql",
                                       members="region_members"), keys).fetchone()
    buildings = people.pop("buildings")
    since, until = window
    activity = cur.execute(read_sql("queries/region_activity.sql"),
                           {"geom": outline["geom"], "since": since, "until": until}).fetchone()
    resources = cur.execute(read_sql("queries/region_resources.sql"),
                            {"geom": outline["geom"]}).fetchall()
    staff = cur.execute(read_composed("queries/region_staff.sql", members="region_members"),
                        keys).fetchall()
    residents = (cur.execute(read_sql("queries/region_residents.sql"), keys).fetchall()
                 if kind == "building" else [])
    median = people.pop("median_update_epoch")
    return {
        "kind": kind,
        "code": code,
        "name": outline["name"],
        "parents": _parents(conn, kind, outline),
        "buildings": buildings,
        **people,
        "median_update": datetime.fromtimestamp(median, UTC) if median else None,
        **activity,
        "resources": resources,
        "community_code": outline["community_code"],
        "personal_data": "clear" if unmask else "masked",
        "staff": [_personal(row, unmask) for row in staff],
        "persons": [_personal(row, unmask) for row in residents],
        "window": {"since": since, "until": until},
    }


def region_keys(kind: str, code: str, communities: Scope = None) -> dict[str, Any]:
    """The parameters of the region_*.sql queries for one region (and the caller's scope)."""
    cell, res = _parse_cell(code) if kind == "h3" else (None, None)
    return {"kind": kind, "code": code, "cell": cell, "res": res,
            "scope": None if communities is None else list(communities)}


def region_community(conn: psycopg.Connection, kind: str, code: str,
                     communities: Scope = None) -> str | None:
    """The community a region lies in (None: outside every community); UnknownRegion if none.

    With a scope, an H3 cell's community is the scope's community holding most of it
    (OutsideScope when it lies outside them all).
    """
    if kind not in REGION_KINDS:
        raise BadParameter("kind", f"must be one of {', '.join(REGION_KINDS)}")
    row = conn.cursor(row_factory=dict_row).execute(
        read_sql("queries/region_outline.sql"), region_keys(kind, code)).fetchone()
    if row is None:
        raise UnknownRegion(f"no {kind} with code {code}")
    if kind == "h3":
        row = scoped_outline(conn, row, communities)
    return row["community_code"]


def _personal(row: dict[str, Any], unmask: bool) -> dict[str, Any]:
    """The row in clear when `unmask`, else masked (张*三, 138****5678, 110105******1234)."""
    return row if unmask else mask_person(row)


def _name(conn: psycopg.Connection, kind: str, code: str) -> tuple[str, str | None]:
    row = conn.execute(read_sql("queries/region_name.sql"), {"kind": kind, "code": code}).fetchone()
    return (row[0], row[1]) if row else (code, None)


def _parents(conn: psycopg.Connection, kind: str, outline: dict[str, Any]) -> list[dict]:
    """Breadcrumb above the region: town → community → grid → compound."""
    chain: list[dict] = []
    community = outline.get("community_code")
    if community:
        name, town_code = _name(conn, "community", community)
        if town_code:
            town_name = _name(conn, "town", town_code)[0]
            chain.append({"kind": "town", "code": town_code, "name": town_name})
        if kind != "community":
            chain.append({"kind": "community", "code": community, "name": name})
    for parent_kind, key in (("grid", "grid_code"), ("compound", "compound_code")):
        code = outline.get(key)
        if code and parent_kind != kind:
            name = _name(conn, parent_kind, code)[0]
            chain.append({"kind": parent_kind, "code": code, "name": name})
    return chain
