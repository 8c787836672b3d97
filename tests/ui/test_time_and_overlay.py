"""The time bar and the H3 overlay in real headless Chromium over the demo town."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import psycopg
import pytest

pytestmark = pytest.mark.ui

CASE_MARKERS = "path.gc-cases"
_READY = "document.querySelectorAll('path.gc-grids').length >= 100"

# Cases in the requested bbox and window, counted independently of the layer SQL: the
# window as geo.timewindow reads it (a bare `since` is midnight in the town; no `until`
# means now; neither means the last 30 days).
_CASES_IN = """
SELECT count(*) FROM cases
WHERE ST_Intersects(geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326))
  AND reported_at >= coalesce((%(since)s::date)::timestamp AT TIME ZONE 'Asia/Shanghai',
                              now() - interval '30 days')
  AND reported_at < now()
"""


def _expected_cases(db_url: str, url: str) -> int:
    query = parse_qs(urlparse(url).query)
    west, south, east, north = (float(v) for v in query["bbox"][0].split(","))
    assert "until" not in query  # presets are open-ended: up to now
    with psycopg.connect(db_url) as conn:
        return conn.execute(_CASES_IN, {"west": west, "south": south, "east": east,
                                        "north": north,
                                        "since": query.get("since", [None])[0]}).fetchone()[0]


def _wait_count(page, selector: str, expected: int) -> None:
    page.wait_for_function(
        "([s, n]) => document.querySelectorAll(s).length === n", arg=[selector, expected],
        timeout=10_000)


def test_last_7_days_shows_fewer_case_markers_equal_to_sql(page, server, ui_db_url) -> None:
    requests: list[str] = []
    page.on("request", lambda r: "/api/layers/cases?" in r.url and requests.append(r.url))
    page.goto(server + "/")
    page.wait_for_function(_READY, timeout=20_000)
    page.wait_for_function("document.querySelectorAll('path.gc-cases').length > 0",
                           timeout=10_000)
    page.wait_for_load_state("networkidle")  # the map's first bounds may re-fetch once
    month = _expected_cases(ui_db_url, requests[-1])
    _wait_count(page, CASE_MARKERS, month)

    with page.expect_response(lambda r: "/api/layers/cases?" in r.url and "since=" in r.url):
        page.locator(".gc-presets").get_by_text("近7天", exact=True).click()
    week = _expected_cases(ui_db_url, requests[-1])
    _wait_count(page, CASE_MARKERS, week)
    assert 0 < week < month
    assert "至 今" in page.locator("#time-label").inner_text()
    assert page.errors == []


def test_population_overlay_draws_cells_with_classes_and_unit(page, server) -> None:
    page.goto(server + "/")
    page.wait_for_function(_READY, timeout=20_000)
    page.locator(".gc-h3-select").get_by_text("人口密度", exact=True).click()
    page.wait_for_function("document.querySelectorAll('path.gc-h3').length > 20",
                           timeout=10_000)
    legend = page.locator("#h3-legend").inner_text()
    assert "人/平方公里" in legend
    assert "≥ 20,000" in legend and "<5" in legend
    # Another metric restyles the cells with its own classes (coverage: red, amber, green).
    page.locator(".gc-h3-select").get_by_text("资源覆盖", exact=True).click()
    page.wait_for_function(
        """colours => { const cells = [...document.querySelectorAll('path.gc-h3')];
                        return cells.length > 20
                            && cells.every(c => colours.includes(c.getAttribute('fill'))); }""",
        arg=["#d7191c", "#fdae61", "#1a9641"], timeout=10_000)
    assert "缺口" in page.locator("#h3-legend").inner_text()
    page.locator(".gc-h3-select").get_by_text("无", exact=True).click()
    page.wait_for_function("document.querySelectorAll('path.gc-h3').length === 0",
                           timeout=10_000)
    assert page.errors == []


def test_play_button_steps_the_day_label(page, server) -> None:
    page.goto(server + "/")
    page.wait_for_function(_READY, timeout=20_000)
    label = page.locator("#time-label")
    page.locator("#time-play").click()
    page.wait_for_function(
        "document.getElementById('time-label').innerText.startsWith('当日')", timeout=15_000)
    first = label.inner_text()
    page.wait_for_function(
        f"document.getElementById('time-label').innerText !== '{first}'", timeout=15_000)
    second = label.inner_text()
    assert second.split()[-1] > first.split()[-1]  # ISO dates sort by time
    assert page.locator("#time-play").inner_text() == "‖"  # issue #12: ⏸ had no font
    page.locator("#time-play").click()  # pause: the label stops moving
    page.wait_for_function("document.getElementById('time-play').innerText === '▶'",
                           timeout=15_000)
    assert page.errors == []
