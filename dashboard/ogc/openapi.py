"""The OpenAPI 3.0 definition of /ogc/ (GDAL reads `limit`'s default and maximum from it)."""

from __future__ import annotations

from typing import Any

from dashboard.ogc.documents import GEOJSON, HTML, JSON, MVT, OPENAPI
from geo.ogc_items import DEFAULT_LIMIT, MAX_LIMIT


def _answer(description: str, media: str = JSON) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"type": "object"}}}}


_ERRORS = {
    "400": _answer("a bad or unknown query parameter"),
    "401": _answer("no valid sign-in or Bearer token"),
    "403": _answer("this token may not read this collection"),
    "429": _answer("too many requests from this token; retry after Retry-After seconds"),
}


def document(base: str, collection_ids: list[str]) -> dict[str, Any]:
    """The OpenAPI 3.0 document of the OGC API at `base` with these collections."""
    params = _parameters(collection_ids)
    # Inline, not by $ref: GDAL's OAPIF driver reads limit's default and maximum from here.
    items_params = [params[name] for name in
                    ("collectionId", "limit", "bbox", "datetime", "cursor", "f")]
    return {
        "openapi": "3.0.3",
        "info": {"title": "gridcmd OGC API – Features", "version": "1.0.0",
                 "description": "Non-personal layers and H3 aggregates of gridcmd."},
        "servers": [{"url": base}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": {
            "/": {"get": {"operationId": "getLandingPage", "summary": "landing page",
                          "parameters": [{"$ref": "#/components/parameters/f"}],
                          "responses": {"200": _answer("the landing page"), **_ERRORS}}},
            "/conformance": {"get": {
                "operationId": "getConformance", "summary": "conformance classes",
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": {"200": _answer("the conformance classes"), **_ERRORS}}},
            "/api": {"get": {"operationId": "getApi", "summary": "this document",
                             "responses": {"200": _answer("the OpenAPI document", OPENAPI)}}},
            "/api.html": {"get": {"operationId": "getApiDoc", "summary": "documentation",
                                  "responses": {"200": {"description": "HTML",
                                                        "content": {HTML: {}}}}}},
            "/collections": {"get": {
                "operationId": "getCollections", "summary": "the collections this caller reads",
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": {"200": _answer("the collections"), **_ERRORS}}},
            "/collections/{collectionId}": {"get": {
                "operationId": "describeCollection", "summary": "one collection",
                "parameters": [{"$ref": "#/components/parameters/collectionId"},
                               {"$ref": "#/components/parameters/f"}],
                "responses": {"200": _answer("the collection"),
                              "404": _answer("no such collection"), **_ERRORS}}},
            "/collections/{collectionId}/items": {"get": {
                "operationId": "getFeatures", "summary": "features, paged by `next` links",
                "parameters": items_params,
                "responses": {"200": _answer("a page of features", GEOJSON),
                              "404": _answer("no such collection"), **_ERRORS}}},
            "/collections/{collectionId}/items/{featureId}": {"get": {
                "operationId": "getFeature", "summary": "one feature by its code",
                "parameters": [{"$ref": "#/components/parameters/collectionId"},
                               {"$ref": "#/components/parameters/featureId"},
                               {"$ref": "#/components/parameters/f"}],
                "responses": {"200": _answer("the feature", GEOJSON),
                              "404": _answer("no such feature"), **_ERRORS}}},
            "/collections/{collectionId}/tiles": {"get": {
                "operationId": "getTilesets", "summary": "the collection's vector tilesets",
                "parameters": [params["collectionId"], params["f"]],
                "responses": {"200": _answer("the tilesets"),
                              "404": _answer("no such collection, or no tiles"), **_ERRORS}}},
            "/collections/{collectionId}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}":
                {"get": {
                    "operationId": "getTile", "summary": "one Mapbox vector tile",
                    "parameters": [params[name] for name in
                                   ("collectionId", "tileMatrix", "tileRow", "tileCol")],
                    "responses": {"200": {"description": "the tile",
                                          "content": {MVT: {"schema": {"type": "string",
                                                                       "format": "binary"}}}},
                                  "204": {"description": "an empty tile"},
                                  "404": _answer("no such collection, or no tiles"),
                                  **_ERRORS}}},
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "a department token (gridcmd token create)"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "gridcmd_session"},
            },
            "parameters": params,
        },
    }


def _parameters(collection_ids: list[str]) -> dict[str, Any]:
    return {
        "collectionId": {"name": "collectionId", "in": "path", "required": True,
                         "schema": {"type": "string", "enum": collection_ids}},
        "featureId": {"name": "featureId", "in": "path", "required": True,
                      "schema": {"type": "string"}},
        "limit": {"name": "limit", "in": "query", "required": False,
                  "style": "form", "explode": False,
                  "description": "features per page",
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                             "default": DEFAULT_LIMIT}},
        "bbox": {"name": "bbox", "in": "query", "required": False,
                 "style": "form", "explode": False,
                 "description": "minLon,minLat,maxLon,maxLat in CRS84",
                 "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                            "items": {"type": "number"}}},
        "datetime": {"name": "datetime", "in": "query", "required": False,
                     "style": "form", "explode": False,
                     "description": "an RFC 3339 instant or interval (open end: ..)",
                     "schema": {"type": "string"}},
        "cursor": {"name": "cursor", "in": "query", "required": False,
                   "description": "paging cursor (follow the `next` link)",
                   "schema": {"type": "string"}},
        **{name: {"name": name, "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 0}}
           for name in ("tileMatrix", "tileRow", "tileCol")},
        "f": {"name": "f", "in": "query", "required": False,
              "schema": {"type": "string", "enum": ["json", "geojson"]}},
    }
