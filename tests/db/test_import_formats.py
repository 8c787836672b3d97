"""Every file format and coordinate system lands the same point in the same place."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyogrio
import pyproj
import pytest
import shapely

from geo.importing.pipeline import run_import
from tests.db.import_town import (
    BUILDING,
    POINT,
    TOWN,
    incident_rows,
    offset,
    seed_town,
    write_vector,
)

# GDAL warns (in raw bytes) when a Shapefile cuts the Chinese field names to 10 bytes.
pytestmark = [pytest.mark.db, pytest.mark.filterwarnings("ignore::RuntimeWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]


def _distances_m(url: str, table: str = "incidents") -> list[float]:
    """Metres between each imported row's centre and the WGS84 point it was made from."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            psycopg.sql.SQL(
                "SELECT ST_Distance(ST_Centroid(geom)::geography, "
                "ST_SetSRID(ST_MakePoint(%s + (substr(code, 2)::int) * 0.001, %s), 4326)"
                "::geography) FROM {} ORDER BY code").format(psycopg.sql.Identifier(table)),
            [POINT[0], POINT[1]]).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    seed_town(empty_db_url)
    return empty_db_url


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_csv_point_in_each_crs_lands_within_a_metre(town_url, tmp_path, crs):
    path = tmp_path / "incidents.csv"
    incident_rows(3, crs).to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, crs=crs, town_code=TOWN)
    assert not result.problems
    assert result.counts.inserted == 3
    assert max(_distances_m(town_url)) < 1


def test_gcj02_point_without_crs_option_is_about_500_m_off(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    incident_rows(1, "gcj02").to_csv(path, index=False)
    run_import(town_url, "incidents", path, town_code=TOWN)
    assert 400 < _distances_m(town_url)[0] < 600


def test_xlsx_with_chinese_headers_in_bd09(town_url, tmp_path):
    path = tmp_path / "工单.xlsx"
    incident_rows(2, "bd09").to_excel(path, index=False)
    result = run_import(town_url, "incidents", path, crs="bd09", town_code=TOWN)
    assert not result.problems and result.counts.inserted == 2
    assert max(_distances_m(town_url)) < 1
    with psycopg.connect(town_url) as conn:
        source, received, h3 = conn.execute(
            "SELECT source, received_at AT TIME ZONE 'Asia/Shanghai', h3_cell FROM incidents "
            "WHERE code = 'I0'").fetchone()
    assert source == "hotline" and received.hour == 8 and h3 != 0


def _points_frame(crs: str) -> gpd.GeoDataFrame:
    frame = incident_rows(3, "wgs84")
    lngs, lats = frame.pop("经度").to_numpy(), frame.pop("纬度").to_numpy()
    if crs.startswith("EPSG:"):
        x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lngs, lats)
        return gpd.GeoDataFrame(frame, geometry=shapely.points(x, y), crs=crs)
    x, y = offset(lngs, lats, crs)
    return gpd.GeoDataFrame(frame, geometry=shapely.points(x, y), crs="EPSG:4326")


@pytest.mark.parametrize(("suffix", "crs", "option"), [
    (".geojson", "gcj02", "gcj02"),
    (".gpkg", "EPSG:4548", None),  # the file declares its Gauss–Krüger zone
    (".gpkg", "EPSG:4490", None),
    (".zip", "bd09", "bd09"),
    (".zip", "EPSG:4548", None),
])
def test_vector_formats_and_crs_land_within_a_metre(town_url, tmp_path, suffix, crs, option):
    path = write_vector(_points_frame(crs), tmp_path / f"incidents{suffix}")
    result = run_import(town_url, "incidents", path, crs=option, town_code=TOWN)
    assert not result.problems, result.problems
    assert result.counts.inserted == 3
    assert max(_distances_m(town_url)) < 1


def test_utf8_shapefile_with_names_cut_to_ten_bytes(town_url, tmp_path):
    frame = _points_frame("wgs84").rename(columns={
        "工单编号": "code", "来源": "source", "诉求类别": "category", "办理状态": "status",
        "受理时间": "received_at", "办结时间": "solved_at"})
    path = write_vector(frame, tmp_path / "incidents.zip", encoding="utf-8")
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert not result.problems, result.problems
    assert result.counts.inserted == 3


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_shapefile_without_cpg_is_decoded(town_url, tmp_path, encoding):
    frame = _points_frame("wgs84")
    frame["诉求类别"] = ["噪音扰民", "占道经营", "违建"]
    path = write_vector(frame, tmp_path / "incidents.zip", encoding=encoding, cpg=False)
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert not result.problems, result.problems
    with psycopg.connect(town_url) as conn:
        categories = [r[0] for r in conn.execute("SELECT category FROM incidents ORDER BY code")]
    assert categories == ["噪音扰民", "占道经营", "违建"]


def test_polygons_from_gauss_kruger_gpkg_land_in_place(town_url, tmp_path):
    to_gk = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)
    outline = shapely.transform(BUILDING, lambda c: np.column_stack(
        to_gk.transform(c[:, 0], c[:, 1])))
    frame = gpd.GeoDataFrame({"楼栋编码": ["B2"], "楼栋地址": ["二号楼"], "网格编码": ["G1"],
                              "用途": ["出租"], "层数": [3], "房间数": [30]},
                             geometry=[outline], crs="EPSG:4548")
    path = write_vector(frame, tmp_path / "buildings.gpkg")
    result = run_import(town_url, "buildings", path, town_code=TOWN)
    assert not result.problems, result.problems
    with psycopg.connect(town_url) as conn:
        moved, use, h3 = conn.execute(
            "SELECT ST_HausdorffDistance(b.geom::geography::geometry, a.geom) * 111000, "
            "b.use, b.h3_cell FROM buildings a, buildings b "
            "WHERE a.code = 'B1' AND b.code = 'B2'").fetchone()
    assert moved < 1 and use == "rental" and h3 != 0


def test_wkt_column_and_mapping_file(town_url, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("楼号: code\n门牌: address\n所在网格: grid_code\n", encoding="utf-8")
    path = tmp_path / "buildings.csv"
    path.write_text("楼号,门牌,所在网格,用途,层数,房间数,WKT\n"
                    f'B3,三号楼,G1,住宅,2,4,"{BUILDING.wkt}"\n', encoding="utf-8")
    result = run_import(town_url, "buildings", path, mapping=mapping, town_code=TOWN)
    assert not result.problems, result.problems
    assert result.counts.inserted == 1


def test_geopackage_table_keeps_numbers_as_numbers(town_url, tmp_path):
    """Counts come as numpy integers/reals from a GeoPackage: checked without text."""
    frame = pd.DataFrame({"户编号": ["H1", "H2", "H3"], "楼栋编码": ["B1"] * 3,
                          "房间号": ["101", "102", "103"], "户籍人口": [2, 1, 1],
                          "流动人口": [1.0, 0.0, 2.5], "老人": [1.0, np.nan, 0.0],
                          "是否出租": [True, False, True]})
    path = tmp_path / "households.gpkg"
    pyogrio.write_dataframe(frame, path)
    result = run_import(town_url, "households", path, skip_invalid=True, town_code=TOWN)
    assert [(p.row, p.field) for p in result.problems] == [(3, "floating")]
    with psycopg.connect(town_url) as conn:
        rows = conn.execute("SELECT code, members, floating, elderly, renters FROM households "
                            "ORDER BY code").fetchall()
    assert rows == [("H1", 3, 1, 1, True), ("H2", 1, 0, 0, False)]
