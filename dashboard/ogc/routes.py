"""HTTP routes of /ogc/ (OGC API – Features Part 1: Core, GeoJSON, OpenAPI 3.0).

Behind the app's guard (sign-in or a department Bearer token, permission OGC); here: the
per-collection access of department tokens, the per-token rate limit, one audit row per request.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, g, jsonify, request

from dashboard.auth.principal import remote_addr
from dashboard.ogc import documents, openapi
from dashboard.state import connection, get_state, read_connection
from geo import audit
from geo.features import BadParameter
from geo.ogc_collections import COLLECTIONS, Collection
from geo.ogc_items import (
    ItemsQuery,
    item,
    items_page,
    parse_datetime,
    parse_limit,
    parse_ogc_bbox,
    spatial_extent,
    temporal_extent,
)
from geo.ogc_limits import count_request
from geo.ogc_tiles import vector_tile

ogc_api = Blueprint("gridcmd_ogc", __name__, url_prefix="/ogc")

ITEMS_PARAMS = frozenset({"limit", "bbox", "datetime", "cursor", "f"})
OTHER_PARAMS = frozenset({"f"})
EXTENT_TTL_S = 60  # extents change with imports only; a minute old is fine for a GIS client


class OgcError(Exception):
    """An OGC answer other than 200: status, OGC exception code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _base() -> str:
    return request.url_root.rstrip("/") + "/ogc"


def _lang() -> str:
    best = request.accept_languages.best_match(["zh", "zh-CN", "en"], default="zh")
    return "en" if best == "en" else "zh"


def _check_params(allowed: frozenset[str]) -> None:
    for name in request.args:
        if name not in allowed:
            raise BadParameter(name, "unknown query parameter; allowed: "
                               + ", ".join(sorted(allowed)))
    fmt = request.args.get("f")
    if fmt is not None and fmt not in ("json", "geojson"):
        raise BadParameter("f", "only json (GeoJSON) is served")


def _readable(c: Collection) -> bool:
    who = g.principal
    return who.role != "department" or c.id in who.collections


def _collection(collection_id: str) -> Collection:
    c = COLLECTIONS.get(collection_id)
    if c is None:
        raise OgcError(404, "NotFound", f"no collection {collection_id[:100]!r}")
    if not _readable(c):
        raise OgcError(403, "Forbidden", f"this token may not read the collection {c.id!r}")
    return c


def _audit(conn, target: str, detail: dict[str, Any]) -> None:
    who = g.principal
    if who.label:
        detail = {"label": who.label, **detail}
    audit.record(conn, who.name, who.role, "ogc_read", target, detail, remote_addr())


def _json(body: Any, mimetype: str = documents.JSON) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), mimetype=mimetype)


def _cached(key: tuple, compute):
    cache = current_app.extensions.setdefault("gridcmd_ogc_extents", {})
    now = time.monotonic()
    hit = cache.get(key)
    if hit is None or now - hit[0] > EXTENT_TTL_S:
        hit = cache[key] = (now, compute())
    return hit[1]


def _extents(conn, collections: list[Collection]) -> dict[str, tuple]:
    """(bbox, interval) per collection; one query per table, kept a minute."""
    return {c.id: (_cached(("space", c.table), lambda c=c: spatial_extent(conn, c.table)),
                   _cached(("time", c.temporal_table, c.temporal),
                           lambda c=c: temporal_extent(conn, c)))
            for c in collections}


@ogc_api.before_request
def _rate_limit():
    who = g.get("principal")
    if who is None:  # the guard has already refused anyone else
        return None
    with connection() as conn:
        wait = count_request(conn, who.name, get_state().settings.ogc_requests_per_min)
    if wait is None:
        return None
    answer = jsonify({"code": "TooManyRequests", "error": "too_many_requests",
                      "description": f"more than {get_state().settings.ogc_requests_per_min}"
                                     " requests a minute; retry later"})
    answer.headers["Retry-After"] = str(wait)
    return answer, 429


@ogc_api.get("/", strict_slashes=False)
def landing():
    """The landing page."""
    _check_params(OTHER_PARAMS)
    with connection() as conn:
        _audit(conn, "landing", {})
    return _json(documents.landing(_base(), _lang()))


@ogc_api.get("/conformance")
def conformance():
    """The conformance classes."""
    _check_params(OTHER_PARAMS)
    with connection() as conn:
        _audit(conn, "conformance", {})
    return _json(documents.conformance())


@ogc_api.get("/api")
def api_definition():
    """The OpenAPI 3.0 document."""
    _check_params(OTHER_PARAMS)
    with connection() as conn:
        _audit(conn, "api", {})
    return _json(openapi.document(_base(), list(COLLECTIONS)), documents.OPENAPI)


def _described(conn, readable: list[Collection]) -> list[dict[str, Any]]:
    extents = _extents(conn, readable)
    return [documents.collection(_base(), c, _lang(), *extents[c.id]) for c in readable]


@ogc_api.get("/api.html")
def api_doc():
    """A plain HTML page for people."""
    readable = [c for c in COLLECTIONS.values() if _readable(c)]
    with read_connection() as conn:  # reads on the replica when one serves; audit: primary
        described = _described(conn, readable)
    with connection() as conn:
        _audit(conn, "api.html", {})
    return Response(documents.service_doc(_base(), described), mimetype=documents.HTML)


