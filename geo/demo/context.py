"""Context features for the offline map: rivers, expressway, ring road, main roads, rail, park."""

from __future__ import annotations

import numpy as np
import shapely
from shapely import affinity

from geo.demo.frame import M_PER_DEG_LAT, M_PER_DEG_LNG, TownSpec

# Tiananmen in the Majuqiao frame: the 6th ring road is an arc around it (~21 km away).
_BEIJING_XY = ((116.4074 - 116.555) * M_PER_DEG_LNG, (39.9042 - 39.748) * M_PER_DEG_LAT)


def _meander(rng: np.random.Generator, x0: float, x1: float, y0: float, amp: float,
             slope: float = 0.0) -> shapely.LineString:
    x = np.linspace(x0, x1, 160)
    phase, wave = rng.uniform(0, 2 * np.pi, 2), rng.uniform(1800, 3200)
    y = (y0 + slope * x + amp * np.sin(x / wave * 2 * np.pi + phase[0])
         + amp * 0.3 * np.sin(x / wave * 5.1 + phase[1]))
    return shapely.LineString(np.column_stack([x, y]))


def context_lines(spec: TownSpec, rng: np.random.Generator,
                  boundary: shapely.Polygon) -> list[tuple[str, str, int, shapely.Geometry]]:
    """(kind, name, rank, geometry) in the metric frame, clipped to the enlarged envelope."""
    minx, miny, maxx, maxy = boundary.bounds
    pad = 1000.0
    envelope = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    x0, x1 = minx - 2 * pad, maxx + 2 * pad
    river = _meander(rng, x0, x1, 2600.0, 260.0, slope=-0.12)
    channel = _meander(rng, x0, x1, -3300.0, 150.0, slope=0.05)
    express = shapely.LineString([(-8000, 7200), (-1500, 1300), (8000, -6800)])
    arc_t = np.linspace(0.25, 1.0, 160)  # radians east of due south from Tiananmen
    ring_r = np.hypot(*_BEIJING_XY) - 3000.0
    ring = shapely.LineString(np.column_stack([_BEIJING_XY[0] + ring_r * np.sin(arc_t),
                                               _BEIJING_XY[1] - ring_r * np.cos(arc_t)]))
    rail = shapely.LineString([(-8000, 5200), (-2500, 600), (8000, -7600)])
    roads = [
        ("京津公路(103国道)", shapely.LineString([(-8000, 3600), (0, 200), (8000, -3600)])),
        ("通马路", shapely.LineString([(-1200, 8000), (-1800, 0), (-1500, -8000)])),
        ("漷马路", shapely.LineString([(-8000, -600), (0, -900), (8000, -200)])),
        ("马团路", shapely.LineString([(2200, 8000), (2600, 0), (3400, -8000)])),
        ("兴贸二街", shapely.LineString([(-8000, 1800), (-2600, 2300), (1500, 5200)])),
    ]
    park = river.buffer(90.0).intersection(shapely.Point(-2200, 2400).buffer(900.0))
    if park.is_empty:
        park = shapely.Point(-2600, 2000).buffer(250.0)
    jitter = rng.uniform(-120, 120, 2)
    roads = [(n, affinity.translate(g, *jitter)) for n, g in roads]
    items = [
        ("river", "凉水河", 1, river), ("river", "凤港减河", 2, channel),
        ("road", "京沪高速", 1, express), ("road", "六环路", 1, ring),
        ("rail", "京津城际铁路", 2, rail), ("park", "凉水河滨河公园", 3, park),
    ] + [("road", n, 2, g) for n, g in roads]
    out = []
    for kind, name, rank, geom in items:
        clipped = shapely.intersection(geom, envelope)
        if not clipped.is_empty:
            out.append((kind, name, rank, clipped))
    return out


def keep_out(features: list[tuple[str, str, int, shapely.Geometry]]) -> shapely.STRtree:
    """Corridors no building may touch: river banks, expressway and ring-road verges, rail."""
    widths = {("river", 1): 45.0, ("river", 2): 25.0, ("road", 1): 40.0, ("rail", 2): 20.0,
              ("road", 2): 14.0}
    zones = []
    for kind, _name, rank, geom in features:
        width = widths.get((kind, rank))
        if width:
            # Short segments keep the tree's boxes tight around the corridor.
            pieces = shapely.get_parts(shapely.segmentize(geom, 300.0))
            for line in pieces:
                coords = shapely.get_coordinates(line)
                for a in range(0, len(coords) - 1, 4):
                    seg = shapely.LineString(coords[a:a + 5])
                    zones.append(seg.buffer(width))
    return shapely.STRtree(zones)
