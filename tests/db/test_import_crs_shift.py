"""A Gaode/Baidu file imported as WGS84 is flagged by its consistent offset against stored data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely

from geo.chinacrs import wgs84_to_gcj02
from geo.importing.pipeline import run_import
from tests.db.import_town import BUILDING, TOWN, offset, seed_town, write_vector

pytestmark = pytest.mark.db


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    seed_town(empty_db_url)
    return empty_db_url


def _tickets_at_b1(crs: str, n: int = 4) -> pd.DataFrame:
    """Tickets of building B1, picked a few metres around it, coordinates written in `crs`."""
    centre = BUILDING.centroid
    lngs = centre.x + (pd.RangeIndex(n).to_numpy() - n / 2) * 0.0001
    lats = [centre.y] * n
    x, y = offset(lngs, lats, crs)
    return pd.DataFrame({"工单编号": [f"T{i}" for i in range(n)], "来源": "热线",
                         "诉求类别": "噪音", "办理状态": "已受理",
                         "受理时间": "2024-05-01 08:00", "楼栋编码": "B1",
                         "经度": x, "纬度": y})


@pytest.mark.parametrize(("written", "named"), [("gcj02", "--crs gcj02"),
                                                ("bd09", "--crs bd09")])
def test_offset_file_imported_as_wgs84_is_warned_about(town_url, tmp_path, written, named):
    path = tmp_path / "工单.csv"
    _tickets_at_b1(written).to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert not result.problems, result.problems  # a warning, not a refusal
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("坐标疑似为GCJ-02（高德）/BD-09（百度）偏移")
    assert named in result.warnings[0]


@pytest.mark.parametrize(("written", "option"), [("wgs84", None), ("gcj02", "gcj02"),
                                                 ("bd09", "bd09")])
def test_file_in_the_right_system_gets_no_warning(town_url, tmp_path, written, option):
    path = tmp_path / "工单.csv"
    _tickets_at_b1(written).to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, crs=option, town_code=TOWN)
    assert not result.problems and result.warnings == []


def test_reimported_outline_in_gcj02_is_compared_with_its_stored_self(town_url, tmp_path):
    moved = shapely.transform(BUILDING, lambda c: np.column_stack(
        wgs84_to_gcj02(c[:, 0], c[:, 1])))
    frame = gpd.GeoDataFrame({"楼栋编码": ["B1"], "楼栋地址": ["一号楼"], "网格编码": ["G1"],
                              "用途": ["住宅"], "层数": [6], "房间数": [24]},
                             geometry=[moved], crs="EPSG:4326")
    path = write_vector(frame, tmp_path / "buildings.gpkg")
    result = run_import(town_url, "buildings", path, dry_run=True, town_code=TOWN)
    assert result.warnings and "--crs gcj02" in result.warnings[0]


def test_rows_outside_the_grid_they_name_until_converted_are_warned_about(town_url, tmp_path):
    small = BUILDING.centroid.buffer(0.0015)  # a grid ~250 m across around B1
    with psycopg.connect(town_url) as conn:
        conn.execute("INSERT INTO grids (code, town_code, name, community_code, geom) VALUES "
                     "('G2', %s, '二网格', 'C1', ST_GeomFromText(%s, 4326))", [TOWN, small.wkt])
    rows = _tickets_at_b1("gcj02").drop(columns="楼栋编码").assign(网格编码="G2")
    path = tmp_path / "工单.csv"
    rows.to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, dry_run=True, town_code=TOWN)
    assert result.warnings and "所填网格" in result.warnings[0]
    assert "--crs gcj02" in result.warnings[0]
    fixed = run_import(town_url, "incidents", path, crs="gcj02", dry_run=True, town_code=TOWN)
    assert fixed.warnings == []
