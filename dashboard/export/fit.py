"""Leaflet's fitBounds, computed in Python, so the print view knows its zoom and extent."""

from __future__ import annotations

import math

from geo.params import Bbox

TILE = 256.0
ZOOM_SNAP = 0.25  # finer than whole levels: the requested bbox fills the picture more tightly
MIN_ZOOM, MAX_ZOOM = 0, 22  # the print map's own limits (dashboard/export/print_layout.py)


def _x(lng: float) -> float:
    return (lng + 180.0) / 360.0


def _y(lat: float) -> float:
    # Spherical (Web) Mercator, as Leaflet's EPSG3857 projects it, on a unit square.
    lat = max(-85.0511287798, min(85.0511287798, lat))
    s = math.sin(math.radians(lat))
    return 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


def _lng(x: float) -> float:
    return x * 360.0 - 180.0


def _lat(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def fit_zoom(bbox: Bbox, size: tuple[int, int], snap: float = ZOOM_SNAP) -> float:
    """The zoom Leaflet's fitBounds picks for `bbox` in a map of `size` pixels."""
    west, south, east, north = bbox
    dx = (_x(east) - _x(west)) * TILE
    dy = (_y(south) - _y(north)) * TILE
    zoom = math.log2(min(size[0] / dx, size[1] / dy))
    # Leaflet first rounds away float noise, then floors to the snap so the bbox fits inside.
    zoom = round(zoom / (snap / 100)) * (snap / 100)
    zoom = math.floor(zoom / snap) * snap
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def fit_view(bbox: Bbox, size: tuple[int, int]) -> tuple[tuple[float, float], float, Bbox]:
    """(centre as (lat, lng), zoom, the bbox actually on screen) for `bbox` fitted in `size`."""
    west, south, east, north = bbox
    zoom = fit_zoom(bbox, size)
    # fitBounds centres on the midpoint of the projected corners, not of the degrees.
    cx = (_x(west) + _x(east)) / 2
    cy = (_y(north) + _y(south)) / 2
    world = TILE * 2.0 ** zoom
    half_w, half_h = size[0] / 2 / world, size[1] / 2 / world
    shown = (_lng(cx - half_w), _lat(cy + half_h), _lng(cx + half_w), _lat(cy - half_h))
    return (_lat(cy), _lng(cx)), zoom, shown


def pad(bbox: Bbox, share: float) -> Bbox:
    """`bbox` grown by `share` of its width and height on every side."""
    west, south, east, north = bbox
    dw, dh = (east - west) * share, (north - south) * share
    return west - dw, south - dh, east + dw, north + dh
