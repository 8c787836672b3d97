"""What one synthetic town is (spec, targets) and its local metric frame around the centre."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely

CENTRE_LAT = 39.748
CENTRE_LNG = 116.555
# Metres per degree at 39.75° N on the WGS84 ellipsoid; geometry is built in a local metric
# frame and mapped to degrees by this affine map, which keeps convexity and containment exact.
M_PER_DEG_LAT = 111_029.8
M_PER_DEG_LNG = 85_693.0


@dataclass(frozen=True)
class TownSpec:
    """One town to generate: identity, placement, seed and the census targets."""

    code: str
    name: str
    name_en: str
    seed: object  # int or a tuple of ints, fed to numpy.random.default_rng
    lat: float = CENTRE_LAT
    lng: float = CENTRE_LNG
    area_m2: float = 82.4e6
    residents: int = 165_238
    registered: int = 58_120
    communities: int = 10
    villages: int = 50
    grids: int = 300
    incidents: int = 15_000
    real_names: bool = True  # Majuqiao's own community and village names


@dataclass(frozen=True)
class Clock:
    """The anchor instant (00:00 Asia/Shanghai on the anchor date) as numpy seconds."""

    anchor: dt.date

    @property
    def end(self) -> np.datetime64:
        """The anchor as UTC datetime64[s]: every generated event happens before it."""
        return np.datetime64(self.anchor.isoformat() + "T00:00:00") - np.timedelta64(8, "h")


def to_lnglat(spec: TownSpec, geoms: np.ndarray) -> np.ndarray:
    """Metric-frame geometries of `spec` mapped to WGS84 lng/lat (SRID 4326 set)."""
    def affine(xy: np.ndarray) -> np.ndarray:
        out = np.empty_like(xy)
        out[:, 0] = spec.lng + xy[:, 0] / M_PER_DEG_LNG
        out[:, 1] = spec.lat + xy[:, 1] / M_PER_DEG_LAT
        return out

    return shapely.set_srid(shapely.transform(geoms, affine), 4326)


def xy_to_latlng(spec: TownSpec, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Metric-frame coordinates to (lat, lng) arrays, in the same map as to_lnglat."""
    return spec.lat + np.asarray(y) / M_PER_DEG_LAT, spec.lng + np.asarray(x) / M_PER_DEG_LNG


def spread_points(rng: np.random.Generator, region: shapely.Geometry, n: int,
                  existing: np.ndarray | None = None, tries: int = 24) -> np.ndarray:
    """n well-spread points inside `region` (Mitchell's best candidate), as an (n, 2) array."""
    minx, miny, maxx, maxy = region.bounds
    shapely.prepare(region)
    placed = [] if existing is None else list(existing)
    fresh: list[np.ndarray] = []
    for _ in range(n):
        cand = np.empty((0, 2))
        while len(cand) < tries:
            xy = rng.uniform((minx, miny), (maxx, maxy), size=(tries * 4, 2))
            cand = np.vstack([cand, xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])]])
        cand = cand[:tries]
        if placed:
            ref = np.asarray(placed)
            d = np.sqrt(((cand[:, None, :] - ref[None, :, :]) ** 2).sum(-1)).min(1)
            best = cand[int(np.argmax(d))]
        else:
            best = cand[0]
        placed.append(best)
        fresh.append(best)
    return np.asarray(fresh).reshape(-1, 2)


def voronoi_tiles(region: shapely.Geometry, seeds: np.ndarray) -> np.ndarray:
    """Convex region cut into Voronoi cells of `seeds` (in seed order): convex, gap-free tiles."""
    if len(seeds) == 1:
        return np.array([region], dtype=object)
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=region, ordered=True)
    tiles = shapely.intersection(shapely.get_parts(cells), region)
    bad = ~shapely.is_valid(tiles) | (shapely.get_type_id(tiles) != 3)
    if bad.any():
        raise ValueError("a Voronoi tile is not a single valid polygon")
    return tiles


def rectangles(cx: np.ndarray, cy: np.ndarray, w: np.ndarray, h: np.ndarray,
               angle: np.ndarray) -> np.ndarray:
    """Rotated rectangles (width along the angle, height across), built in one vector call."""
    c, s = np.cos(angle), np.sin(angle)
    ux, uy = np.array([-0.5, 0.5, 0.5, -0.5, -0.5]), np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    dx = ux[None, :] * w[:, None]
    dy = uy[None, :] * h[:, None]
    x = cx[:, None] + dx * c[:, None] - dy * s[:, None]
    y = cy[:, None] + dx * s[:, None] + dy * c[:, None]
    return shapely.polygons(np.stack([x, y], axis=-1))
