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
        timeout=20_000)


def test_last_7_days_shows_fewer_case_markers_equal_to_sql(page, server, ui_db_url) -> None:
    requests: list[str] = []
    page.on("request", lambda r: "/api/layers/cases?" in r.url and requests.append(r.url))
    page.goto(server + "/")
    page.wait_for_function(_READY, timeout=20_000)
    page.wait_for_function("document.querySelectorAll('path.gc-cases').length > 0",
                           timeout=20_000)
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
                           timeout=20_000)
    legend = page.locator("#h3-legend").inner_text()
    assert "人/平方公里" in legend
    assert "≥ 20,000" in legend and "<5" in legend
    # Another metric restyles the cells with its own classes (coverage: red, amber, green).
    page.locator(".gc-h3-select").get_by_text("资源覆盖", exact=True).click()
    page.wait_for_function(
        """colours => { const cells = [...document.querySelectorAll('path.gc-h3')];
                        return cells.length > 20
                            && cells.every(c => colours.includes(c.getAttribute('fill'))); }""",
        arg=["#d7191c", "#fdae61", "#1a9641"], timeout=20_000)
    assert "缺口" in page.locator("#h3-legend").inner_text()
    page.locator(".gc-h3-select").get_by_text("无", exact=True).click()
    page.wait_for_function("document.querySelectorAll('path.gc-h3').length === 0",
                           timeout=20_000)
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


# The timeline's days as drawn: [day, faint] per bar, and whether the slider's handle shows.
_TIMELINE = """() => ({
  days: Array.from(document.querySelectorAll('#time-histogram .gc-hist-day'))
    .map(d => [d.title.slice(0, 10), d.classList.contains('gc-hist-out')]),
  handle: getComputedStyle(document.querySelector('.gc-time-slider .dash-slider-thumb'))
    .opacity})"""


def _faint_days(page) -> tuple[list[str], list[str], str]:
    timeline = page.evaluate(_TIMELINE)
    shown = [day for day, faint in timeline["days"] if not faint]
    faint = [day for day, faint in timeline["days"] if faint]
    return shown, faint, timeline["handle"]


def test_the_timeline_marks_the_days_the_map_shows(page, server) -> None:
    # Issue #12: with the 30-day window the slider's handle sat on the first play day (60 days
    # back) while the label named the window; the bars now say which days the map holds.
    page.goto(server + "/")
    page.wait_for_function(_READY, timeout=20_000)
    page.wait_for_function("document.querySelectorAll('#time-histogram .gc-hist-day')"
                           ".length === 60", timeout=20_000)
    # the slider is a lazily loaded Dash component: there once its chunk has come
    page.locator(".gc-time-slider .dash-slider-thumb").wait_for(state="attached",
                                                               timeout=20_000)
    since = page.locator("#time-label").inner_text().split()[0]  # "YYYY-MM-DD 至 今"
    shown, faint, handle = _faint_days(page)
    assert shown and faint and handle == "0"
    assert min(shown) == since and max(faint) < since, (since, shown[:2], faint[-2:])

    page.locator(".gc-presets").get_by_text("近7天", exact=True).click()
    page.wait_for_function("document.querySelectorAll('#time-histogram .gc-hist-out')"
                           f".length > {len(faint)}", timeout=15_000)
    week_since = page.locator("#time-label").inner_text().split()[0]
    shown, faint, handle = _faint_days(page)
    assert min(shown) == week_since > since and len(shown) <= 7 and handle == "0"

    # A day chosen on the slider: that bar alone is bright, and the handle shows on it.
    page.locator("#time-play").click()
    page.wait_for_function(
        "document.getElementById('time-label').innerText.startsWith('当日')", timeout=15_000)
    page.locator("#time-play").click()  # pause on the day
    page.wait_for_function("document.getElementById('time-play').innerText === '▶'",
                           timeout=15_000)
    page.wait_for_timeout(1500)  # a tick already on its way when the pause was clicked
    day = page.locator("#time-label").inner_text().split()[-1]
    page.wait_for_function(
        "([d]) => { const on = Array.from(document.querySelectorAll("
        "'#time-histogram .gc-hist-day:not(.gc-hist-out)')); "
        "return on.length === 1 && on[0].title.startsWith(d); }", arg=[day], timeout=15_000)
    shown, _, handle = _faint_days(page)
    assert shown == [day] and handle == "1"
    assert page.errors == []
