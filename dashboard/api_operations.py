"""HTTP routes for emergency operations: 12345 performance, data freshness, nearest roster."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request

from dashboard.api_map import plain
from dashboard.state import connection, get_state
from geo.features import BadParameter
from geo.operations import grid_freshness, hotline_performance, nearest
from geo.timewindow import TOWN_TZ, parse_window
from geo.zones import ZoneRequest, propose_zones, publish_zones

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
    """The nearest `n` people of a role or resources of a kind to `lat`, `lng`."""
    args = request.args
    with connection() as conn:
        rows = nearest(conn, args.get("kind", ""), args.get("lat"), args.get("lng"),
                       args.get("n", "10"))
    return jsonify(plain({"rows": rows}))


def _zone_request(args) -> ZoneRequest:
    since, until = parse_window(args.get("since"), args.get("until"), default_days=14)
    try:
        buffer_m = float(args.get("buffer_m", 300))
    except (TypeError, ValueError):
        raise BadParameter("buffer_m", "metres, 10..5000") from None
    days = str(args.get("days", 14))
    if not days.isdigit():
        raise BadParameter("days", "whole days, 1..60")

    def codes(name: str) -> tuple[str, ...]:
        return tuple(c for c in str(args.get(name, "")).split(",") if c.strip())

    return ZoneRequest(since=since, until=until, mode=str(args.get("mode", "grid")),
                       buffer_m=buffer_m, days=int(days), add_buildings=codes("add"),
                       remove_buildings=codes("remove"))


def _zones_geojson(zones: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": z["level"], "geometry": z["geometry"],
         "properties": {k: v for k, v in z.items() if k != "geometry"}} for z in zones]}


@operations_api.get("/api/zones")
def zones_proposal():
    """Proposed 封控区 / 管控区 / 防范区 for the window's active cases, with their needs."""
    request_ = _zone_request(request.args)
    with connection() as conn:
        zones = propose_zones(conn, request_)
    return jsonify(plain(_zones_geojson(zones)))


@operations_api.post("/api/zones/publish")
def zones_publish():
    """Publish the proposal (same parameters, JSON body) as the town's next plan version."""
    body = request.get_json(silent=True) or {}
    request_ = _zone_request(body)
    state = get_state()
    with connection() as conn:
        plan = publish_zones(conn, request_, state.settings.town_code,
                             str(body.get("published_by", "")))
    return jsonify(plan), 201
