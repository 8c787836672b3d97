"""The OGC API – Features documents: landing page, conformance, collection descriptions, links."""

from __future__ import annotations

from typing import Any

from geo.ogc_collections import Collection

GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
HTML = "text/html"
MVT = "application/vnd.mapbox-vector-tile"
WEB_MERCATOR_QUAD = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)
TITLE = {"zh": "gridcmd 基层治理数据共享（OGC API – Features）",
         "en": "gridcmd grassroots-governance data (OGC API – Features)"}
DESCRIPTION = {
    "zh": "网格、小区、建筑、单位、诉求及H3聚合等非个人数据；部门令牌只读其授权的图层。",
    "en": "Grids, compounds, buildings, units, tickets and H3 aggregates — no personal data; a "
          "department token reads only the collections it was given.",
}


def link(href: str, rel: str, type_: str, title: str = "") -> dict[str, str]:
    """One link object."""
    found = {"href": href, "rel": rel, "type": type_}
    if title:
        found["title"] = title
    return found


def landing(base: str, lang: str) -> dict[str, Any]:
    """The landing page: self, service-desc, service-doc, conformance, data."""
    return {
        "title": TITLE[lang], "description": DESCRIPTION[lang],
        "links": [
            link(f"{base}", "self", JSON, "this document"),
            link(f"{base}/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)"),
            link(f"{base}/api.html", "service-doc", HTML, "the API documentation"),
            link(f"{base}/conformance", "conformance", JSON, "conformance classes"),
            link(f"{base}/collections", "data", JSON, "the collections"),
        ],
    }


def conformance() -> dict[str, Any]:
    """The conformance classes: core, GeoJSON, OpenAPI 3.0."""
    return {"conformsTo": list(CONFORMANCE)}


def collection(base: str, c: Collection, lang: str, bbox: list[float] | None,
               interval: list[str | None] | None) -> dict[str, Any]:
    """The description of one collection, with its extent and items link."""
    href = f"{base}/collections/{c.id}"
    extent: dict[str, Any] = {"spatial": {"bbox": [bbox or [-180.0, -90.0, 180.0, 90.0]],
                                          "crs": CRS84}}
    if interval is not None:
        extent["temporal"] = {"interval": [interval],
                              "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    links = [link(href, "self", JSON, c.title_en),
             link(f"{href}/items", "items", GEOJSON, f"{c.title_en}: features")]
    if c.tiles_min_zoom is not None:
        links.append(link(f"{href}/tiles", TILESETS_VECTOR, JSON,
                          f"{c.title_en}: vector tiles"))
    return {
        "id": c.id,
        "title": c.title_en if lang == "en" else c.title_zh,
        "description": c.description_en if lang == "en" else c.description_zh,
        "titles": {"zh": c.title_zh, "en": c.title_en},
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent,
        "links": links,
    }


def tilesets(base: str, c: Collection) -> dict[str, Any]:
    """The vector tilesets of a collection: one, WebMercatorQuad, with its URL template."""
    href = f"{base}/collections/{c.id}/tiles"
    template = link(f"{href}/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}", "item",
                    MVT, f"{c.title_en}: Mapbox vector tiles")
    template["templated"] = True
    return {
        "links": [link(href, "self", JSON, "tilesets")],
        "tilesets": [{
            "title": f"{c.title_en} (WebMercatorQuad)", "dataType": "vector",
            "crs": "http://www.opengis.net/def/crs/EPSG/0/3857",
            "tileMatrixSetURI": WEB_MERCATOR_QUAD,
            "tileMatrixSetLimits": [{"tileMatrix": str(c.tiles_min_zoom or 0)}],
            "links": [template],
        }],
    }


def collections(base: str, described: list[dict[str, Any]]) -> dict[str, Any]:
    """The collections document."""
    return {"links": [link(f"{base}/collections", "self", JSON, "the collections")],
            "collections": described}


def service_doc(base: str, described: list[dict[str, Any]]) -> str:
    """A plain HTML page (no scripts) telling a GIS desk how to connect."""
    from html import escape

    rows = "".join(
        f"<tr><td><code>{escape(d['id'])}</code></td><td>{escape(d['titles']['zh'])}</td>"
        f"<td>{escape(d['titles']['en'])}</td></tr>" for d in described)
    return (
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(TITLE['zh'])}</title></head><body>"
        f"<h1>{escape(TITLE['zh'])}</h1><p>{escape(DESCRIPTION['zh'])}</p>"
        f"<p>{escape(DESCRIPTION['en'])}</p>"
        "<p>QGIS：图层 → 添加图层 → WFS / OGC API – Features，URL "
        f"<code>{escape(base)}</code>，HTTP 头 <code>Authorization: Bearer &lt;令牌&gt;</code>。"
        "<br>GDAL: <code>ogrinfo --config GDAL_HTTP_HEADERS \"Authorization: Bearer TOKEN\" "
        f"OAPIF:{escape(base)} -oo PAGE_SIZE=1000</code></p>"
        f"<p>OpenAPI 3.0: <a href=\"{escape(base)}/api\">{escape(base)}/api</a> · "
        "limit 1–10000 (默认/default 100) · bbox (CRS84) · datetime (RFC 3339, "
        "区间/interval a/b, ../b, a/..)</p>"
        f"<table><tr><th>id</th><th>名称</th><th>title</th></tr>{rows}</table>"
        "</body></html>")
