"""Spotting Gaode/Baidu coordinates imported as WGS84: a consistent offset against stored layers.

A row is compared with what the database already knows of it: the stored row of the same code
(a re-import), or the building it names (building_code); failing those, the grid it names
(grid_code) should contain it. When most such rows sit away from
their reference by the very vector the GCJ-02 (or BD-09) formula gives at that place, the file
was almost surely picked on a Gaode/Tencent (Baidu) map and needs --crs gcj02 (bd09).
"""

from __future__ import annotations

import numpy as np
import psycopg
import shapely
from psycopg import sql

from geo.chinacrs import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02

SAMPLE = 2000  # rows compared at most (the verdict needs a consistent majority, not all)
MATCHING_SHARE = 0.6  # share of compared rows that must show the offset
_M_PER_DEG = 111_320.0
MESSAGE = "坐标疑似为GCJ-02（高德）/BD-09（百度）偏移，请使用 --crs gcj02 / bd09"
_SYSTEMS = {"gcj02": ("GCJ-02（高德/腾讯）", wgs84_to_gcj02),
            "bd09": ("BD-09（百度）", wgs84_to_bd09)}
_INVERSES = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


def _centres(conn: psycopg.Connection, table: str, codes: list[str]) -> dict[str, tuple]:
    # A join on unnest, not `code = ANY(array)`: on a table not analyzed yet (just imported)
    # the planner may scan it comparing each row with every code.
    rows = conn.execute(sql.SQL(
        "SELECT code, ST_X(c), ST_Y(c) FROM (SELECT t.code, ST_Centroid(t.geom) AS c "
        "FROM unnest(%s::text[]) AS w(code) JOIN {} t ON t.code = w.code) s").format(
        sql.Identifier(table)), [codes]).fetchall()
    return {code: (x, y) for code, x, y in rows}


def _references(conn: psycopg.Connection, table: str, columns: dict[str, np.ndarray],
                rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of each sampled row's reference point (NaN where it has none)."""
    rx = np.full(len(rows), np.nan)
    ry = np.full(len(rows), np.nan)
    sources = [("code", table)]
    if "building_code" in columns and table != "buildings":
        sources.append(("building_code", "buildings"))
    for column, ref_table in sources:
        if column not in columns:
            continue
        codes = columns[column][rows]
        open_ = np.isnan(rx) & (codes != None)  # noqa: E711 (element-wise comparison)
        if not open_.any():
            continue
        found = _centres(conn, ref_table, sorted(set(codes[open_])))
        for i in np.flatnonzero(open_):
            if codes[i] in found:
                rx[i], ry[i] = found[codes[i]]
    return rx, ry


def _grid_verdict(conn: psycopg.Connection, columns: dict[str, np.ndarray], rows: np.ndarray,
                  x: np.ndarray, y: np.ndarray) -> str | None:
    """Rows that name their grid but mostly lie outside it, and inside once converted."""
    if "grid_code" not in columns:
        return None
    codes = columns["grid_code"][rows]
    given = codes != None  # noqa: E711 (element-wise comparison)
    if not given.any():
        return None
    stored = dict(conn.execute(
        "SELECT g.code, ST_AsBinary(g.geom) FROM unnest(%s::text[]) AS w(code) "
        "JOIN grids g ON g.code = w.code", [sorted(set(codes[given]))]).fetchall())
    known = np.array([c in stored for c in codes])
    if not known.any():
        return None
    grids = shapely.from_wkb([stored[c] for c in codes[known]])
    px, py = x[rows][known], y[rows][known]
    inside = shapely.contains_xy(grids, px, py).mean()
    if inside >= 0.5:
        return None
    for name, (label, _) in _SYSTEMS.items():
        cx, cy = _INVERSES[name](px, py)
        fixed = shapely.contains_xy(grids, cx, cy).mean()
        if fixed >= 0.8:
            return (f"{MESSAGE}（{len(px)} 行中只有 {inside:.0%} 落在所填网格内，按 {label} 换算后 "
                    f"{fixed:.0%}：最可能是 --crs {name}）")
    return None


def shift_warning(conn: psycopg.Connection, table: str, columns: dict[str, np.ndarray],
                  centres: tuple[np.ndarray, np.ndarray], crs: str) -> str | None:
    """The warning to print when the file looks like GCJ-02/BD-09 imported as WGS84."""
    if crs not in ("wgs84", "cgcs2000"):
        return None
    x, y = centres
    rows = np.flatnonzero(~np.isnan(x))
    if len(rows) > SAMPLE:
        rows = np.random.default_rng(0).choice(rows, SAMPLE, replace=False)
    if not len(rows):
        return None
    rx, ry = _references(conn, table, columns, rows)
    has = ~np.isnan(rx)
    if not has.any():
        return _grid_verdict(conn, columns, rows, x, y)
    px, py, rx, ry = x[rows][has], y[rows][has], rx[has], ry[has]
    scale = np.cos(np.radians(ry))
    dx, dy = (px - rx) * _M_PER_DEG * scale, (py - ry) * _M_PER_DEG
    for name, (label, forward) in _SYSTEMS.items():
        sx, sy = forward(rx, ry)
        sx, sy = (sx - rx) * _M_PER_DEG * scale, (sy - ry) * _M_PER_DEG
        # Within a quarter of the shift (≥ 80 m): a building's points scatter around it.
        near = np.hypot(dx - sx, dy - sy) < np.maximum(80.0, 0.25 * np.hypot(sx, sy))
        if near.mean() >= MATCHING_SHARE:
            metres = float(np.median(np.hypot(dx, dy)))
            return (f"{MESSAGE}（{int(near.sum())}/{len(near)} 行与已有图层相差约 {metres:.0f} 米，"
                    f"方向与 {label} 偏移一致：最可能是 --crs {name}）")
    return None
