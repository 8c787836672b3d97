"""Every reason and fix the checks write has a Chinese form (pure: no database needed)."""

from __future__ import annotations

import pytest

from geo.importing.problems import Problem
from geo.importing.problems_zh import in_chinese

SAMPLES = [
    ("column missing", "add a column 诉求类别/category or map one with --mapping"),
    ("empty", "fill in 诉求类别/category"),
    ("code I0 repeats row 2", "give each row its own code, or remove the duplicate"),
    ("the file has no rows", "check that you chose the right file/sheet"),
    ("town 999 is not in the database",
     "import the town boundary first (gridcmd import towns …)"),
    ("more than 1 km outside town 110112104",
     "check the coordinate system (--crs gcj02 for Gaode, bd09 for Baidu)"),
    ("unknown building B9", "import the buildings first, or correct the code"),
    ("unknown communitie C9", "import the communities first, or correct the code"),
    ("members 5 ≠ registered 1 + floating 1", "correct one of the three counts"),
    ("solved_at is before received_at", "correct the times (both in Beijing time)"),
    ("no geometry columns", "add 经度/lng and 纬度/lat columns, or a WKT column"),
    ("no location", "give the row its coordinates or outline"),
    ("unreadable WKT 'POLYGON(('",
     "write it as e.g. POLYGON((116.55 39.74, …)) or POINT(116.55 39.74)"),
    ("not a number: 'abc'", "write decimal degrees, e.g. 116.555"),
    ("lat/lng swapped? lng=39.748000 lat=116.555000",
     "swap the 经度/lng and 纬度/lat values (lng ≈ 116, lat ≈ 39 near Beijing)"),
    ("not degrees: x=500000.0 y=4400000.0",
     "projected coordinates? pass --crs EPSG:<code> of the survey"),
    ("LineString where a point is expected", "give one point per row (lng/lat)"),
    ("Point where a polygon is expected", "draw the outline as a closed polygon"),
    ("invalid polygon: Self-intersection[116.5 39.7]",
     "fix the outline in QGIS (Vector › Geometry Tools › Fix Geometries)"),
    ("2 separate parts", "one outline per row: split it into several rows with own codes"),
    ("unknown value '电话'", "use one of hotline, patrol, device"),
    ("not a whole number: '2.5'", "write digits only, e.g. 12"),
    ("0 is below 1", "use a number ≥ 1"),
    ("not yes/no: '也许'", "write 是/否 or true/false"),
    ("not a date/time: '昨天'", "write it as 2024-05-01 08:30 (Beijing time) or ISO 8601"),
    ("not a JSON object: '[1]'", 'write it as {"masks": 20000, "tents": 30}'),
]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(("reason", "fix"), SAMPLES)
def test_reason_and_fix_translate(reason, fix):
    problem = in_chinese(Problem("f.csv", 2, "x", reason, fix))
    assert problem.reason != reason and _has_chinese(problem.reason), problem.reason
    assert problem.fix != fix and _has_chinese(problem.fix), problem.fix
    assert (problem.file, problem.row, problem.field) == ("f.csv", 2, "x")


def test_tables_and_values_are_named_in_chinese():
    problem = in_chinese(Problem("f.csv", 2, "building_code", "unknown building B9",
                                 "import the buildings first, or correct the code"))
    assert problem.reason == "找不到楼栋编码 B9" and problem.fix == "先导入楼栋，或更正编码"
