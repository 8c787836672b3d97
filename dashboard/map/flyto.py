"""Map moves as values of the dash-leaflet Map `viewport` prop (plain functions, no Dash).

The drill-down panel and the operations drawer dock beside the map (the map narrows), so a
fly pads only for what lies over the map: the legend at the bottom right here, and boxes over
the left side (the zones box), which assets/map_resize.js measures when the fly starts. That
script also flies again when the map narrows mid-flight (the panel docking just after a
search hit or a click), so the target ends in the visible map.
"""

from __future__ import annotations

from geo.params import Bbox

MARGIN_PX = 40
LEGEND_PX = 250  # the legend (236 px, assets/style.css) sits at the map's bottom right: a
#                  target never goes under it
REGION_MAX_ZOOM = 17  # a building's box would otherwise fly to the deepest zoom
DURATION_S = 0.8


def fly_to_bbox(bbox: Bbox, max_zoom: int = REGION_MAX_ZOOM) -> dict:
    """`viewport` that flies the map to show `bbox` (west, south, east, north)."""
    west, south, east, north = (float(v) for v in bbox)
    return {
        "bounds": [[south, west], [north, east]],
        "transition": "flyToBounds",
        # Leaflet's fitBounds options pass straight through (maxZoom, asymmetric padding).
        "options": {"maxZoom": max_zoom, "paddingTopLeft": [MARGIN_PX, MARGIN_PX],
                    "paddingBottomRight": [LEGEND_PX + MARGIN_PX, MARGIN_PX],
                    "duration": DURATION_S},
    }
