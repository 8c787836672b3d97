"""A new town starts from an empty database: boundary, then communities, grids, buildings."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
import shapely

from geo.importing.pipeline import run_import
from tests.db.import_town import BUILDING, TOWN_BOX, write_vector

pytestmark = pytest.mark.db


def test_new_town_from_boundary_down_to_households(empty_db_url, tmp_path):
    box = shapely.box(*TOWN_BOX)
    town = gpd.GeoDataFrame({"乡镇编码": ["T9"], "名称": ["新镇"]}, geometry=[box], crs="EPSG:4326")
    steps = [
        ("towns", write_vector(town, tmp_path / "town.geojson")),
        ("communities", write_vector(gpd.GeoDataFrame(
            {"社区编码": ["C9"], "名称": ["新社区"], "类型": ["村"], "town_code": ["T9"]},
            geometry=[box], crs="EPSG:4326"), tmp_path / "communities.gpkg")),
        ("grids", write_vector(gpd.GeoDataFrame(
            {"网格编码": ["G9"], "名称": ["新网格"], "所属社区": ["C9"], "town_code": ["T9"]},
            geometry=[box], crs="EPSG:4326"), tmp_path / "grids.gpkg")),
    ]
    buildings = tmp_path / "buildings.csv"
    buildings.write_text("楼栋编码,楼栋地址,网格编码,用途,层数,房间数,乡镇编码,wkt\n"
                         f'B9,新一号楼,G9,混合,2,8,T9,"{BUILDING.wkt}"\n', encoding="utf-8")
    households = tmp_path / "households.xlsx"
    pd.DataFrame({"户编号": ["H9"], "楼栋编码": ["B9"], "房间号": ["101"], "户籍人口": [2],
                  "流动人口": [0], "乡镇编码": ["T9"]}).to_excel(households, index=False)
    steps += [("buildings", buildings), ("households", households)]
    for kind, path in steps:
        result = run_import(empty_db_url, kind, path, town_code="T9")
        assert not result.problems, (kind, result.problems)
        assert result.counts.inserted == 1, kind
    with psycopg.connect(empty_db_url) as conn:
        kinds = conn.execute("SELECT kind FROM communities").fetchone()[0]
        cells = conn.execute("SELECT count(*) FROM household_cells").fetchone()[0]
        geom_type = conn.execute("SELECT GeometryType(geom) FROM towns").fetchone()[0]
    assert kinds == "village" and cells == 1 and geom_type == "MULTIPOLYGON"
