"""HTTP routes of the mobilisation roster: level call lists, what grids can field, gaps.

People's names and phones leave here masked (geo.privacy) until access control decides who
may see them in full.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api.map import plain
from dashboard.state import connection
from geo.features import BadParameter
from geo.mobilisation import (
    DEFAULT_PER_ROLE,
    LEVEL_ROLES,
    call_list,
    fielding,
    fielding_totals,
    gaps_page,
    grid_point,
    masked,
    parse_level,
)
from geo.regions import UnknownRegion

roster_api = Blueprint("gridcmd_roster_api", __name__)


def mobilisation_answer(conn, args) -> dict:
    """The /api/mobilisation answer for query `args` (also drawn by the printable call list).

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


@roster_api.get("/api/mobilisation")
def mobilisation():
    """Level I/II/III: roles and shares, and per-grid fielding or (given lat/lng or grid) the
    masked call list of the nearest on-duty people per role."""
    with connection() as conn:
        try:
            answer = mobilisation_answer(conn, request.args)
        except UnknownRegion as exc:
            return jsonify({"error": "not_found", "message": str(exc)}), 404
    return jsonify(plain(answer))


GAPS_PAGE, GAPS_PAGE_MAX = 500, 1000


@roster_api.get("/api/mobilisation/gaps")
def mobilisation_gaps():
    """Grids left without an on-duty grid worker or building head, one page (`limit`,
    `offset`); `total` counts them all."""
    limit = _page_number("limit", GAPS_PAGE, 1, GAPS_PAGE_MAX)
    offset = _page_number("offset", 0, 0, 10_000_000)
    with connection() as conn:
        rows, total = gaps_page(conn, limit, offset)
    following = offset + limit if offset + limit < total else None
    return jsonify(plain({"total": total, "limit": limit, "offset": offset,
                          "next_offset": following, "rows": rows}))


def _page_number(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name, str(default))
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadParameter(name, f"a whole number, {low}..{high}")
    return int(text)
