"""Map moves as values of the dash-leaflet Map `viewport` prop (plain functions, no Dash)."""

from __future__ import annotations

from geo.params import Bbox

PANEL_PX = 400  # the drill-down panel narrows the map from the right: keep targets left of it
MARGIN_PX = 40
LEGEND_PX = 190  # the legend sits at the map's bottom right: a target never goes under it
REGION_MAX_ZOOM = 17  # a building's box would otherwise fly to the deepest zoom
DURATION_S = 0.8


def fly_to_bbox(bbox: Bbox, panel_open: bool = False,
                max_zoom: int = REGION_MAX_ZOOM) -> dict:
    """`viewport` that flies the map to show `bbox` (west, south, east, north)."""
    west, south, east, north = (float(v) for v in bbox)
    right = LEGEND_PX + (PANEL_PX + MARGIN_PX if panel_open else MARGIN_PX)
    return {
        "bounds": [[south, west], [north, east]],
        "transition": "flyToBounds",
        # Leaflet's fitBounds options pass straight through (maxZoom, asymmetric padding).
        "options": {"maxZoom": max_zoom, "paddingTopLeft": [MARGIN_PX, MARGIN_PX],
                    "paddingBottomRight": [right, MARGIN_PX], "duration": DURATION_S},
    }
