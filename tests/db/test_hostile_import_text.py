"""Hostile text in imported files: formula cells stay text in every download, and over-long
cells are refused with file, row, field and limit."""

from __future__ import annotations

import csv
import io

import openpyxl
import psycopg
import pytest
import shapely

from geo.importing.pipeline import rejects_path, run_import
from geo.importing.problems import write_report
from geo.importing.problems_zh import in_chinese
from tests.clients import api_client
from tests.db.import_town import TOWN, seed_town

pytestmark = pytest.mark.db

FORMULA = '=HYPERLINK("http://x","y")'
SHAPE = shapely.box(116.5560, 39.7490, 116.5564, 39.7494).wkt


def _buildings_csv(path, rows: list[tuple[str, str]]):
    lines = ["code,address,grid_code,use,floors,rooms,wkt"]
    lines += [f'{code},"{address.replace(chr(34), chr(34) * 2)}",G1,residential,6,24,"{SHAPE}"'
              for code, address in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    seed_town(empty_db_url)
    return empty_db_url


def test_an_imported_formula_address_is_text_in_the_region_csv_and_xlsx(settings, town_url,
                                                                       tmp_path):
    result = run_import(town_url, "buildings", _buildings_csv(
        tmp_path / "buildings.csv", [("B2", FORMULA), ("B3", "-1 号楼"), ("B4", "@SUM(A1)")]),
        town_code=TOWN)
    assert result.written and not result.problems
    with api_client(settings, town_url, "commander") as client:
        csv_answer = client.get("/export/region/grid/G1.csv?lang=en")
        xlsx_answer = client.get("/export/region/grid/G1.xlsx?lang=en")
    assert csv_answer.status_code == xlsx_answer.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_answer.get_data().decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert "'" + FORMULA in cells and "'-1 号楼" in cells and "'@SUM(A1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)

    book = openpyxl.load_workbook(io.BytesIO(xlsx_answer.get_data()))
    sheet = book.active
    values = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in values if c.data_type == "f"], "no formula cells"
    hyperlink = [c for c in values if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(hyperlink) == 1 and hyperlink[0].data_type == "s"
    assert hyperlink[0].value == "'" + FORMULA
    header = [c.value for c in sheet[1]]
    floors = [row[header.index(next(h for h in header if "loor" in h))].value
              for row in sheet.iter_rows(min_row=2)]
    assert floors == [6, 6, 6, 6]  # numbers stay numbers (B1 of the seeded town and B2-B4)


def test_the_problem_report_and_rejects_file_do_not_carry_live_formulas(town_url, tmp_path):
    path = tmp_path / "buildings.csv"
    path.write_text("code,address,grid_code,use,floors,rooms,wkt\n"
                    f'B5,"=1+1",G1,=cmd|calc,6,24,"{SHAPE}"\n', encoding="utf-8")
    result = run_import(town_url, "buildings", path, skip_invalid=True, town_code=TOWN)
    assert result.problems and result.rejected == 1
    report = tmp_path / "problems.csv"
    write_report(result.problems, report)
    for written in (report, rejects_path(path)):
        with written.open(encoding="utf-8-sig", newline="") as f:
            cells = [cell for row in csv.reader(f) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), written
        assert any(cell.startswith("'=") for cell in cells) or written == report


def test_a_one_megabyte_address_is_refused_with_row_field_and_limit(town_url, tmp_path):
    huge = "路" * 1_000_000
    path = _buildings_csv(tmp_path / "long.csv", [("B6", "一号楼"), ("B7", huge)])
    result = run_import(town_url, "buildings", path, town_code=TOWN)
    assert not result.written
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.field) == ("long.csv", 3, "address")
    assert problem.reason == "longer than 200 characters (1000000)"
    assert problem.fix == "shorten it to at most 200 characters"
    zh = in_chinese(problem)
    assert zh.reason == "超过 200 个字符（1000000 个）" and zh.fix == "缩短到不超过 200 个字符"
    with psycopg.connect(town_url) as conn:
        assert conn.execute("SELECT count(*) FROM buildings").fetchone()[0] == 1  # B1 only


def test_every_text_field_has_a_limit():
    from geo.importing.fields import KINDS

    for kind in KINDS.values():
        for spec in kind.fields:
            assert 0 < spec.limit <= 2000, (kind.name, spec.name)
    assert KINDS["buildings"].fields[2].limit == 200  # address
