"""Chinese coordinate systems: GCJ-02 and BD-09 offsets, and anything-to-WGS84 conversion."""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

from geo.errors import GridcmdError

# Krasovsky 1940 ellipsoid: the published GCJ-02 formula is written against it.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
# Fixed-point iteration converges ~1e-3 per step; 10 steps are far below a millimetre.
_ITERATIONS = 10
NAMED_CRS = ("wgs84", "cgcs2000", "gcj02", "bd09")


class CrsError(GridcmdError):
    """The coordinate system named by the user is unknown."""


def _delta_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lng(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 (Gaode/Tencent) lng/lat of WGS84 lng/lat (the public forward formula)."""
    lng = np.asarray(lngs, dtype=float)
    lat = np.asarray(lats, dtype=float)
    dlat = _delta_lat(lng - 105.0, lat - 35.0)
    dlng = _delta_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return lng + dlng, lat + dlat


def gcj02_to_bd09(lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 (Baidu) lng/lat of GCJ-02 lng/lat (the public forward formula)."""
    x = np.asarray(lngs, dtype=float)
    y = np.asarray(lats, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def wgs84_to_bd09(lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 lng/lat of WGS84 lng/lat."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lngs, lats))


def _invert(forward, lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    # The offsets vary slowly, so x = target - (f(x) - x) converges (fixed point); the
    # closed-form "inverse" found online is only ~1-2 m accurate.
    tx = np.asarray(lngs, dtype=float)
    ty = np.asarray(lats, dtype=float)
    x, y = tx.copy(), ty.copy()
    for _ in range(_ITERATIONS):
        fx, fy = forward(x, y)
        x = x + (tx - fx)
        y = y + (ty - fy)
    return x, y


def gcj02_to_wgs84(lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lng/lat of GCJ-02 lng/lat, by iteration (millimetre accuracy in China)."""
    return _invert(wgs84_to_gcj02, lngs, lats)


def bd09_to_gcj02(lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 lng/lat of BD-09 lng/lat, by iteration."""
    return _invert(gcj02_to_bd09, lngs, lats)


def bd09_to_wgs84(lngs, lats) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lng/lat of BD-09 lng/lat, by iteration over the whole chain."""
    return _invert(wgs84_to_bd09, lngs, lats)


def normalise_crs(crs: str) -> str:
    """'wgs84', 'cgcs2000', 'gcj02', 'bd09' or 'EPSG:n'; CrsError for anything else."""
    name = crs.strip()
    low = name.lower().replace("-", "").replace("_", "")
    if low in NAMED_CRS:
        return low
    if low in ("epsg4326",):
        return "wgs84"
    if low == "epsg4490":
        return "cgcs2000"
    if low.startswith("epsg:") and low[5:].isdigit():
        try:
            pyproj.CRS.from_epsg(int(low[5:]))
        except pyproj.exceptions.CRSError as exc:
            raise CrsError(f"EPSG code {low[5:]} is unknown to PROJ: check the number") from exc
        return f"EPSG:{low[5:]}"
    raise CrsError(f"unknown coordinate system {crs!r}: use wgs84, cgcs2000, gcj02, bd09 "
                   "or EPSG:<number>")


def to_wgs84(lngs, lats, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lng/lat of coordinates given in `crs` (for EPSG:n, x/y in that CRS's units)."""
    name = normalise_crs(crs)
    x = np.asarray(lngs, dtype=float)
    y = np.asarray(lats, dtype=float)
    if name in ("wgs84", "cgcs2000"):
        # CGCS2000 and WGS84 differ by centimetres: storing CGCS2000 as WGS84 is the norm.
        return x.copy(), y.copy()
    if name == "gcj02":
        return gcj02_to_wgs84(x, y)
    if name == "bd09":
        return bd09_to_wgs84(x, y)
    transformer = pyproj.Transformer.from_crs(name, "EPSG:4326", always_xy=True)
    return transformer.transform(x, y)


def geometries_to_wgs84(geoms, crs: str):
    """The shapely geometries (array or one) with every vertex converted to WGS84."""
    name = normalise_crs(crs)
    if name in ("wgs84", "cgcs2000"):
        return geoms

    def convert(coords: np.ndarray) -> np.ndarray:
        lng, lat = to_wgs84(coords[:, 0], coords[:, 1], name)
        return np.column_stack([lng, lat])

    return shapely.transform(geoms, convert)
