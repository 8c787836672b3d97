"""HTTP routes of the command map: H3 aggregates, region drill-down, KPIs."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from dashboard.api.caching import cacheable
from dashboard.api.core import GEOJSON
from dashboard.auth.scope import AccessDenied, check_community, community_scope, wants_unmask
from dashboard.auth.trail import audit
from dashboard.json_encoding import plain
from dashboard.response_cache import open_ended, shared_answer
from dashboard.state import connection, read_connection
from geo.geojson import MAX_FEATURES
from geo.kpis import kpis
from geo.params import parse_bbox, parse_res
from geo.regions import OutsideScope, UnknownRegion, region_record
from geo.search import check_query, search
from geo.timewindow import window_from
from layers.metrics import METRICS

map_api = Blueprint("gridcmd_map_api", __name__)



def _windowed_metric(metric_id: str) -> bool:
    metric = METRICS.get(metric_id)
    return metric is not None and metric.windowed


def _window():
    return window_from(request.args)


@map_api.get("/api/h3/<metric_id>")
@shared_answer(follows_clock=lambda metric_id: _windowed_metric(metric_id) and open_ended())
def h3_metric(metric_id: str):
    """GeoJSON of H3 cells with `value` for one metric, inside `bbox`, at `res`."""
    metric = METRICS.get(metric_id)
    if metric is None:
        return jsonify({"error": "not_found", "message": f"unknown metric {metric_id!r}"}), 404
    res = parse_res(request.args.get("res"))
    bbox = parse_bbox(request.args.get("bbox"))
    window = _window()  # checked for every metric; used by the windowed ones
    with read_connection() as conn:  # read-only: the replica when one serves
        # Counts under 5 are hidden for every role (the wall included): cells are never people.
        text = metric.collection(conn, res, bbox, window, max_cells=MAX_FEATURES)
    # Cells are counts of buildings, people or tickets, never a person (under 5: "<5").
    return cacheable(Response(text, mimetype=GEOJSON))


@map_api.get("/api/regions/<kind>/<code>")
def region(kind: str, code: str):
    """The drill-down record of one community, grid, compound, building or H3 cell."""
    window = _window()
    unmask = wants_unmask()  # 403 before any read when the role may not unmask
    with connection() as conn:
        try:
            record = region_record(conn, kind, code, window, unmask=unmask,
                                   communities=community_scope())
        except UnknownRegion as exc:
            return jsonify({"error": "not_found", "message": str(exc)}), 404
        except OutsideScope as exc:
            raise AccessDenied(str(exc)) from None
        check_community(record["community_code"])
        # in the same transaction: one connection and one commit per drill-down, not two
        audit("unmask" if unmask else "drilldown", f"{kind}/{code}", {"via": "api"}, conn)
    return jsonify(plain(record))


@map_api.get("/api/kpis")
@shared_answer()
def headline_figures():
    """Headline figures for the window."""
    window = _window()
    with read_connection() as conn:  # read-only: the replica when one serves
        return jsonify(plain(kpis(conn, window)))


@map_api.get("/api/search")
def place_search():
    """Regions whose address, name or code contains `q` (1-100 characters), best first."""
    q = check_query(request.args.get("q"))  # before taking a connection: a bad q is a 400
    with read_connection() as conn:  # read-only
        hits = search(conn, q)
    return jsonify({"q": q, "results": plain(hits)})
