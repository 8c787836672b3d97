"""Geometries of an import: from the file or from lng/lat/WKT columns, checked, in WGS84."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyproj
import shapely
import shapely.affinity

from geo.chinacrs import geometries_to_wgs84, normalise_crs
from geo.importing.fields import Kind

TOWN_TOLERANCE_M = 1000.0
_M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)
MAX_REPAIR_AREA_CHANGE = 0.01  # make_valid is trusted only when it barely moves the area
_POLYGONAL = ("polygon", "multipolygon")

# (index, field, reason, fix): the caller turns these into Problems with user row numbers.
Report = Callable[[int, str, str, str], None]


def is_geographic(crs: str) -> bool:
    """Whether coordinates in `crs` are degrees (so lat/lng can be checked and swapped)."""
    name = normalise_crs(crs)
    return not name.startswith("EPSG:") or pyproj.CRS.from_user_input(name).is_geographic


def from_columns(frame: pd.DataFrame, cols: dict[str, str], report: Report) -> np.ndarray:
    """Geometries from a WKT column or lng/lat columns of a table file (None where unusable)."""
    n = len(frame)
    if "wkt" in cols:
        text = frame[cols["wkt"]].to_numpy(dtype=object)
        geoms = shapely.from_wkt(np.where(text == "", None, text), on_invalid="ignore")
        for i in np.flatnonzero((text != "") & shapely.is_missing(geoms)):
            report(i, "wkt", f"unreadable WKT {text[i][:40]!r}",
                   "write it as e.g. POLYGON((116.55 39.74, …)) or POINT(116.55 39.74)")
        return geoms
    lng = pd.to_numeric(frame[cols["lng"]].replace("", np.nan), errors="coerce").to_numpy()
    lat = pd.to_numeric(frame[cols["lat"]].replace("", np.nan), errors="coerce").to_numpy()
    for name, values, raw in (("lng", lng, frame[cols["lng"]]), ("lat", lat, frame[cols["lat"]])):
        given = (raw.to_numpy(dtype=object) != "") & raw.notna().to_numpy()
        for i in np.flatnonzero(np.isnan(values) & given):
            report(i, name, f"not a number: {raw.iat[i]!r}", "write decimal degrees, e.g. 116.555")
    ok = ~(np.isnan(lng) | np.isnan(lat))
    geoms = np.full(n, None, dtype=object)
    geoms[ok] = shapely.points(lng[ok], lat[ok])
    return geoms


def centres_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of each geometry's centroid (points as they are: centroid() is slow on 100k)."""
    if (shapely.get_type_id(geoms) == 0).all():
        return shapely.get_x(geoms), shapely.get_y(geoms)
    centres = shapely.centroid(geoms)
    return shapely.get_x(centres), shapely.get_y(centres)


