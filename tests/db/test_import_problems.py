"""Bad rows are reported with their row numbers and write nothing (unless --skip-invalid)."""

from __future__ import annotations

import pandas as pd
import psycopg
import pytest

from geo.importing.pipeline import run_import
from tests.db.import_town import BUILDING, POINT, TOWN, seed_town, snapshot

pytestmark = pytest.mark.db

HEADER = "工单编号,来源,诉求类别,办理状态,受理时间,经度,纬度,楼栋编码\n"
LNG, LAT = POINT
BAD_ROWS = [  # (csv line, row as the user sees it, field, word in the reason)
    (f"I0,热线,噪音,solved,2024-05-01 08:00,{LNG},{LAT},B1", None, None, None),
    (f"I1,热线,,solved,2024-05-01 08:00,{LNG},{LAT},", 3, "category", "empty"),
    (f"I2,热线,噪音,solved,2024-13-45 08:00,{LNG},{LAT},", 4, "received_at", "date"),
    (f"I0,热线,噪音,solved,2024-05-01 08:00,{LNG},{LAT},", 5, "code", "repeats row 2"),
    (f"I4,热线,噪音,solved,2024-05-01 08:00,{LAT},{LNG},", 6, "lng/lat", "swapped"),
    (f"I5,热线,噪音,solved,2024-05-01 08:00,117.5,{LAT},", 7, "geometry", "outside"),
    (f"I6,热线,噪音,solved,2024-05-01 08:00,{LNG},{LAT},B404", 8, "building_code", "B404"),
    (f"I7,电话,噪音,solved,2024-05-01 08:00,{LNG},{LAT},", 9, "source", "unknown value"),
    (f"I8,热线,噪音,solved,2024-05-01 08:00,abc,{LAT},", 10, "lng", "not a number"),
    (f"I9,热线,噪音,received,2024-05-01 08:00,{LNG},{LAT},", None, None, None),
]


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    seed_town(empty_db_url)
    return empty_db_url


@pytest.fixture
def bad_csv(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "\n".join(r[0] for r in BAD_ROWS) + "\n", encoding="utf-8")
    return path


def test_every_bad_row_is_reported_and_nothing_is_written(town_url, bad_csv):
    before = snapshot(town_url)
    result = run_import(town_url, "incidents", bad_csv, town_code=TOWN)
    assert not result.written
    found = {(p.row, p.field): p.reason for p in result.problems}
    for _, row, field, word in BAD_ROWS:
        if row is not None:
            assert word in found[(row, field)], (row, field, found)
    assert {p.row for p in result.problems} == {r[1] for r in BAD_ROWS if r[1]}
    assert all(p.file == "incidents.csv" and p.fix for p in result.problems)
    assert snapshot(town_url) == before


def test_skip_invalid_writes_the_good_rows_and_a_rejects_file(town_url, bad_csv):
    result = run_import(town_url, "incidents", bad_csv, skip_invalid=True, town_code=TOWN)
    assert result.written and result.counts.inserted == 2 and result.rejected == 8
    with psycopg.connect(town_url) as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM incidents ORDER BY code")]
    assert codes == ["I0", "I9"]
    rejects = pd.read_csv(bad_csv.with_name("incidents.rejects.csv"), dtype=str)
    assert rejects["row"].astype(int).tolist() == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "swapped" in rejects.loc[rejects["row"] == "6", "problems"].item()


def test_dry_run_counts_but_writes_nothing(town_url, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + BAD_ROWS[0][0] + "\n", encoding="utf-8")
    before = snapshot(town_url)
    result = run_import(town_url, "incidents", path, dry_run=True, town_code=TOWN)
    assert result.counts.inserted == 1 and not result.written
    assert snapshot(town_url) == before


def test_missing_required_column_is_a_whole_file_problem(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(f"工单编号,来源,办理状态,受理时间,经度,纬度\nI1,热线,solved,2024-05-01,{LNG},"
                    f"{LAT}\n", encoding="utf-8")
    result = run_import(town_url, "incidents", path, skip_invalid=True, town_code=TOWN)
    assert [(p.row, p.field) for p in result.problems] == [(None, "category")]
    assert not result.written


def test_household_with_unknown_building_and_bad_counts(town_url, tmp_path):
    path = tmp_path / "households.csv"
    path.write_text("户编号,楼栋编码,房间号,户籍人口,流动人口,人数\n"
                    "H1,B1,101,2,1,\nH2,B9,102,1,1,2\nH3,B1,103,1,1,5\n", encoding="utf-8")
    before = snapshot(town_url)
    result = run_import(town_url, "households", path, town_code=TOWN)
    assert {(p.row, p.field) for p in result.problems} == {(3, "building_code"), (4, "members")}
    assert snapshot(town_url) == before
    result = run_import(town_url, "households", path, skip_invalid=True, town_code=TOWN)
    with psycopg.connect(town_url) as conn:
        assert conn.execute("SELECT members FROM households").fetchall() == [(3,)]


def test_invalid_polygon_is_reported(town_url, tmp_path):
    x0, y0, x1, y1 = BUILDING.bounds
    bowtie = f"POLYGON(({x0} {y0}, {x1} {y1}, {x1} {y0}, {x0} {y1}, {x0} {y0}))"
    path = tmp_path / "buildings.csv"
    path.write_text("楼栋编码,楼栋地址,网格编码,用途,层数,房间数,wkt\n"
                    f'B2,二号楼,G1,住宅,0,4,"{bowtie}"\n', encoding="utf-8")
    result = run_import(town_url, "buildings", path, town_code=TOWN)
    found = {(p.row, p.field) for p in result.problems}
    assert found == {(2, "geometry"), (2, "floors")}


def test_unknown_town_code_is_reported(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + BAD_ROWS[0][0] + "\n", encoding="utf-8")
    result = run_import(town_url, "incidents", path, town_code="999")
    assert [(p.row, p.field) for p in result.problems] == [(2, "town_code")]
