"""HTTP routes for emergency operations: 12345 performance, data freshness, nearest roster."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request

from dashboard.api.map import plain
from dashboard.api.paging import next_offset, page_args, whole_number
from dashboard.response_cache import shared_answer
from dashboard.state import read_connection
from geo.mobilisation import masked
from geo.operations import (
    freshness_totals,
    grid_freshness,
    hotline_performance,
    nearest,
    ranking_total,
)
from geo.params import one_of
from geo.timewindow import TOWN_TZ, window_from

operations_api = Blueprint("gridcmd_operations_api", __name__)


# Default rows per page of the ranking and freshness tables: a town's grids (~300) fit on
# the first; a city (6,000 grids at 20 towns) is paged.
PAGE = 500
PAGE_MAX = 1000
ORDERS = ("asc", "desc")


@operations_api.get("/api/performance")
@shared_answer()
def performance():
    """接诉即办 ranking per community (default) or grid for the window, with the trend; one
    page (`limit`, `offset`), best first or by the column `sort` (`order` asc | desc).
    `total` counts every row of the ranking."""
    window = window_from(request.args)
    level = request.args.get("level", "community")
    town = request.args.get("town") or None
    limit, offset = page_args(PAGE, PAGE_MAX)
    sort = request.args.get("sort") or None
    raw = request.args.get("order") or ""  # exactly asc or desc; empty: asc
    order = one_of("order", raw, raw, ORDERS, "asc or desc") or "asc"
    with read_connection() as conn:  # read-only: the replica when one serves
        rows = hotline_performance(conn, level, window, town, limit, offset, sort,
                                   order == "desc")
        total = ranking_total(conn, level, town)
    return jsonify(plain({"level": level, "town": town, "since": window[0], "until": window[1],
                          "sort": sort, "order": order,
                          "total": total, "limit": limit, "offset": offset,
                          "next_offset": next_offset(offset, limit, total), "rows": rows}))


@operations_api.get("/api/freshness")
@shared_answer(follows_clock=lambda: True)  # days up to now
def freshness():
    """Per grid, oldest first, one page (`limit`, `offset`): how old its household data is and
    how complete; stale after `stale_days`. `total`/`stale_total` count every grid."""
    stale_days = whole_number("stale_days", 90, 1, 3650)
    limit, offset = page_args(PAGE, PAGE_MAX)
    now = datetime.now(TOWN_TZ)
    with read_connection() as conn:  # read-only
        rows = grid_freshness(conn, now, stale_days, limit, offset)
        totals = freshness_totals(conn, now, stale_days)
    return jsonify(plain({"stale_days": stale_days, "total": totals["grids"],
                          "stale_total": totals["stale"], "limit": limit, "offset": offset,
                          "next_offset": next_offset(offset, limit, totals["grids"]),
                          "rows": rows}))


@operations_api.get("/api/roster/nearest")
def roster_nearest():
    """The nearest `n` people of a role (names masked) or resources of a kind to `lat`, `lng`."""
    args = request.args
    with read_connection() as conn:  # read-only
        rows = nearest(conn, args.get("kind", ""), args.get("lat"), args.get("lng"),
                       args.get("n", "10"))
    return jsonify(plain({"rows": masked(rows)}))  # staff names masked (geo.privacy)
