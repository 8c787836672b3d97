"""A tiny hand-made town for import tests, and files written in every format and CRS."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely

from geo.chinacrs import wgs84_to_bd09, wgs84_to_gcj02
from geo.h3cells import cells

TOWN = "110112104"
# Town box around Majuqiao; one community, one grid covering it, one building in the middle.
TOWN_BOX = (116.50, 39.70, 116.62, 39.80)
BUILDING = shapely.box(116.5548, 39.7478, 116.5552, 39.7482)
POINT = (116.555, 39.748)  # lng, lat in WGS84


def seed_town(url: str) -> None:
    """Insert the town, community C1, grid G1 and building B1."""
    box = shapely.box(*TOWN_BOX)
    h3 = int(cells([BUILDING.centroid.y], [BUILDING.centroid.x])[0])
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO towns (code, town_code, name, geom) VALUES "
                     "(%s, %s, '马驹桥镇', ST_Multi(ST_GeomFromText(%s, 4326)))",
                     [TOWN, TOWN, box.wkt])
        conn.execute("INSERT INTO communities (code, town_code, name, kind, geom) VALUES "
                     "('C1', %s, '一社区', 'community', ST_Multi(ST_GeomFromText(%s, 4326)))",
                     [TOWN, box.wkt])
        conn.execute("INSERT INTO grids (code, town_code, name, community_code, geom) VALUES "
                     "('G1', %s, '一网格', 'C1', ST_GeomFromText(%s, 4326))", [TOWN, box.wkt])
        conn.execute("INSERT INTO buildings (code, town_code, address, grid_code, use, floors, "
                     "rooms, h3_cell, geom) VALUES ('B1', %s, '一号楼', 'G1', 'residential', 6, "
                     "24, %s, ST_GeomFromText(%s, 4326))", [TOWN, h3, BUILDING.wkt])


def offset(lngs, lats, crs: str):
    """WGS84 lng/lat written the way a file in `crs` would hold them."""
    if crs == "gcj02":
        return wgs84_to_gcj02(lngs, lats)
    if crs == "bd09":
        return wgs84_to_bd09(lngs, lats)
    return np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)


def incident_rows(n: int = 3, crs: str = "wgs84") -> pd.DataFrame:
    """Incidents near POINT with Chinese headers, coordinates in `crs`."""
    lngs = POINT[0] + np.arange(n) * 0.001
    lats = np.full(n, POINT[1])
    x, y = offset(lngs, lats, crs)
    return pd.DataFrame({
        "工单编号": [f"I{i}" for i in range(n)], "来源": ["热线"] * n,
        "诉求类别": ["噪音"] * n, "办理状态": ["solved"] * n,
        "受理时间": ["2024-05-01 08:00"] * n, "办结时间": ["2024-05-02 09:30"] * n,
        "经度": x, "纬度": y})


def write_vector(frame: gpd.GeoDataFrame, path: Path, encoding: str = "gbk",
                 cpg: bool = True) -> Path:
    """Write GeoJSON / GPKG, or a zipped Shapefile (GBK DBF by default) when path ends in .zip;
    cpg=False leaves out the .cpg naming the encoding, as older Chinese GIS software does."""
    if path.suffix == ".zip":
        folder = path.with_suffix("")
        folder.mkdir()
        frame.to_file(folder / "data.shp", engine="pyogrio", encoding=encoding)
        if not cpg:
            (folder / "data.cpg").unlink()
        with zipfile.ZipFile(path, "w") as zf:
            for part in folder.iterdir():
                zf.write(part, part.name)
        return path
    frame.to_file(path, engine="pyogrio")
    return path


def snapshot(url: str) -> dict[str, object]:
    """Row counts and an md5 of every imported table's rows: equal means untouched."""
    out = {}
    with psycopg.connect(url) as conn:
        for table in ("towns", "communities", "grids", "compounds", "buildings", "households",
                      "units", "incidents", "cases", "resources", "staff"):
            out[table] = conn.execute(
                psycopg.sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' "
                                "ORDER BY code), '')) FROM {} t").format(
                    psycopg.sql.Identifier(table))).fetchone()
    return out


def import_csv(url: str, directory: Path, kind: str, text: str) -> None:
    """Import `text` as a CSV of `kind` into the demo town; it must import without problems."""
    from geo.importing.pipeline import run_import

    path = directory / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    assert not run_import(url, kind, path, town_code=TOWN).problems


def import_demo_households(url: str, directory: Path) -> str:
    """Import two new households (0+3 and 1+1 people) into the first rental building of the
    demo town and move the first household there with 2+2: returns that building's code."""
    with psycopg.connect(url) as conn:
        building = conn.execute("SELECT code FROM buildings WHERE use = 'rental' "
                                "ORDER BY code LIMIT 1").fetchone()[0]
        known = conn.execute("SELECT code FROM households ORDER BY code LIMIT 1").fetchone()[0]
    import_csv(url, directory, "households", "户编号,楼栋编码,房间号,户籍人口,流动人口\n"
               f"NEW-1,{building},901,0,3\nNEW-2,{building},902,1,1\n"
               f"{known},{building},903,2,2\n")
    return building
