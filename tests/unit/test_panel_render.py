"""The drill-down panel, KPI tiles and search hits rendered from fixed records (no browser)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dash import dcc, html

from dashboard.kpi_figures import format_kpi, tile_classes
from dashboard.map import ids
from dashboard.map.flyto import fly_to_bbox
from dashboard.map.panel import days_ago, distance, figure_id, inversion_ratio, render_panel
from dashboard.map.panel_callbacks import selection_from_click
from dashboard.map.search_box import hit_list, pick
from geo.timewindow import TOWN_TZ
from layers import REGISTRY

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RECORD: dict[str, Any] = {
    "kind": "grid", "code": "110112104-G0001", "name": "新海南里第1网格",
    "parents": [{"kind": "town", "code": "110112104", "name": "马驹桥镇"},
                {"kind": "community", "code": "110112104001", "name": "新海南里社区"}],
    "buildings": 4, "households": 232, "residents": 1479, "registered": 373, "floating": 1106,
    "rented_households": 72, "elderly": 81, "children": 66, "vulnerable_households": 34,
    "newest_update": NOW - timedelta(days=9, hours=2), "median_update": NOW - timedelta(days=53),
    "compounds": {"three_no": 2, "property": 1}, "caretaker_compounds": 1,
    "units": {"eatery": 3, "institution": 1},
    "open_tickets": {"noise": 2, "sanitation": 5},
    "cases": {"close_contact": 4, "confirmed": 1},
    "case_curve": [{"day": "2026-11-01", "n": 2}, {"day": "2026-11-03", "n": 3}],
    "ticket_trend": [{"week": "2026-10-26", "n": 4}, {"week": "2026-11-02", "n": 3}],
    "resources": [
        {"kind": "depot", "inside": 0, "code": "R1", "name": "储备点甲", "metres": 485.0},
        {"kind": "clinic", "inside": 1, "code": "R2", "name": "卫生站乙", "metres": 1430.0},
        {"kind": "shelter", "inside": 0, "code": None, "name": None, "metres": None},
    ],
    "staff": [{"code": "S1", "name": "赵秀文", "role": "grid_worker", "grid_code": "G1",
               "phone": "176****4147"},
              {"code": "S2", "name": "孔伟彤", "role": "building_head", "grid_code": "G1",
               "phone": "199****3142"}],
    "window": {"since": datetime(2026, 10, 26, tzinfo=TOWN_TZ),
               "until": datetime(2026, 11, 25, tzinfo=TOWN_TZ)},
}


def _walk(node: Any):
    if isinstance(node, list | tuple):
        for child in node:
            yield from _walk(child)
    elif hasattr(node, "to_plotly_json"):
        yield node
        yield from _walk(getattr(node, "children", None))


def _by_id(tree: Any, wanted: Any) -> Any:
    found = [n for n in _walk(tree) if getattr(n, "id", None) == wanted]
    assert len(found) == 1, f"{wanted!r} found {len(found)} times"
    return found[0]


def _text(node: Any) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(_text(c) for c in node)
    return _text(getattr(node, "children", None) or "")


def test_headline_figures_carry_formatted_text_and_bare_numbers():
    tree = render_panel(RECORD, "zh", now=NOW)
    residents = _by_id(tree, figure_id("residents"))
    assert residents.children == "1,479"
    assert residents.to_plotly_json()["props"]["data-value"] == "1479"
    assert _by_id(tree, figure_id("households")).children == "232"
    assert _by_id(tree, figure_id("rented_households")).children == "72"


def test_breadcrumb_lists_parents_as_clickable_crumbs_then_the_region():
    nav = render_panel(RECORD, "zh", now=NOW)[0]
    crumbs = [n for n in _walk(nav) if isinstance(n, html.Button)]
    assert [c.children for c in crumbs] == ["马驹桥镇", "新海南里社区"]
    assert crumbs[1].id == {"type": ids.PANEL_CRUMB, "kind": "community",
                            "code": "110112104001"}
    assert _text(nav).endswith("新海南里第1网格")


def test_inversion_ratio_is_flagged_when_floating_exceeds_registered():
    tree = render_panel(RECORD, "zh", now=NOW)
    badge = _by_id(tree, figure_id("inversion"))
    assert badge.children == "倒挂比 2.97"
    assert "gc-alert" in badge.className
    assert inversion_ratio(0, 5) is None


def test_three_no_compounds_are_highlighted_with_their_caretaker_count():
    tree = render_panel(RECORD, "zh", now=NOW)
    rows = [n for n in _walk(tree) if isinstance(n, html.Li) and "gc-three-no" in
            (n.className or "")]
    assert len(rows) == 1
    assert "三无" in _text(rows[0]) and "代管 1" in _text(rows[0])
    assert _by_id(tree, figure_id("compounds-three_no")).children == "2"


def test_categories_kinds_and_roles_are_translated_in_both_languages():
    zh = _text(render_panel(RECORD, "zh", now=NOW))
    en = _text(render_panel(RECORD, "en", now=NOW))
    for word in ("小餐饮", "噪音扰民", "密接", "确诊", "物资储备点", "网格员", "楼门长"):
        assert word in zh
    for word in ("Eatery", "Noise", "Close contact", "Supply depot", "Grid worker"):
        assert word in en
    # Open tickets total, and cases listed confirmed first (severity order, not by count).
    tree = render_panel(RECORD, "en", now=NOW)
    assert _by_id(tree, figure_id("open-tickets")).children == "7"
    assert en.index("Confirmed") < en.index("Close contact")


def test_resources_show_nearest_with_metres_or_kilometres_and_staff_masked_phones():
    text = _text(render_panel(RECORD, "zh", now=NOW))
    assert "最近：储备点甲 485 m" in text
    assert "最近：卫生站乙 1.4 km" in text
    assert "176****4147" in text
    assert distance(999.6) == "1000 m" and distance(1000) == "1.0 km"


def test_freshness_reads_as_days_ago():
    tree = render_panel(RECORD, "zh", now=NOW)
    assert _by_id(tree, figure_id("newest")).children == "最近更新 9 天前"
    assert _by_id(tree, figure_id("median")).children == "中位更新 53 天前"
    assert days_ago(NOW - timedelta(hours=3), "en", NOW) == "today"
    assert days_ago(None, "zh", NOW) == "–"


def test_charts_are_static_bar_figures_of_the_record_series():
    tree = render_panel(RECORD, "zh", now=NOW)
    graphs = [n for n in _walk(tree) if isinstance(n, dcc.Graph)]
    assert len(graphs) == 2
    trend = _by_id(tree, figure_id("ticket-trend"))
    assert trend.figure["data"][0]["y"] == [4, 3]
    assert trend.figure["data"][0]["x"] == ["10-26", "11-02"]
    assert all(g.config["displayModeBar"] is False for g in graphs)


def test_window_line_shows_the_last_day_inside_the_window():
    text = _text(render_panel(RECORD, "zh", now=NOW))
    assert "统计时段 2026-10-26 至 2026-11-24" in text


def test_empty_record_renders_without_errors():
    empty = {**RECORD, "compounds": None, "units": None, "open_tickets": None, "cases": None,
             "case_curve": None, "ticket_trend": None, "resources": [], "staff": [],
             "registered": 0, "floating": 0, "newest_update": None, "median_update": None}
    text = _text(render_panel(empty, "zh", now=NOW))
    assert "无" in text and "倒挂比 –" in text


def test_clicks_select_regions_through_the_layer_registry_or_the_region_id():
    feature = {"type": "Feature", "properties": {"code": "G7", "name": "x"}}
    grid_layer = {"type": ids.LAYER_GEOJSON, "layer": "grids"}
    assert selection_from_click(grid_layer, feature, REGISTRY) == {"kind": "grid", "code": "G7"}
    h3 = {"type": ids.REGION_GEOJSON, "kind": "h3"}
    cell = {"id": "8931aa", "properties": {"cell": "8931aa", "value": 3}}
    assert selection_from_click(h3, cell, REGISTRY) == {"kind": "h3", "code": "8931aa"}
    context = {"type": ids.LAYER_GEOJSON, "layer": "context"}  # no detail kind: not a region
    assert selection_from_click(context, feature, REGISTRY) is None
    assert selection_from_click({"type": ids.LAYER_GEOJSON, "layer": "nope"}, feature,
                                REGISTRY) is None


def test_kpi_tiles_format_counts_ratios_and_shares_and_flag_alerts():
    assert format_kpi("residents", 165238) == "165,238"
    assert format_kpi("floating_ratio", 1.843) == "1.84"
    assert format_kpi("solved_share", 0.92) == "92.0%"
    assert format_kpi("open_tickets", None) == "–"
    classes = dict(zip(("residents", "floating_ratio", "active_cases"),
                       tile_classes({"floating_ratio": 1.8, "active_cases": 0}), strict=False))
    assert "gc-kpi-alert" in classes["floating_ratio"]
    assert "gc-kpi-alert" not in classes["active_cases"]


def test_search_hits_render_and_picking_one_selects_and_flies_to_it():
    hit = {"kind": "building", "code": "B1", "label": "新海南里1号楼",
           "bounds": [116.5, 39.7, 116.501, 39.7005]}
    buttons = hit_list([hit], "zh")
    assert "建筑" in _text(buttons) and "新海南里1号楼" in _text(buttons)
    selection, viewport = pick(hit)
    assert selection == {"kind": "building", "code": "B1"}
    assert viewport["bounds"] == [[39.7, 116.5], [39.7005, 116.501]]
    assert viewport["transition"] == "flyToBounds"
    assert "无匹配结果" in _text(hit_list([], "zh"))
    # Right padding: the margin plus the legend's width (issue #12: never under the legend).
    assert fly_to_bbox((0, 0, 1, 1))["options"]["paddingBottomRight"][0] == 40 + 250


def test_the_english_panel_and_search_name_places_as_the_english_map():
    # Issue #12 (follow the language switch): the map's English labels are pinyin; the
    # panel's title and crumbs read the same, the official Chinese name under the title.
    tree = render_panel(RECORD, "en", now=NOW)
    assert _text(tree[0]) == "Majuqiao Town›Xinhainanli Community›Xinhainanli Grid 1"
    assert _text(tree[1]) == "Xinhainanli Grid 1" and _text(tree[2]) == "新海南里第1网格"
    zh = render_panel(RECORD, "zh", now=NOW)
    assert _text(zh[1]) == "新海南里第1网格" and "Xinhainanli" not in _text(zh)
    hit = {"kind": "grid", "code": "G1", "label": "一街村第1网格", "bbox": [0, 0, 1, 1]}
    assert _text(hit_list([hit], "en")) == "GridYijie Village Grid 1一街村第1网格 · G1"
    assert _text(hit_list([hit], "zh")) == "网格一街村第1网格G1"
    building = {"kind": "building", "code": "B1", "label": "新海南里1号楼", "bbox": [0, 0, 1, 1]}
    assert "新海南里1号楼B1" in _text(hit_list([building], "en"))  # addresses stay as written
