"""`gridcmd template`: the Excel form has Chinese headers, notes, drop-downs, and imports back."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from dashboard.cli import main
from geo.importing.fields import KINDS, header_map
from geo.importing.pipeline import run_import
from tests.db.import_town import BUILDING, POINT, TOWN, seed_town

pytestmark = pytest.mark.db


def _form(tmp_path, kind: str):
    path = tmp_path / f"{kind}.xlsx"
    result = CliRunner().invoke(main, ["template", kind, "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path, load_workbook(path)


def _lists(sheet) -> dict[str, str]:
    """{first cell of the range: formula} of every drop-down list."""
    return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation
            if dv.type == "list"}


def test_households_form_has_chinese_headers_notes_and_lists(tmp_path):
    _, book = _form(tmp_path, "households")
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["户编码", "乡镇编码", "楼栋编码", "房间号"]
    assert {"户籍人口", "流动人口", "是否出租", "老人", "儿童"} <= set(header)
    # Every header imports back as its own field.
    assert set(header_map(KINDS["households"], header, {}).values()) == set(
        KINDS["households"].field_names)
    notes = [c.value for c in sheet[2]]
    assert notes[0].startswith("【必填】") and notes[1].startswith("【选填】")
    assert sheet.freeze_panes == "A3"
    renters = header.index("是否出租")
    assert _lists(sheet)[f"{chr(ord('A') + renters)}3"] == '"是,否"'
    whole = [dv for dv in sheet.data_validations.dataValidation if dv.type == "whole"]
    assert len(whole) == 6  # members, registered, floating, elderly, children, vulnerable


def test_buildings_form_lists_uses_in_chinese(tmp_path):
    _, book = _form(tmp_path, "buildings")
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[0] == "楼栋编码" and "楼栋地址" in header and header[-1] == "几何"
    use = chr(ord("A") + header.index("用途"))
    assert _lists(sheet)[f"{use}3"] == '"住宅,出租,混合,商业,工业,公共"'


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    seed_town(empty_db_url)
    return empty_db_url


def _fill(path, sheet, rows: list[dict[str, object]]) -> None:
    header = [c.value for c in sheet[1]]
    for r, row in enumerate(rows, start=3):
        for name, value in row.items():
            sheet.cell(row=r, column=header.index(name) + 1, value=value)
    sheet.parent.save(path)


def test_filled_households_form_imports_back(town_url, tmp_path):
    path, book = _form(tmp_path, "households")
    _fill(path, book.active, [
        {"户编码": "H1", "楼栋编码": "B1", "房间号": "101", "户籍人口": 2, "流动人口": 1,
         "是否出租": "否", "老人": 1},
        {"户编码": "H2", "楼栋编码": "B1", "房间号": "102", "户籍人口": 0, "流动人口": 3,
         "是否出租": "是"}])
    result = run_import(town_url, "households", path, town_code=TOWN)
    assert not result.problems, result.problems
    assert result.counts.inserted == 2
    with psycopg.connect(town_url) as conn:
        rows = conn.execute("SELECT code, members, renters, elderly, town_code FROM households "
                            "ORDER BY code").fetchall()
    assert rows == [("H1", 3, False, 1, TOWN), ("H2", 3, True, 0, TOWN)]


def test_filled_forms_report_spreadsheet_row_numbers(town_url, tmp_path):
    path, book = _form(tmp_path, "incidents")
    good = {"工单编号": "I1", "来源": "热线", "诉求类别": "噪音", "状态": "已受理",
            "受理时间": "2024-05-01 08:00", "经度": POINT[0], "纬度": POINT[1]}
    _fill(path, book.active, [good, {**good, "工单编号": "I2", "来源": "电话"}])
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert [(p.row, p.field) for p in result.problems] == [(4, "source")]


def test_filled_buildings_form_imports_back(town_url, tmp_path):
    path, book = _form(tmp_path, "buildings")
    _fill(path, book.active, [{"楼栋编码": "B2", "楼栋地址": "二号楼", "网格编码": "G1",
                               "用途": "出租", "层数": 5, "房间数": 40, "几何": BUILDING.wkt}])
    result = run_import(town_url, "buildings", path, town_code=TOWN)
    assert not result.problems, result.problems
    assert result.counts.inserted == 1