@ogc_api.get("/collections")
def collections():
    """The collections this caller may read (a department token sees only its own)."""
    _check_params(OTHER_PARAMS)
    readable = [c for c in COLLECTIONS.values() if _readable(c)]
    with read_connection() as conn:
        described = _described(conn, readable)
    with connection() as conn:
        _audit(conn, "collections", {"count": len(described)})
    return _json(documents.collections(_base(), described))


@ogc_api.get("/collections/<collection_id>")
def collection(collection_id: str):
    """One collection: id, titles, extent, items link."""
    _check_params(OTHER_PARAMS)
    c = _collection(collection_id)
    with read_connection() as conn:
        described = _described(conn, [c])[0]
    with connection() as conn:
        _audit(conn, c.id, {})
    return _json(described)


@ogc_api.get("/collections/<collection_id>/items")
def items(collection_id: str):
    """A page of features (GeoJSON), with numberMatched/numberReturned and a `next` link."""
    _check_params(ITEMS_PARAMS)
    c = _collection(collection_id)
    args = request.args
    query = ItemsQuery(bbox=parse_ogc_bbox(args.get("bbox")),
                       window=parse_datetime(args.get("datetime")),
                       after=args.get("cursor", "")[:200], limit=parse_limit(args.get("limit")))
    with read_connection() as conn:
        # numberMatched on the first page only: a count over the whole match per page would
        # cost more than the page itself when a client copies a large collection.
        page = items_page(conn, c, query, count=not query.after)
    with connection() as conn:
        # bbox as sent (its numbers may be long: capped), so the trail shows what was asked
        _audit(conn, c.id, {"bbox": (args.get("bbox") or "")[:200] or None,
                            "datetime": (args.get("datetime") or "")[:100] or None,
                            "cursor": query.after or None, "count": page.returned})
    href = f"{_base()}/collections/{c.id}/items"
    kept = {k: v for k, v in args.items() if k in ("bbox", "datetime", "f")}
    links = [
        documents.link(f"{href}?{urlencode(dict(args))}" if args else href, "self",
                       documents.GEOJSON, "this page"),
        documents.link(f"{_base()}/collections/{c.id}", "collection", documents.JSON,
                       c.title_en),
    ]
    if page.returned == query.limit and page.last_id is not None:
        following = {**kept, "limit": str(query.limit), "cursor": page.last_id}
        links.append(documents.link(f"{href}?{urlencode(following)}", "next",
                                    documents.GEOJSON, "next page"))
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if page.matched is not None:
        head["numberMatched"] = page.matched
    head.update({"numberReturned": page.returned,
            "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "links": links})
    # The database wrote the features' JSON; it goes out as-is, never parsed here.
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',"features":' + page.features + "}"
    return Response(text, mimetype=documents.GEOJSON)


@ogc_api.get("/collections/<collection_id>/items/<path:feature_id>")
def feature(collection_id: str, feature_id: str):
    """One feature by its stable id (the natural code; the H3 cell in hex)."""
    _check_params(OTHER_PARAMS)
    c = _collection(collection_id)
    with read_connection() as conn:
        text = item(conn, c, feature_id[:200])
    with connection() as conn:
        _audit(conn, c.id, {"feature": feature_id[:200], "count": 0 if text is None else 1})
    if text is None:
        raise OgcError(404, "NotFound", f"no feature {feature_id[:100]!r} in {c.id}")
    links = [documents.link(f"{_base()}/collections/{c.id}/items/{quote(feature_id)}", "self",
                            documents.GEOJSON),
             documents.link(f"{_base()}/collections/{c.id}", "collection", documents.JSON)]
    text = text[:-1] + ',"links":' + json.dumps(links, ensure_ascii=False) + "}"
    return Response(text, mimetype=documents.GEOJSON)


@ogc_api.get("/collections/<collection_id>/tiles")
def tiles(collection_id: str):
    """The collection's vector tilesets (WebMercatorQuad)."""
    _check_params(OTHER_PARAMS)
    c = _tiled(collection_id)
    with connection() as conn:
        _audit(conn, c.id, {"tiles": "tilesets"})
    return _json(documents.tilesets(_base(), c))


@ogc_api.get("/collections/<collection_id>/tiles/WebMercatorQuad/<int:z>/<int:y>/<int:x>")
def tile(collection_id: str, z: int, y: int, x: int):
    """One Mapbox vector tile (tileMatrix/tileRow/tileCol); 204 when it holds nothing."""
    _check_params(frozenset())
    c = _tiled(collection_id)
    with read_connection() as conn:
        body = vector_tile(conn, c, z, y, x)
    with connection() as conn:
        _audit(conn, c.id, {"tile": f"{z}/{y}/{x}", "bytes": len(body)})
    if not body:
        return Response(status=204)
    return Response(body, mimetype=documents.MVT)


def _tiled(collection_id: str) -> Collection:
    c = _collection(collection_id)
    if c.tiles_min_zoom is None:
        raise OgcError(404, "NotFound", f"the collection {c.id!r} has no vector tiles")
    return c


@ogc_api.get("/<path:anything>")
def unknown(anything: str):
    """Anything else under /ogc/ is not found (never Dash's page)."""
    raise OgcError(404, "NotFound", f"no such OGC route: /ogc/{anything[:100]}")


@ogc_api.errorhandler(OgcError)
def _ogc_error(exc: OgcError):
    return jsonify({"code": exc.code, "description": str(exc), "error": exc.code,
                    "message": str(exc)}), exc.status


@ogc_api.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter):
    return jsonify({"code": "InvalidParameterValue", "description": str(exc),
                    "error": "bad_parameter", "parameter": exc.parameter,
                    "message": str(exc)}), 400
