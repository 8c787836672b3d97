"""The wall's alerts and ticker order: new cases pulse for a while, overdue tickets always."""

from __future__ import annotations

from datetime import datetime, timedelta

from dashboard.wall.feed import (
    ALERT_HOLD,
    banner,
    hold_alerts,
    ordered,
    overdue_collection,
    ticker_items,
)
from geo.timewindow import TOWN_TZ

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TOWN_TZ)


def _row(kind: str, code: str, minutes_ago: int) -> dict:
    return {"kind": kind, "code": code, "category": "confirmed" if kind == "case" else "noise",
            "grid_code": "G1", "grid_name": "一网格", "at": NOW - timedelta(minutes=minutes_ago),
            "lng": 116.5, "lat": 39.7}


ROWS = [_row("case", "C3", 1), _row("ticket", "T1", 60 * 30), _row("case", "C2", 60),
        _row("ticket", "T2", 60 * 40), _row("case", "C1", 120)]


def test_first_refresh_raises_no_case_alerts():
    assert hold_alerts(ROWS, None, {}, NOW) == {}


def test_a_case_newer_than_the_previous_refresh_is_held_then_released():
    held = hold_alerts(ROWS, NOW - timedelta(minutes=5), {}, NOW)
    assert list(held) == ["C3"]
    later = NOW + ALERT_HOLD - timedelta(seconds=1)
    assert "C3" in hold_alerts(ROWS, later - timedelta(seconds=30), held, later)
    assert hold_alerts(ROWS, NOW + ALERT_HOLD, held, NOW + ALERT_HOLD) == {}


def test_ticker_puts_new_cases_then_a_few_overdue_tickets_first():
    codes = [row["code"] for row in ordered(ROWS, {"C2": NOW.isoformat()}, tickets_on_top=1)]
    assert codes == ["C2", "T1", "C3", "C1", "T2"]
    items = ticker_items(ROWS, {"C2": NOW.isoformat()}, "zh")
    alerted = ["gc-wall-alert" in item.className for item in items]
    assert alerted == [True, True, True, False, False]  # C2, T1, T2, then C3, C1


def test_overdue_tickets_become_points_and_the_banner_speaks_both_languages():
    collection = overdue_collection(ROWS, "en")
    assert [f["id"] for f in collection["features"]] == ["T1", "T2"]
    assert banner(NOW.isoformat(), "zh") == ("数据未更新 · 自 09:00 起 · "
                                             "Data not updated since 09:00")


def test_the_english_ticker_names_grids_as_the_english_map():
    rows = [dict(_row("case", "C1", 5), grid_name="周营村第1网格")]
    grid = ticker_items(rows, {}, "en")[0].children[-1].children
    assert grid == "Zhouying Village Grid 1"
    assert ticker_items(rows, {}, "zh")[0].children[-1].children == "周营村第1网格"
