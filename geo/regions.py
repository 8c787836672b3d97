"""Drill-down: the record of one community, grid, compound, building or H3 cell."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.features import BadParameter
from geo.h3shapes import AGGREGATE_RESOLUTIONS
from geo.privacy import mask_person
from geo.sqlfiles import read_sql

REGION_KINDS = ("community", "grid", "compound", "building", "h3")


class UnknownRegion(LookupError):
    """No region of that kind has that code."""


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
                  window: tuple[datetime, datetime], unmask: bool = False) -> dict[str, Any]:
    """Everything the side panel shows for one region, as plain JSON-ready values.

    Names, phones and ID numbers (staff; a building's residents) are masked unless `unmask`.
    """
    if kind not in REGION_KINDS:
        raise BadParameter("kind", f"must be one of {', '.join(REGION_KINDS)}")
    cell, res = _parse_cell(code) if kind == "h3" else (None, None)
    keys = {"kind": kind, "code": code, "cell": cell, "res": res}
    cur = conn.cursor(row_factory=dict_row)
    outline = cur.execute(read_sql("queries/region_outline.sql"), keys).fetchone()
    if outline is None:
        raise UnknownRegion(f"no {kind} with code {code}")
    buildings = conn.execute(read_sql("queries/region_buildings.sql"), keys).fetchone()[0]
    people = cur.execute(read_sql("queries/region_people.sql"),
                         {"buildings": buildings}).fetchone()
    since, until = window
    activity = cur.execute(read_sql("queries/region_activity.sql"),
                           {"geom": outline["geom"], "since": since, "until": until}).fetchone()
    resources = cur.execute(read_sql("queries/region_resources.sql"),
                            {"geom": outline["geom"]}).fetchall()
    staff = cur.execute(read_sql("queries/region_staff.sql"), {"buildings": buildings}).fetchall()
    residents = (cur.execute(read_sql("queries/region_residents.sql"), keys).fetchall()
                 if kind == "building" else [])
    median = people.pop("median_update_epoch")
    return {
        "kind": kind,
        "code": code,
        "name": outline["name"],
        "parents": _parents(conn, kind, outline),
        "buildings": len(buildings),
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


def region_community(conn: psycopg.Connection, kind: str, code: str) -> str | None:
    """The community a region lies in (None: outside every community); UnknownRegion if none."""
    if kind not in REGION_KINDS:
        raise BadParameter("kind", f"must be one of {', '.join(REGION_KINDS)}")
    cell, res = _parse_cell(code) if kind == "h3" else (None, None)
    row = conn.execute(read_sql("queries/region_outline.sql"),
                       {"kind": kind, "code": code, "cell": cell, "res": res}).fetchone()
    if row is None:
        raise UnknownRegion(f"no {kind} with code {code}")
    return row[2]


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
