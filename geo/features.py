"""Viewport features: parameter checks and the GeoJSON FeatureCollection built in SQL."""

from __future__ import annotations

import math
from datetime import datetime
from functools import cache

import psycopg
from psycopg import sql

from geo.errors import GridcmdError
from geo.place_names import with_english_names
from geo.sqlfiles import read_sql

Bbox = tuple[float, float, float, float]

MIN_ZOOM, MAX_ZOOM = 0, 22
COORD_DIGITS = 6  # 1e-6 degree is ~0.1 m: finer than any survey we hold, and ~40 % less JSON
EMPTY_COLLECTION = '{"type": "FeatureCollection", "features": []}'
# The budget of one request. A viewport may span at most MAX_VIEWPORT_PX screen pixels (each
# side) at the zoom it names: an 8K snapshot (7680x4320) with a tile of margin fits, a
# district-wide box at building zoom does not. And one answer holds at most MAX_FEATURES
# features (a whole town's 20 k buildings fit; at district scale a z15 box over three towns
# answered 68 MB before this limit): a larger answer is refused, never truncated silently.
MAX_VIEWPORT_PX = 8192
MAX_FEATURES = 25_000


class BadParameter(GridcmdError, ValueError):
    """A request parameter is missing or malformed; `parameter` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


class OverBudget(BadParameter):
    """The answer would exceed the per-request budget (MAX_VIEWPORT_PX or MAX_FEATURES)."""


def parse_bbox(text: str | None) -> Bbox:
    """'west,south,east,north' in WGS84 degrees, checked, as four floats."""
    if text is None or not text.strip():
        raise BadParameter("bbox", "required, as west,south,east,north in degrees")
    parts = text.split(",")
    if len(parts) != 4:
        raise BadParameter("bbox", f"needs 4 numbers west,south,east,north; got {len(parts)}")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BadParameter("bbox", f"not four numbers: {text[:80]!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadParameter("bbox", "numbers must be finite")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadParameter("bbox", "longitudes must lie within -180..180")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadParameter("bbox", "latitudes must lie within -90..90")
    if west >= east:
        raise BadParameter("bbox", "west must be less than east")
    if south >= north:
        raise BadParameter("bbox", "south must be less than north")
    return west, south, east, north


def parse_zoom(text: str | float | None) -> float:
    """A map zoom level between 0 and 22 (fractional zooms allowed)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise BadParameter("zoom", f"required, a number {MIN_ZOOM}..{MAX_ZOOM}")
    try:
        zoom = float(text)
    except ValueError:
        raise BadParameter("zoom", f"not a number: {str(text)[:40]!r}") from None
    if not math.isfinite(zoom) or not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise BadParameter("zoom", f"must lie within {MIN_ZOOM}..{MAX_ZOOM}")
    return zoom


def tolerance_for_zoom(zoom: float) -> float:
    """Simplification tolerance in degrees: about half a screen pixel at this zoom."""
    # A 256-px Web Mercator tile spans 360 degrees of longitude at zoom 0; anything finer
    # than half a pixel cannot be seen, so it need not be sent.
    return 180.0 / (256.0 * 2.0 ** zoom)


def viewport_px(bbox: Bbox, zoom: float) -> tuple[float, float]:
    """(width, height) in screen pixels of `bbox` on a Web Mercator map at `zoom`."""
    west, south, east, north = bbox
    world_px = 256.0 * 2.0 ** zoom

    def mercator_y(lat: float) -> float:
        lat = max(-85.0511, min(85.0511, lat))  # Web Mercator's own limit
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    return ((east - west) / 360.0 * world_px,
            (mercator_y(north) - mercator_y(south)) / (2 * math.pi) * world_px)


def check_viewport(bbox: Bbox, zoom: float, limit_px: int = MAX_VIEWPORT_PX) -> None:
    """Refuse (400, parameter bbox) a viewport wider or taller than `limit_px` at `zoom`."""
    width, height = viewport_px(bbox, zoom)
    if width > limit_px or height > limit_px:
        raise OverBudget("bbox", f"spans {width:,.0f} x {height:,.0f} screen pixels at zoom "
                                 f"{zoom:g}; the limit is {limit_px} x {limit_px} pixels per "
                                 "request: zoom out (a lower zoom) or ask for a smaller bbox")


def collection_and_count(conn: psycopg.Connection, query: str, params: dict[str, object],
                         max_features: int | None) -> str:
    """GeoJSON text of `query` with `params`, refused (OverBudget) past `max_features`."""
    params = {**params, "max_rows": None if max_features is None else max_features + 1}
    row = conn.execute(collection_sql(query), params).fetchone()
    if max_features is not None and row and row[1] > max_features:
        raise OverBudget("bbox", f"holds more than {max_features:,} features, the limit of one "
                                 "request: zoom in or ask for a smaller bbox")
    return row[0] if row and row[0] else EMPTY_COLLECTION


def feature_collection(conn: psycopg.Connection, query: str, bbox: Bbox, zoom: float,
                       window: tuple[datetime, datetime] | None = None,
                       max_features: int | None = None,
                       romanise: tuple[str, ...] = ()) -> str:
    """GeoJSON text of the layer query `query` (geo/sql/queries/<query>.sql) in a viewport.

    Windowed queries (tickets, cases) also read `since` and `until` from `window`; queries
    that thin by zoom (labels) read `zoom`. With `max_features` an answer holding more
    features is refused (OverBudget, parameter bbox). `romanise` names text properties that
    also get an English `<name>_en` (the only case where the database's JSON is parsed again).
    """
    west, south, east, north = bbox
    params: dict[str, object] = {
        "west": west, "south": south, "east": east, "north": north,
        "tolerance": tolerance_for_zoom(zoom), "digits": COORD_DIGITS, "zoom": zoom,
    }
    if window is not None:
        params["since"], params["until"] = window
    text = collection_and_count(conn, query, params, max_features)
    return with_english_names(text, romanise) if romanise else text


@cache
def collection_sql(query: str) -> sql.Composed:
    """The FeatureCollection wrapper around the feature rows of geo/sql/queries/<query>.sql."""
    features = read_sql(f"queries/{query}.sql").strip().rstrip(";")
    return sql.SQL(read_sql("queries/feature_collection.sql")).format(features=sql.SQL(features))
