"""Region data export over the demo town: row counts, totals, formats, errors and no persons."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from urllib.parse import unquote

import geopandas as gpd
import openpyxl
import psycopg
import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.db

FORMATS = ("geojson", "gpkg", "csv", "xlsx")


@pytest.fixture(scope="module")
def grid(conn: psycopg.Connection) -> dict:
    """A demo grid with people: its code, name, building count and resident total."""
    code, name = conn.execute(
        "SELECT g.code, g.name FROM grids g WHERE EXISTS (SELECT 1 FROM buildings b "
        "JOIN households h ON h.building_code = b.code WHERE b.grid_code = g.code) "
        "ORDER BY g.code LIMIT 1").fetchone()
    buildings = conn.execute("SELECT count(*) FROM buildings WHERE grid_code = %s",
                             (code,)).fetchone()[0]
    residents = conn.execute(
        "SELECT sum(h.members) FROM households h JOIN buildings b ON b.code = h.building_code "
        "WHERE b.grid_code = %s", (code,)).fetchone()[0]
    return {"code": code, "name": name, "buildings": buildings, "residents": residents}


@pytest.fixture(scope="module")
def files(client: FlaskClient, grid: dict) -> dict[str, bytes]:
    """The grid's export in every format (checked to be 200s)."""
    out = {}
    for fmt in FORMATS:
        response = client.get(f"/export/region/grid/{grid['code']}.{fmt}?until=2026-11-25")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        out[fmt] = response.get_data()
    return out


def _csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _gpkg(data: bytes) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        path.write_bytes(data)
        return gpd.read_file(path, engine="pyogrio")


def _xlsx_cells(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_csv_has_one_row_per_building_and_the_household_totals(files, grid):
    rows = _csv_rows(files["csv"])
    assert len(rows) == grid["buildings"]
    assert sum(int(r["常住人口"]) for r in rows) == grid["residents"]
    headers = {"地址", "用途", "层数", "户数", "户籍人口", "流动人口", "老人", "儿童", "经度"}
    assert headers <= set(rows[0])


def test_xlsx_opens_with_a_chinese_header_row(files, grid):
    cells = _xlsx_cells(files["xlsx"])
    assert cells[0][:4] == ("建筑编码", "地址", "用途", "层数")
    assert len(cells) - 1 == grid["buildings"]
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"])).active
    assert sheet.freeze_panes == "A2"


def test_english_headers_on_request(client, grid):
    data = client.get(f"/export/region/grid/{grid['code']}.csv?lang=en").get_data()
    assert "Residents" in _csv_rows(data)[0]


def test_gpkg_reads_back_with_valid_polygons(files, grid):
    gdf = _gpkg(files["gpkg"])
    assert len(gdf) == grid["buildings"]
    assert gdf.geometry.is_valid.all() and set(gdf.geom_type) == {"Polygon"}
    assert int(gdf["residents"].sum()) == grid["residents"]


def test_geojson_parses_with_the_same_count(files, grid):
    collection = json.loads(files["geojson"])
    assert len(collection["features"]) == grid["buildings"]
    assert all(f["geometry"]["type"] == "Polygon" for f in collection["features"])


def test_download_name_is_the_region_name_and_day(client, grid):
    response = client.get(f"/export/region/grid/{grid['code']}.xlsx?until=2026-11-25")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert f"{grid['name']}-2026-11-25.xlsx" in unquote(disposition)


@pytest.mark.parametrize(("path", "parameter"), [
    ("grid/{code}.pdf", "fmt"),
    ("street/{code}.csv", "kind"),
    ("grid/{code}.csv?since=2026-99-01", "since"),
])
def test_bad_parameters_answer_400_naming_them(client, grid, path, parameter):
    response = client.get("/export/region/" + path.format(code=grid["code"]))
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter


def test_unknown_region_answers_404(client):
    response = client.get("/export/region/grid/NO-SUCH-GRID.csv")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_no_personal_data_in_any_format(files, conn, grid):
    persons = conn.execute(
        "SELECT p.id_number, p.phone FROM persons p JOIN households h ON h.code = p.household_code "
        "JOIN buildings b ON b.code = h.building_code WHERE b.grid_code = %s "
        "ORDER BY p.code LIMIT 20", (grid["code"],)).fetchall()
    secrets = [value for row in persons for value in row if value]
    assert secrets, "the demo grid should have persons with phones or ID numbers"
    texts = [files["geojson"].decode(), files["csv"].decode("utf-8-sig"),
             _gpkg(files["gpkg"]).drop(columns="geometry").to_csv(),
             repr(_xlsx_cells(files["xlsx"]))]
    for text in texts:
        assert not [s for s in secrets if s in text]
