"""From the map's viewport to per-layer data URLs and hideouts (plain functions, no Dash)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from dashboard.i18n import LANGS, t, value_labels
from dashboard.map.ids import layer_pane
from geo.params import Bbox
from layers.model import Layer

TOWN_CENTRE = (39.748, 116.555)  # lat, lng of Majuqiao
TOWN_ZOOM = 13
# The command map opens centred ~75 px north and ~40 px east of the town (at TOWN_ZOOM), so
# the town sits below the time bar over the map's top and left of the legend at its bottom
# right: at 1400×900 the bar hid the town's northern villages (马村, 陈各庄村) and the legend
# its eastern tip. Every "view before the map reports its bounds" starts from here.
OPENING_CENTRE = (39.758, 116.5618)
_SCREEN_PX = (1920, 1080)  # assumed before the browser reports the real bounds
_DIGITS = 4  # ~10 m: viewports differing by less share one URL (and one browser cache entry)
_TILE_PX = 256  # fetched boxes snap outwards to this grid of the zoom's tiles
KEEP = "keep"  # viewport_urls: this layer's current data still serves the new viewport


def bbox_from_bounds(bounds: Any) -> Bbox | None:
    """Leaflet bounds [[south, west], [north, east]] as a bbox, widened to 4 decimals."""
    try:
        (south, west), (north, east) = bounds
        south, west, north, east = float(south), float(west), float(north), float(east)
    except (TypeError, ValueError):
        return None
    return _tidy(west, south, east, north)


def bbox_around(centre: Any, zoom: float, size_px: tuple[int, int] = _SCREEN_PX) -> Bbox:
    """Approximate bbox of a screen of `size_px` centred on `centre` (lat, lng) at `zoom`."""
    lat, lng = _latlng(centre)
    deg_per_px = 360.0 / (256.0 * 2.0 ** zoom)
    half_w = size_px[0] / 2 * deg_per_px
    # Web Mercator squeezes latitude degrees by cos(lat) on screen.
    half_h = size_px[1] / 2 * deg_per_px * math.cos(math.radians(lat))
    return _tidy(lng - half_w, lat - half_h, lng + half_w, lat + half_h)


def layer_url(layer: Layer, bbox: Bbox, zoom: float, window: Any = None) -> str:
    """URL of GET /api/layers/<id> for a viewport; windowed layers add since/until."""
    params = {"bbox": ",".join(f"{v:.{_DIGITS}f}" for v in bbox), "zoom": _zoom_text(zoom)}
    if layer.windowed and isinstance(window, dict):
        # window is the page's TIME_WINDOW store; None parts mean the API's default.
        params.update({key: window[key] for key in ("since", "until") if window.get(key)})
    return f"/api/layers/{layer.id}?{urlencode(params)}"


def snap_to_tiles(bbox: Bbox, zoom: float) -> Bbox:
    """`bbox` widened outwards to whole 256-px tiles of `zoom` (rounded down).

    Viewports a little apart then ask for the same box: one URL, one browser cache entry,
    and a short pan needs no request at all (the fetched box still covers the screen).
    """
    west, south, east, north = bbox
    step = 360.0 / 2.0 ** math.floor(zoom)  # a tile's width in degrees (and in mercator units)
    x0, x1 = math.floor((west + 180) / step), math.ceil((east + 180) / step)
    y0, y1 = math.floor(_mercator(south) / step), math.ceil(_mercator(north) / step)
    return _tidy(x0 * step - 180, _inverse_mercator(y0 * step), x1 * step - 180,
                 _inverse_mercator(y1 * step))


def viewport_urls(layers: Sequence[Layer], visible: Iterable[str] | None, bounds: Any,
                  zoom: float | None, centre: Any, window: Any = None,
                  current: Sequence[str | None] | None = None) -> list[str | None]:
    """Data URL of each layer for this viewport; None (no data) when hidden or out of zoom;
    KEEP when the layer's `current` URL still serves the viewport (see `still_serves`)."""
    zoom = float(zoom) if zoom is not None else float(TOWN_ZOOM)
    # Until the first pan or zoom the map does not report its bounds; estimate them.
    view = bbox_from_bounds(bounds) or bbox_around(centre or OPENING_CENTRE, zoom)
    fetch = snap_to_tiles(view, zoom)
    shown = set(visible or ())
    current = list(current or [])
    current += [None] * (len(layers) - len(current))
    urls: list[str | None] = []
    for layer, now in zip(layers, current, strict=True):
        if layer.id not in shown or not layer.visible_at(zoom):
            urls.append(None)
        elif now and still_serves(layer, now, view, zoom, window):
            urls.append(KEEP)
        else:
            urls.append(layer_url(layer, fetch, zoom, window))
    return urls


