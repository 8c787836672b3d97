"""The operations drawer's plain functions: trend arrows, table rows, row clicks, print link."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from dashboard.ops.callbacks import print_href, row_selection
from dashboard.ops.tables import freshness_data, gaps_data, ranking_data, trend_arrow


def test_trend_arrow_shows_direction_and_points_of_change():
    assert trend_arrow(Decimal("0.900"), Decimal("0.800")) == "↑ +10.0"
    assert trend_arrow(0.7, 0.8).startswith("↓ -10.0")
    # issue #12: a steady rate shows its (small) change too, not a bare arrow
    assert trend_arrow(0.801, 0.8) == "→ +0.1"
    assert trend_arrow(1, Decimal("1.000")) == "→ ±0.0"
    assert trend_arrow(None, 0.8) == "" and trend_arrow(0.8, None) == ""


def test_ranking_rows_carry_their_code_and_translated_categories():
    row = {"code": "C1", "name": "一街村", "tickets": 12, "response_rate": Decimal("0.5"),
           "solve_rate": Decimal("0.75"), "satisfaction_rate": None, "overdue": 2,
           "top_categories": [{"category": "noise", "n": 5}, {"category": "heating", "n": 3}],
           "repeat_buildings": 1, "previous_solve_rate": Decimal("0.5")}
    zh, en = ranking_data([row], "zh")[0], ranking_data([row], "en")[0]
    assert zh["id"] == "C1" and zh["solve_rate"] == 0.75 and zh["satisfaction_rate"] is None
    assert zh["top_categories"] == "噪音扰民、供暖" and en["top_categories"] == "Noise, Heating"
    assert zh["trend"] == "↑ +25.0"


def test_freshness_rows_say_stale_in_words_and_gaps_name_the_roles():
    fresh = freshness_data([{"code": "G1", "name": "第1网格", "households": 0, "newest": None,
                             "median_age_days": None, "form_coverage": None,
                             "empty_households": 0, "units_without_kind": 0, "stale": True},
                            {"code": "G2", "name": "第2网格", "households": 3,
                             "newest": datetime(2026, 11, 1, 8), "median_age_days": 12.5,
                             "form_coverage": Decimal("1.000"), "empty_households": 0,
                             "units_without_kind": 1, "stale": False}], "zh")
    assert [r["state"] for r in fresh] == ["过期", "正常"] and fresh[1]["newest"] == "2026-11-01"
    gap = gaps_data([{"code": "G1", "name": "n", "community_name": "c",
                      "grid_workers_on_duty": 0, "building_heads_on_duty": 0,
                      "missing": ["grid_worker", "building_head"]}], "zh")[0]
    assert gap["missing"] == "网格员、楼门长"


def test_a_clicked_row_selects_its_region_and_the_print_link_follows_the_grid():
    assert row_selection({"row": 0, "column": 1, "row_id": "G7"}, "grid") == {
        "kind": "grid", "code": "G7"}
    assert row_selection(None, "grid") is None and row_selection({"row": 0}, "grid") is None
    assert print_href("II", {"kind": "grid", "code": "G7"}) == "/print/calllist?level=II&grid=G7"
    assert print_href(None, {"kind": "community", "code": "C1"}) == "/print/calllist?level=III"
