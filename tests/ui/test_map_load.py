"""What the command map does at load, in real Chromium: no Dash callback round trip before (or
after) the first paint, each town-view layer fetched once, and the ticket batch box's drawing
tool on the page only once the box opens (issue 12: first paint no later than before it).

The figures the load's callbacks used to fetch are in the page itself: the KPI tiles and the
time bar's histogram (dashboard/map/opening.py), the legend and the layer URLs (map/page.py).
"""

from __future__ import annotations

import re

import pytest

from tests.ui.serving import shots

pytestmark = pytest.mark.ui

SHOTS = shots("map-load")
GRID_PATHS = "path.gc-grids"
DRAW_CHUNK = "async-EditControl"


def _watch(page) -> dict[str, list]:
    seen: dict[str, list] = {"callbacks": [], "layers": [], "draw_chunk": []}

    def request(req) -> None:
        if "_dash-update-component" in req.url:
            seen["callbacks"].append((req.post_data_json or {}).get("output"))
        elif "/api/layers/" in req.url:
            seen["layers"].append(req.url)
        elif DRAW_CHUNK in req.url:
            seen["draw_chunk"].append(req.url)

    page.on("request", request)
    return seen


def _load(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length >= 100", timeout=30_000)
    page.locator(".gc-cluster").first.wait_for(timeout=30_000)  # the ticket bubbles
    page.locator(".leaflet-gc-labels-pane .gc-label").first.wait_for(state="attached",
                                                                     timeout=30_000)


def test_the_map_loads_without_a_callback_round_trip(page, server: str) -> None:
    seen = _watch(page)
    _load(page, server)
    page.wait_for_timeout(2_000)  # callbacks that follow the first paint would come now
    page.screenshot(path=str(SHOTS / "map-loaded.png"))
    assert seen["callbacks"] == []
    # each town-view layer once: no second URL for a map that did not move
    assert seen["layers"] and len(seen["layers"]) == len(set(seen["layers"]))
    # what the load's callbacks used to fill is there
    residents = page.locator(".gc-kpi-residents .gc-kpi-value").inner_text()
    assert re.fullmatch(r"[\d,]+", residents), residents
    bars = page.locator("#time-histogram .gc-hist-day")
    assert bars.count() == 60  # one per play day (dashboard/map/timebar.py PLAY_DAYS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d：病例 \d+ · 诉求 \d+", bars.last.get_attribute("title"))
    assert page.locator("#legend .gc-legend-block").count() >= 3
    # no dash-leaflet component is still waiting for its code ("Loading..." fallbacks)
    assert page.get_by_text("Loading...", exact=True).count() == 0
    assert page.errors == []


def test_the_drawing_tool_comes_with_the_batch_box(page, server: str) -> None:
    seen = _watch(page)
    _load(page, server)
    assert page.locator(".leaflet-draw").count() == 0
    assert seen["draw_chunk"] == []  # its code is not part of the first paint either
    page.locator("[data-testid=ticket-batch-open]").click()
    page.locator(".gc-ticket-batch.gc-open").wait_for(timeout=20_000)
    page.locator(".leaflet-draw").wait_for(state="attached", timeout=20_000)
    assert len(seen["draw_chunk"]) == 1
    page.screenshot(path=str(SHOTS / "batch-box-open.png"))
    # closed and opened again: the same tool, not a second one
    page.locator("[data-testid=ticket-batch-close]").click()
    page.locator(".gc-ticket-batch.gc-hidden").wait_for(state="attached", timeout=20_000)
    page.locator("[data-testid=ticket-batch-open]").click()
    page.locator(".gc-ticket-batch.gc-open").wait_for(timeout=20_000)
    assert page.locator(".leaflet-draw").count() == 1
    assert page.errors == []
