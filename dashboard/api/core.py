"""HTTP routes: /healthz and the layer API. Bad input → 400, unknown id → 404, DB down → 503."""

from __future__ import annotations

import logging

import psycopg
from dash.exceptions import DashException
from flask import Blueprint, Response, g, jsonify, request
from psycopg_pool import PoolTimeout
from werkzeug.exceptions import HTTPException

from dashboard import health
from dashboard.api.caching import cacheable
from dashboard.auth.policy import sees_exact_places
from dashboard.auth.principal import current
from dashboard.auth.sessions import resolve
from dashboard.error_bodies import bad_parameter
from dashboard.response_cache import open_ended, shared_answer
from dashboard.state import get_state, read_connection
from geo.errors import BadParameter
from geo.geojson import EMPTY_COLLECTION, MAX_FEATURES, feature_collection
from geo.params import check_viewport, parse_bbox, parse_zoom
from geo.timewindow import window_from
from layers.registry import UnknownLayer

log = logging.getLogger(__name__)
api = Blueprint("gridcmd_api", __name__)

GEOJSON = "application/geo+json"


@api.get("/healthz")
def healthz():
    """Database state and data timestamp (row counts and the read replica's state for
    signed-in callers); 503 when the database is unreachable."""
    state = get_state()
    healthy, body = health.check(state.pool, state.database_url)
    if not healthy:
        state.outage.mark()
    if not (healthy and _signed_in()):
        body.pop("counts", None)  # table sizes are not for anonymous callers
        body.pop("counts_estimated", None)
    elif state.replica is not None:  # the read replica: up/lagging/down, lag (signed in)
        body["replica"] = state.replica.describe()
    return jsonify(body), 200 if healthy else 503


def _signed_in() -> bool:
    if not (request.cookies or request.args.get("token") or request.args.get("render")):
        return False
    try:
        return resolve() is not None
    except (PoolTimeout, psycopg.OperationalError):
        return False


@api.get("/api/layers")
def list_layers():
    """The layer registry: ids, zh/en titles, kinds, zoom ranges, legends."""
    return jsonify({"layers": [layer.describe() for layer in get_state().registry]})


def _personal_layer(layer_id: str) -> bool:
    """Layers with personal data (and unknown ids, answered 404 by the route) skip the
    answer cache."""
    registry = get_state().registry
    return layer_id not in registry or registry.get(layer_id).personal_data


def _open_ended_window(layer_id: str) -> bool:
    """A windowed layer asked without `until` follows the clock (the last 30 days up to now)."""
    return get_state().registry.get(layer_id).windowed and open_ended()


@api.get("/api/layers/<layer_id>")
@shared_answer(personal=_personal_layer, follows_clock=_open_ended_window)
def layer_features(layer_id: str):
    """GeoJSON FeatureCollection of one layer in the viewport `bbox` at `zoom`.

    Windowed layers (tickets, cases) keep what falls in [since, until), by default the last
    30 days; since/until are checked for every layer, so a typo never passes silently.
    A viewport too large for its zoom, or holding more than MAX_FEATURES features, is a 400
    naming bbox and the limit. Layers without personal data may be cached briefly (ETag).
    """
    state = get_state()
    layer = state.registry.get(layer_id)
    bbox = parse_bbox(request.args.get("bbox"))
    zoom = parse_zoom(request.args.get("zoom"))
    window = window_from(request.args)
    check_viewport(bbox, zoom)
    # Out of its zoom range a layer answers an empty collection rather than an error, so a
    # client may ask for every visible layer without knowing each one's range.
    if not layer.visible_at(zoom):
        return _layer_answer(layer, EMPTY_COLLECTION)
    with read_connection() as conn:  # read-only: the replica when one serves
        # Aggregates-only callers (the wall) get cells, never a case's building (PIPL).
        who = current()
        query = layer.query_for(sees_exact_places(who.role if who else None))
        text = feature_collection(conn, query, bbox, zoom,
                                  window if layer.windowed else None,
                                  max_features=MAX_FEATURES, romanise=layer.romanise)
    # The database wrote the JSON; it goes out as-is (only romanised names are added to it).
    return _layer_answer(layer, text)


def _layer_answer(layer, text: str) -> Response:
    response = Response(text, mimetype=GEOJSON)
    return response if layer.personal_data else cacheable(response)


@api.app_errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter):
    return bad_parameter(exc.parameter, str(exc))


@api.app_errorhandler(UnknownLayer)
def _unknown_layer(exc: UnknownLayer):
    return jsonify({"error": "not_found", "message": str(exc)}), 404


@api.app_errorhandler(psycopg.errors.DataError)
def _bad_value(exc: Exception):
    # A value the database cannot take (e.g. out of range): the request's fault, not ours.
    log.info("bad value refused by the database in %s: %s", request.path, exc)
    return jsonify({"error": "bad_parameter", "message": "a parameter has a value that cannot"
                    " be used"}), 400


@api.app_errorhandler(RecursionError)
def _too_deep(exc: RecursionError):
    # JSON (or YAML/TOML) nested thousands deep: the body's fault, refused without a trace.
    log.info("body nested too deep in %s", request.path)
    return jsonify({"error": "bad_request", "message": "the body is nested too deeply"}), 400


@api.app_errorhandler(PoolTimeout)
@api.app_errorhandler(psycopg.OperationalError)
def _database_down(exc: Exception):
    log.warning("database unavailable: %s", exc)
    state = get_state()
    # A lost or refused connection, or a pool left with none: the database is out (a query
    # cancelled by its timeout, or a pool merely busy, is not).
    if isinstance(exc, PoolTimeout):
        if state.pool.get_stats().get("pool_size", 0) == 0:
            state.outage.mark()
    elif not isinstance(exc, psycopg.errors.QueryCanceled) \
            and not g.get("gridcmd_replica_failed"):  # the replica's failure is not ours
        state.outage.mark()
    return jsonify({"error": "database_unavailable",
                    "message": "the database is unreachable or busy; try again shortly"}), 503


@api.app_errorhandler(Exception)
def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return exc
    if isinstance(exc, DashException):  # a malformed callback request, not a server fault
        return jsonify({"error": "bad_request", "message": f"bad callback request: {exc}"}), 400
    # The details go to the log; the client gets a plain message and no stack trace.
    log.exception("unhandled error in %s", request.path)
    return jsonify({"error": "internal", "message": "internal error; see the server log"}), 500
