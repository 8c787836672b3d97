"""Problem reasons and fixes in Chinese, for the report a town office reads.

The checks write their reasons in English (tests and logs match on them); this catalogue turns
each known pattern into Chinese when the report is shown or written. An unknown text stays as
it is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.importing.problems import Problem

_V = r"(?P<v>.*)"
REASONS: list[tuple[str, str]] = [
    (r"column missing", "缺少此列"),
    (r"empty", "必填项为空"),
    (r"code (?P<c>.+) repeats row (?P<r>\d+)", "编码 {c} 与第 {r} 行重复"),
    (r"the file has no rows", "文件中没有数据行"),
    (r"town (?P<c>.+) is not in the database", "乡镇 {c} 不在数据库中"),
    (r"more than 1 km outside town (?P<c>.+)", "位于乡镇 {c} 边界外 1 公里以上"),
    (r"members (?P<m>\S+) ≠ registered (?P<r>\S+) \+ floating (?P<f>\S+)",
     "户人口 {m} ≠ 户籍人口 {r} + 流动人口 {f}"),
    (r"(?P<e>[a-z_]+) is before (?P<s>[a-z_]+)", "{e} 早于 {s}"),
    (r"no geometry columns", "没有坐标列"),
    (r"no location", "没有位置"),
    (r"unreadable WKT " + _V, "无法识别的 WKT {v}"),
    (r"not a number: " + _V, "不是数字：{v}"),
    (r"lat/lng swapped\? " + _V, "经纬度填反了？{v}"),
    (r"not degrees: " + _V, "不是经纬度：{v}"),
    (r"(?P<g>\w+) where a point is expected", "应为点，实际为 {g}"),
    (r"(?P<g>\w+) where a polygon is expected", "应为面，实际为 {g}"),
    (r"invalid polygon: " + _V, "面不合法：{v}"),
    (r"(?P<n>\d+) separate parts", "由 {n} 个互不相连的部分组成"),
    (r"unknown value " + _V, "无法识别的取值 {v}"),
    (r"unknown (?P<t>[a-z_]+) (?P<c>.+)", "找不到{t}编码 {c}"),
    (r"not a whole number: " + _V, "不是整数：{v}"),
    (r"(?P<v>\S+) is below (?P<m>\S+)", "{v} 小于 {m}"),
    (r"not yes/no: " + _V, "不是“是/否”：{v}"),
    (r"not a date/time: " + _V, "不是日期时间：{v}"),
    (r"not a JSON object: " + _V, "不是 JSON 对象：{v}"),
    (r"longer than (?P<m>\d+) characters \((?P<n>\d+)\)", "超过 {m} 个字符（{n} 个）"),
]
FIXES: list[tuple[str, str]] = [
    (r"add a column (?P<h>\S+) or map one with --mapping",
     "增加一列 {h}，或用 --mapping 指定对应列"),
    (r"fill in (?P<h>\S+)", "填写 {h}"),
    (r"give each row its own code, or remove the duplicate", "每行使用不同编码，或删除重复行"),
    (r"check that you chose the right file/sheet", "检查是否选错了文件或工作表"),
    (r"import the town boundary first .*", "先导入乡镇边界（gridcmd import towns …）"),
    (r"check the coordinate system .*",
     "检查坐标系（高德坐标加 --crs gcj02，百度坐标加 --crs bd09）"),
    (r"import the (?P<t>[a-z_]+) first, or correct the code", "先导入{t}，或更正编码"),
    (r"correct one of the three counts", "更正三个人数中的一个"),
    (r"correct the times .*", "更正时间（均为北京时间）"),
    (r"add 经度/lng and 纬度/lat columns, or a WKT column", "增加 经度、纬度 两列，或一列 WKT"),
    (r"give the row its coordinates or outline", "填写该行的坐标或轮廓"),
    (r"write it as e\.g\. POLYGON.*", "写成 POLYGON((116.55 39.74, …)) 或 POINT(116.55 39.74)"),
    (r"write decimal degrees, e\.g\. (?P<v>\S+)", "填写小数度，如 {v}"),
    (r"swap the .*", "交换经度与纬度（北京附近经度约 116，纬度约 39）"),
    (r"projected coordinates\? .*", "投影坐标？请用 --crs EPSG:<编号> 指明测绘坐标系"),
    (r"give one point per row .*", "每行一个点（经度、纬度）"),
    (r"draw the outline as a closed polygon", "把轮廓画成闭合的面"),
    (r"fix the outline in QGIS .*", "在 QGIS 中修复（矢量 › 几何工具 › 修复几何图形）"),
    (r"one outline per row: .*", "每行一个轮廓：拆成多行，各用自己的编码"),
    (r"use one of (?P<v>.+)", "请使用以下之一：{v}"),
    (r"write digits only, e\.g\. (?P<v>\S+)", "只填数字，如 {v}"),
    (r"use a number ≥ (?P<v>\S+)", "填写不小于 {v} 的数"),
    (r"write 是/否 or true/false", "填写 是/否"),
    (r"write it as 2024-05-01 08:30 .*", "写成 2024-05-01 08:30（北京时间）或 ISO 8601"),
    (r"shorten it to at most (?P<m>\d+) characters", "缩短到不超过 {m} 个字符"),
    (r"write it as \{.*", '写成 {{"masks": 20000, "tents": 30}}'),
]
# English table names in "unknown building B9" / "import the buildings first".
TABLES_ZH = {"building": "楼栋", "buildings": "楼栋", "grid": "网格", "grids": "网格",
             "compound": "小区", "compounds": "小区", "communitie": "社区",
             "communities": "社区", "household": "户", "households": "户"}
_REASONS = [(re.compile(p + "$"), t) for p, t in REASONS]
_FIXES = [(re.compile(p + "$"), t) for p, t in FIXES]


def _translate(text: str, catalogue: list[tuple[re.Pattern, str]]) -> str:
    for pattern, template in catalogue:
        match = pattern.match(text)
        if match:
            groups = {k: TABLES_ZH.get(v, v) if k == "t" else v
                      for k, v in match.groupdict().items()}
            return template.format(**groups)
    return text


def in_chinese(problem: Problem) -> Problem:
    """The problem with its reason and fix in Chinese (unknown texts unchanged)."""
    return replace(problem, reason=_translate(problem.reason, _REASONS),
                   fix=_translate(problem.fix, _FIXES))
