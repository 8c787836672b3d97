"""HTTP routes of the mobilisation roster: level call lists, what grids can field, gaps.

People's names and phones leave here masked (geo.privacy) until access control decides who
may see them in full.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api.map import plain
from dashboard.api.paging import next_offset, page_args
from dashboard.response_cache import shared_answer
from dashboard.state import connection
from geo.mobilisation import gaps_page, roster_answer
from geo.regions import UnknownRegion

roster_api = Blueprint("gridcmd_roster_api", __name__)


@roster_api.get("/api/mobilisation")
def mobilisation():
    """Level I/II/III: roles and shares, and per-grid fielding or (given lat/lng or grid) the
    masked call list of the nearest on-duty people per role."""
    with connection() as conn:
        try:
            answer = roster_answer(conn, request.args)
        except UnknownRegion as exc:
            return jsonify({"error": "not_found", "message": str(exc)}), 404
    return jsonify(plain(answer))


GAPS_PAGE, GAPS_PAGE_MAX = 500, 1000


@roster_api.get("/api/mobilisation/gaps")
@shared_answer(follows_clock=lambda: False)  # on duty now: the rows, not the clock
def mobilisation_gaps():
    """Grids left without an on-duty grid worker or building head, one page (`limit`,
    `offset`); `total` counts them all."""
    limit, offset = page_args(GAPS_PAGE, GAPS_PAGE_MAX)
    with connection() as conn:
        rows, total = gaps_page(conn, limit, offset)
    return jsonify(plain({"total": total, "limit": limit, "offset": offset,
                          "next_offset": next_offset(offset, limit, total), "rows": rows}))