def still_serves(layer: Layer, url: str, view: Bbox, zoom: float, window: Any) -> bool:
    """Whether data fetched from `url` still draws `layer` right in the viewport `view` at `zoom`.

    It does when its box covers the viewport, its time window is the page's (windowed layers)
    and, for outlines, it was simplified for this very zoom. Points are not simplified, so
    any zoom in reuses them — except layers thinned by zoom (labels).
    """
    query = parse_qs(urlsplit(url).query)
    try:
        west, south, east, north = (float(v) for v in query["bbox"][0].split(","))
        fetched_zoom = float(query["zoom"][0])
    except (KeyError, ValueError, IndexError):
        return False
    if not (west <= view[0] and south <= view[1] and east >= view[2] and north >= view[3]):
        return False
    if layer.windowed:
        wanted = window if isinstance(window, dict) else {}
        for key in ("since", "until"):
            if (query.get(key) or [None])[0] != (wanted.get(key) or None):
                return False
    if layer.kind == "point" and not layer.thinned_by_zoom:
        return True
    return fetched_zoom == zoom


def hideout(layer: Layer, lang: str) -> dict[str, Any]:
    """What assets/map_styles.js needs to style one layer and label its tooltips."""
    return {
        "style": layer.style,
        "className": f"gc-feature gc-{layer.id}",
        "tooltip": [[t(f"field.{name}", lang), name] for name in layer.tooltip],
        "values": {name: value_labels(name, lang) for name in layer.tooltip},
        "flags": {"caretaker_branch": t("caretaker", lang)},
        # Markers made by pointToLayer must be told their pane, or they leave the layer order.
        "pane": layer_pane(layer.id),
        "lang": lang,
        "label": (layer.map_label[1] if lang == "en" else layer.map_label[0])
                 if layer.map_label else "",
        # Title template of a cluster bubble (assets/map_clusters.js fills in the counts).
        "clusterTitle": t("cluster.title", lang) if layer.cluster else "",
        # … in both languages: a bubble drawn while a language switch was under way (a fetch
        # in flight keeps its old hideout) still speaks the page's language.
        "clusterTitles": {code: t("cluster.title", code) for code in LANGS}
                         if layer.cluster else {},
    }


def _latlng(centre: Any) -> tuple[float, float]:
    if isinstance(centre, dict):
        return float(centre["lat"]), float(centre["lng"])
    lat, lng = centre
    return float(lat), float(lng)


def _mercator(lat: float) -> float:
    """Web Mercator y of `lat`, in the same units as longitude degrees (-180..180)."""
    lat = max(-85.0511, min(85.0511, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _inverse_mercator(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _tidy(west: float, south: float, east: float, north: float) -> Bbox:
    # Leaflet reports longitudes past ±180 when the world repeats; the API accepts -180..180.
    scale = 10 ** _DIGITS
    west = max(-180.0, math.floor(west * scale) / scale)
    south = max(-90.0, math.floor(south * scale) / scale)
    east = min(180.0, math.ceil(east * scale) / scale)
    north = min(90.0, math.ceil(north * scale) / scale)
    return west, south, east, north


def _zoom_text(zoom: float) -> str:
    return str(int(zoom)) if float(zoom).is_integer() else f"{zoom:.2f}"
