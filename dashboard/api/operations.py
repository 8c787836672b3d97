"""HTTP routes for emergency operations: 12345 performance, data freshness, nearest roster."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request

from dashboard.api.map import plain
from dashboard.state import connection
from geo.features import BadParameter
from geo.mobilisation import masked
from geo.operations import grid_freshness, hotline_performance, nearest
from geo.timewindow import TOWN_TZ, parse_window

operations_api = Blueprint("gridcmd_operations_api", __name__)


@operations_api.get("/api/performance")
def performance():
    """接诉即办 ranking per community (default) or grid for the window, with the trend."""
    window = parse_window(request.args.get("since"), request.args.get("until"))
    level = request.args.get("level", "community")
    with connection() as conn:
        rows = hotline_performance(conn, level, window)
    return jsonify(plain({"level": level, "since": window[0], "until": window[1], "rows": rows}))


@operations_api.get("/api/freshness")
def freshness():
    """Per grid: how old its household data is and how complete; stale after `stale_days`."""
    text = request.args.get("stale_days", "90")
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise BadParameter("stale_days", "a whole number of days, 1..3650")
    with connection() as conn:
        rows = grid_freshness(conn, datetime.now(TOWN_TZ), int(text))
    return jsonify(plain({"stale_days": int(text), "rows": rows}))


@operations_api.get("/api/roster/nearest")
def roster_nearest():
    """The nearest `n` people of a role (names masked) or resources of a kind to `lat`, `lng`."""
    args = request.args
    with connection() as conn:
        rows = nearest(conn, args.get("kind", ""), args.get("lat"), args.get("lng"),
                       args.get("n", "10"))
    return jsonify(plain({"rows": masked(rows)}))  # staff names masked (geo.privacy)
