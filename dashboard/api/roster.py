"""HTTP routes of the mobilisation roster: level call lists, what grids can field, gaps.

People's names and phones leave here masked (geo.privacy) until access control decides who
may see them in full.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api.map import plain
from dashboard.state import connection
from geo.mobilisation import gaps, roster_answer
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


@roster_api.get("/api/mobilisation/gaps")
def mobilisation_gaps():
    """Grids left without an on-duty grid worker or building head."""
    with connection() as conn:
        rows = gaps(conn)
    return jsonify(plain({"rows": rows}))
