"""Request parameters and their parsing: bbox, zoom, H3 resolution and the viewport budget.

Every route and callback reads these through the functions here, so a bad value is refused
the same way everywhere (BadParameter naming the parameter → 400). The time window
(since/until) has its own module, geo/timewindow.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection

from geo.errors import BadParameter, OverBudget
from geo.h3shapes import AGGREGATE_RESOLUTIONS

Bbox = tuple[float, float, float, float]

MIN_ZOOM, MAX_ZOOM = 0, 22
# The budget of one request. A viewport may span at most MAX_VIEWPORT_PX screen pixels (each
# side) at the zoom it names: an 8K snapshot (7680x4320) with a tile of margin fits, a
# district-wide box at building zoom does not. (The feature budget is geo.geojson's.)
MAX_VIEWPORT_PX = 8192


def parse_bbox(text: str | None) -> Bbox:
    """'west,south,east,north' in WGS84 degrees, checked, as four floats."""
    if text is None or not text.strip():
        raise BadParameter("bbox", "required, as west,south,east,north in degrees")
    parts = text.split(",")
    if len(parts) != 4:
        raise BadParameter("bbox", f"needs 4 numbers west,south,east,north; got {len(parts)}")
    west, south, east, north = four_numbers(text, parts)
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadParameter("bbox", "longitudes must lie within -180..180")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadParameter("bbox", "latitudes must lie within -90..90")
    if west >= east:
        raise BadParameter("bbox", "west must be less than east")
    if south >= north:
        raise BadParameter("bbox", "south must be less than north")
    return west, south, east, north


def four_numbers(text: str, parts: list[str]) -> Bbox:
    """`parts` (of the bbox `text`) as four finite floats; BadParameter(bbox) otherwise."""
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BadParameter("bbox", f"not four numbers: {text[:80]!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadParameter("bbox", "numbers must be finite")
    return west, south, east, north


def number_within(value: object, low: float, high: float, fail: Callable[[str], Exception],
                  not_a_number: str, outside: str) -> float:
    """`value` as a finite float in low..high. Else raises `fail(not_a_number)`, or
    `fail(outside)` with {low} and {high} filled in: each caller keeps its own error class
    and words (a coordinate on a phone route, in a pushed ticket …). A boolean is no number."""
    if isinstance(value, bool):
        raise fail(not_a_number)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise fail(not_a_number) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise fail(outside.format(low=low, high=high))
    return number


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


def parse_res(text: str | int | None, default: int = 8) -> int:
    """An aggregate resolution (7–10)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return default
    try:
        res = int(text)
    except (TypeError, ValueError):
        raise BadParameter("res", f"not an integer: {str(text)[:20]!r}") from None
    if res not in AGGREGATE_RESOLUTIONS:
        raise BadParameter("res", f"must be one of {', '.join(map(str, AGGREGATE_RESOLUTIONS))}")
    return res


def res_for_zoom(zoom: float) -> int:
    """The resolution that suits a map zoom: about res 7 at town view, res 10 close in."""
    if zoom < 12:
        return 7
    if zoom < 13.5:
        return 8
    if zoom < 15:
        return 9
    return 10


def tolerance_for_zoom(zoom: float) -> float:
    """Simplification tolerance in degrees: about half a screen pixel at this zoom."""
    # A 256-px Web Mercator tile spans 360 degrees of longitude at zoom 0; anything finer
    # than half a pixel cannot be seen, so it need not be sent.
    return 180.0 / (256.0 * 2.0 ** zoom)


# Coordinate decimals sent at the finest zooms (1e-6 degree is ~0.1 m) and at the coarsest.
MAX_COORD_DIGITS, MIN_COORD_DIGITS = 6, 3


def digits_for_zoom(zoom: float) -> int:
    """Decimals of a coordinate at this zoom: the fewest whose rounding (half a unit) stays
    within an eighth of a screen pixel, so outlines drawn from them look the same.

    4 up to zoom 11 (a pixel is ~60 m there), 5 from 12 to 15, 6 from 16 (as exact as
    stored); rounding is the same for every feature, so shared vertices stay shared."""
    pixel_degrees = 360.0 / (256.0 * 2.0 ** zoom)
    wanted = math.ceil(math.log10(4.0 / pixel_degrees) - 1e-9)
    return max(MIN_COORD_DIGITS, min(MAX_COORD_DIGITS, wanted))


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


def one_of(name: str, text: str | None, word: str, known: Collection[str],
           choices: str) -> str | None:
    """`word` (`text` put in its canonical case) if it is one of `known`; None when `text`
    is empty (the default); else BadParameter naming `name` and the `choices`."""
    if not word:
        return None
    if word not in known:
        raise BadParameter(name, f"must be {choices}, not {text[:20]!r}")
    return word