def check_degrees(geoms: np.ndarray, report: Report) -> np.ndarray:
    """Report swapped or impossible degree coordinates; True where a row may go on."""
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    # The middle of each bounding box: as telling as the centroid here, and much cheaper.
    box = shapely.bounds(np.where(present, geoms, None))
    x, y = (box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2
    # China lies at lng 73–135, lat 18–54: numbers the other way round were typed swapped.
    swapped = (x >= 15) & (x <= 55) & (y >= 70) & (y <= 140)
    for i in np.flatnonzero(swapped):
        report(i, "lng/lat", f"lat/lng swapped? lng={x[i]:.6f} lat={y[i]:.6f}",
               "swap the 经度/lng and 纬度/lat values (lng ≈ 116, lat ≈ 39 near Beijing)")
    impossible = ~swapped & ((np.abs(x) > 180) | (np.abs(y) > 90))
    for i in np.flatnonzero(impossible):
        report(i, "lng/lat", f"not degrees: x={x[i]:.1f} y={y[i]:.1f}",
               "projected coordinates? pass --crs EPSG:<code> of the survey")
    return present & ~swapped & ~impossible


def _polygon_parts(geom, single: bool) -> object:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    if single:
        # A crossing ring often leaves a sliver beside the real outline; keep the outline (the
        # area check below still refuses the repair when the sliver was not negligible).
        return max(parts, key=lambda p: p.area)
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def shape(geoms: np.ndarray, kind: Kind, report: Report) -> np.ndarray:
    """Geometries coerced to the kind's type, invalid polygons repaired when safe."""
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    # Rows already of the stored type and valid pass untouched (vectorised: most rows do);
    # only the others go through the slow path below.
    wanted = {"point": 0, "polygon": 3, "multipolygon": 6}.get(kind.geometry)
    fine = shapely.get_type_id(geoms) == wanted if wanted is not None else np.ones(len(geoms),
                                                                                   dtype=bool)
    fine &= ~shapely.is_missing(geoms)
    if kind.geometry in _POLYGONAL:
        fine[fine] = shapely.is_valid(geoms[fine])
    out = np.where(fine, geoms, None)
    for i in np.flatnonzero(~fine):
        geom = geoms[i]
        if geom is None:
            continue
        gtype = geom.geom_type
        if kind.geometry == "point":
            if gtype == "MultiPoint" and len(geom.geoms) == 1:
                geom, gtype = geom.geoms[0], "Point"
            if gtype != "Point":
                report(i, "geometry", f"{gtype} where a point is expected",
                       "give one point per row (lng/lat)")
                continue
        elif kind.geometry in _POLYGONAL:
            if gtype not in ("Polygon", "MultiPolygon"):
                report(i, "geometry", f"{gtype} where a polygon is expected",
                       "draw the outline as a closed polygon")
                continue
            if not geom.is_valid:
                repaired = _polygon_parts(shapely.make_valid(geom), kind.geometry == "polygon")
                change = 1.0 if repaired is None else (
                    abs(repaired.area - geom.area) / max(geom.area, repaired.area, 1e-18))
                if change >= MAX_REPAIR_AREA_CHANGE:
                    report(i, "geometry", f"invalid polygon: {shapely.is_valid_reason(geom)}",
                           "fix the outline in QGIS (Vector › Geometry Tools › Fix Geometries)")
                    continue
                geom = repaired
            if kind.geometry == "polygon" and geom.geom_type == "MultiPolygon":
                if len(geom.geoms) != 1:
                    report(i, "geometry", f"{len(geom.geoms)} separate parts",
                           "one outline per row: split it into several rows with own codes")
                    continue
                geom = geom.geoms[0]
            if kind.geometry == "multipolygon" and geom.geom_type == "Polygon":
                geom = shapely.MultiPolygon([geom])
        out[i] = geom
    return out


def to_wgs84(geoms: np.ndarray, crs: str) -> np.ndarray:
    """The geometries with every vertex in WGS84 (None stays None)."""
    out = geoms.copy()
    present = ~shapely.is_missing(geoms)
    if present.any():
        out[present] = geometries_to_wgs84(geoms[present], crs)
    return out


def buffered_town(town) -> object:
    """The town outline grown by TOWN_TOLERANCE_M.

    Buffered in degrees with longitude scaled by cos(latitude) (an equirectangular view): over
    a town a few kilometres across this is within metres of a metric projection, without
    building two PROJ transformers per town on every import.
    """
    k = math.cos(math.radians(town.centroid.y))
    squashed = shapely.affinity.scale(town, xfact=k, yfact=1.0, origin=(0, 0))
    grown = squashed.buffer(TOWN_TOLERANCE_M / _M_PER_DEG)
    return shapely.affinity.scale(grown, xfact=1.0 / k, yfact=1.0, origin=(0, 0))


def outside(geoms: np.ndarray, area) -> np.ndarray:
    """True where a geometry's centre lies outside `area` (missing geometries are not)."""
    present = ~shapely.is_missing(geoms)
    result = np.zeros(len(geoms), dtype=bool)
    if present.any():
        shapely.prepare(area)
        result[present] = ~shapely.contains_xy(area, *centres_xy(geoms[present]))
    return result
