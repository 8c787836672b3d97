"""The Excel form of a kind (`gridcmd template`): Chinese headers, a notes row, drop-down lists.

Row 1 holds the canonical Chinese header of each field (the first built-in synonym, so the
import recognises it), row 2 a note per column (required or not, format, unit), data from
row 3. The import drops a template's notes row (readers.NOTE_MARKS) by itself.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from geo.importing.fields import GEOMETRY_SYNONYMS, KINDS, SYNONYMS, VALUE_SYNONYMS, Field, Kind
from geo.importing.fields import header_map as match_headers
from geo.importing.readers import NOTE_MARKS
from geo.spreadsheet_cells import safe_cell

REQUIRED, OPTIONAL = NOTE_MARKS
FORM_ROWS = 5000  # rows the drop-down lists and number checks cover
SHEET_TITLES = {
    "towns": "乡镇", "communities": "社区村", "grids": "网格", "compounds": "小区院落",
    "buildings": "楼栋", "households": "一户一表", "persons": "人员", "units": "单位门店",
    "incidents": "接诉即办工单", "cases": "病例", "resources": "应急资源", "staff": "网格力量",
    "context": "底图要素"}
# Where the first synonym is not the word a form would use.
_PREFERRED = {("persons", "name"): "姓名", ("staff", "name"): "姓名",
              ("persons", "registered"): "是否户籍", ("cases", "category"): "病例类别",
              ("incidents", "address"): "详细地址"}
_TYPE_NOTES = {
    "text": "文本", "int": "整数", "bool": "是/否",
    "timestamp": "日期时间，如 2024-05-01 08:30（北京时间）",
    "json": '物资清单 JSON，如 {"masks": 20000}', "text[]": "多项用顿号、分隔"}
_GEOMETRY_NOTES = {
    "lng": "经度（WGS84 小数度，如 116.555）；高德/腾讯坐标导入时加 --crs gcj02，百度加 --crs bd09",
    "lat": "纬度（WGS84 小数度，如 39.748）",
    "wkt": "轮廓 WKT，如 POLYGON((116.55 39.74, …))；也可改用 GeoPackage/Shapefile 导入"}


def choice_labels(spec: Field) -> list[str]:
    """The values a drop-down offers: the Chinese word of each allowed code (else the code)."""
    if spec.type == "bool":
        return ["是", "否"]
    words: dict[str, str] = {}
    for word, code in VALUE_SYNONYMS.get(spec.name, {}).items():
        if code in spec.choices and not word.isdigit():
            words.setdefault(code, word)
    return [words.get(code, code) for code in spec.choices]


def _fields(kind: Kind) -> list[Field]:
    # A towns file names its own code; town_code would repeat it.
    return [f for f in kind.fields if not (kind.table == "towns" and f.name == "town_code")]


def headers(kind: Kind) -> dict[str, str]:
    """{field or geometry column: Chinese header}, each checked to import back as itself."""
    names = [f.name for f in _fields(kind)]
    if kind.geometry == "point":
        names += ["lng", "lat"]
    elif kind.geometry is not None:
        names.append("wkt")
    out: dict[str, str] = {}
    for name in names:
        if name == "code" and kind.own_code:
            candidates = kind.own_code[:1]
        else:
            candidates = (SYNONYMS.get(name, ()) + GEOMETRY_SYNONYMS.get(name, ()))
            candidates = tuple(c for c in candidates if not c.isascii())[:1]
        out[name] = _PREFERRED.get((kind.name, name), candidates[0] if candidates else name)
    # A synonym shared with another field of the kind would import into the wrong column:
    # such a header falls back to the field's own (English) name.
    mapped = match_headers(kind, list(out.values()), {})
    return {name: header if mapped.get(header) == name else name
            for name, header in out.items()}


def _note(kind: Kind, name: str) -> str:
    spec = next((f for f in kind.fields if f.name == name), None)
    if spec is None:  # a geometry column
        return f"{REQUIRED}{_GEOMETRY_NOTES[name]}"
    mark = REQUIRED if spec.required else OPTIONAL
    if name == "town_code":
        return f"{OPTIONAL}乡镇编码；空白时为本镇"
    if spec.choices or spec.type == "bool":
        text = "下拉选择：" + "/".join(choice_labels(spec))
    else:
        text = _TYPE_NOTES[spec.type]
    if spec.minimum is not None:
        text += f"，≥ {spec.minimum}"
    if name in kind.foreign_keys:
        text += f"，须为已导入的{SHEET_TITLES.get(kind.foreign_keys[name], '')}编码"
    if kind.table == "households" and name == "members":
        text += "；= 户籍人口 + 流动人口，空白时自动计算"
    return f"{mark}{text}"


def _validation(spec: Field, column: str) -> DataValidation | None:
    cells = f"{column}3:{column}{FORM_ROWS + 2}"
    if spec.choices or spec.type == "bool":
        labels = choice_labels(spec)
        check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                               allow_blank=not spec.required)
        check.error = "请从下拉列表中选择：" + "/".join(labels)
    elif spec.type == "int":
        low = spec.minimum if spec.minimum is not None else -2_147_483_648
        check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(low),
                               allow_blank=not spec.required)
        check.error = f"请填写不小于 {low} 的整数"
    else:
        return None
    check.errorTitle = "填写有误"
    check.showErrorMessage = True
    check.add(cells)
    return check


def write_template(kind_name: str, path: Path) -> Path:
    """Write the Excel form of `kind_name` to `path` (.xlsx)."""
    kind = KINDS[kind_name]
    columns = headers(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLES.get(kind.name, kind.name)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    specs = {f.name: f for f in kind.fields}
    for index, (name, header) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        top = sheet.cell(row=1, column=index, value=safe_cell(header))
        top.font = bold
        note = sheet.cell(row=2, column=index, value=safe_cell(_note(kind, name)))
        note.fill = grey
        note.alignment = Alignment(wrap_text=True, vertical="top")
        note.font = Font(size=9, color="595959")
        sheet.column_dimensions[letter].width = max(14, min(40, len(header) * 3))
        check = _validation(specs[name], letter) if name in specs else None
        if check is not None:
            sheet.add_data_validation(check)
    sheet.row_dimensions[2].height = 48
    sheet.freeze_panes = "A3"
    book.save(path)
    return Path(path)
