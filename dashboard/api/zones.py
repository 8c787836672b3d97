"""HTTP routes of containment zones: proposal, publication, published plans, plan export."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.api.map import plain
from dashboard.auth.trail import audit, signed_by
from dashboard.i18n import normalise
from dashboard.state import connection, get_state
from dashboard.zone_plan_file import FORMATS, check_format, plan_file
from geo.errors import BadParameter
from geo.timewindow import window_from
from geo.zones import (
    UnknownPlan,
    ZoneRequest,
    plan_zones,
    propose_zones,
    publish_zones,
    published_plans,
)

zones_api = Blueprint("gridcmd_zones_api", __name__)
_PLAN_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def zone_request(args) -> ZoneRequest:
    """A ZoneRequest from query or JSON parameters (default window: the last 14 days)."""
    since, until = window_from(args, default_days=14)
    try:
        buffer_m = float(args.get("buffer_m", 300))
    except (TypeError, ValueError):
        raise BadParameter("buffer_m", "metres, 10..5000") from None
    days = str(args.get("days", 14))
    if not days.isdigit():
        raise BadParameter("days", "whole days, 1..60")

    return ZoneRequest(since=since, until=until, mode=str(args.get("mode", "grid")),
                       buffer_m=buffer_m, days=int(days),
                       add_buildings=codes(args, "add", "add_buildings"),
                       remove_buildings=codes(args, "remove", "remove_buildings"),
                       add_compounds=codes(args, "add_compounds"),
                       remove_compounds=codes(args, "remove_compounds"))


def json_object_body() -> dict:
    """The request's JSON object body; BadParameter for another type, bad JSON or no object.

    A publication is an act with consequences: a text/plain or garbled body must not fall
    back to the default parameters and publish a plan nobody asked for.
    """
    if not request.is_json:
        raise BadParameter("body", "send the parameters as JSON (Content-Type: application/json)")
    try:
        body = request.get_json(silent=False)
    except RequestEntityTooLarge:
        raise  # past GRIDCMD_MAX_BODY_MB: 413, not a JSON problem
    except Exception:  # werkzeug's BadRequest, a RecursionError on absurd nesting
        raise BadParameter("body", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadParameter("body", "the body must be a JSON object, e.g. {\"days\": 14}")
    return body


def codes(args, *names: str) -> tuple[str, ...]:
    """The codes of a comma list (or, in a JSON body, a list) under any of `names`, in order."""
    found: list[str] = []
    for name in names:
        value = args.get(name)
        parts = value if isinstance(value, list) else str(value or "").split(",")
        found += [str(part).strip() for part in parts if str(part).strip()]
    return tuple(dict.fromkeys(found))


def _zones_geojson(zones: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": z["level"], "geometry": z["geometry"],
         "properties": {k: v for k, v in z.items() if k != "geometry"}} for z in zones]}


@zones_api.get("/api/zones")
def zones_proposal():
    """Proposed 封控区 / 管控区 / 防范区 for the window's active cases, with their needs.

    Adjusted by comma lists of codes: add= / remove= (buildings, also add_buildings= /
    remove_buildings=) and add_compounds= / remove_compounds= (every building of a compound).
    """
    request_ = zone_request(request.args)
    with connection() as conn:
        zones = propose_zones(conn, request_)
    return jsonify(plain(_zones_geojson(zones)))


@zones_api.post("/api/zones/publish")
def zones_publish():
    """Publish the proposal (same parameters, JSON body) as the town's next plan version."""
    body = json_object_body()  # a body that is not a JSON object publishes nothing
    request_ = zone_request(body)
    state = get_state()
    with connection() as conn:
        plan = publish_zones(conn, request_, state.settings.town_code,
                             signed_by(str(body.get("published_by", ""))))
    audit("publish", f"zones/{plan['code']}", {"version": plan["version"], "via": "api"})
    return jsonify(plan), 201


@zones_api.get("/api/zones/published")
def zones_published():
    """Every published plan version: who/when, parameters, zone totals, active or lifted."""
    with connection() as conn:
        plans = published_plans(conn)
    return jsonify(plain({"plans": plans}))


@zones_api.get("/api/zones/<plan>/export.<fmt>")
def zones_export(plan: str, fmt: str):
    """One published plan's zones as GeoJSON or XLSX (Chinese headers unless lang=en)."""
    check_format(fmt)
    if not _PLAN_CODE.match(plan):
        return jsonify({"error": "not_found", "message": f"no zone plan {plan[:64]!r}"}), 404
    with connection() as conn:
        try:
            record, zones = plan_zones(conn, plan)
        except UnknownPlan as exc:
            return jsonify({"error": "not_found", "message": str(exc)}), 404
    data = plan_file(record, zones, fmt, normalise(request.args.get("lang")))
    audit("export", f"zones/{plan}.{fmt}", {"zones": len(zones)})
    return Response(data, mimetype=FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{plan}.{fmt}"',
        "Cache-Control": "no-store"})
