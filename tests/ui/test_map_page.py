"""The command map in real headless Chromium: layers drawn per viewport, toggles, language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ui.map_clicks import topmost_point

pytestmark = pytest.mark.ui

GRID_PATHS = "path.gc-grids"
SHARED_SCREENSHOT = Path("/tmp/gridcmd-map.png")




def _count(page, selector: str) -> int:
    return page.locator(selector).count()


def test_map_draws_grids_in_chinese_without_console_errors(page, server: str,
                                                            tmp_path: Path) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length >= 100", timeout=20_000)
    assert page.get_by_role("heading", name="马驹桥镇 基层治理指挥地图").is_visible()
    assert _count(page, "path.gc-compounds") > 0
    assert _count(page, "path.gc-buildings") == 0  # zoom 13: buildings wait for zoom 15
    assert page.locator(".leaflet-control-scale").is_visible()
    assert page.locator(".gc-legend").get_by_text("三无小区").is_visible()
    page.wait_for_timeout(300)  # let the last layers finish drawing for the picture
    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    shutil.copyfile(shot, SHARED_SCREENSHOT)
    assert page.errors == []


def test_unticking_a_layer_removes_its_paths(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length >= 100", timeout=20_000)
    page.locator(".gc-toggle").get_by_text("网格", exact=True).click()
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length === 0", timeout=20_000)
    assert _count(page, "path.gc-compounds") > 0  # the other layers stay
    assert page.errors == []


def test_language_switch_changes_the_interface_to_english(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length >= 100", timeout=20_000)
    page.get_by_text("English", exact=True).click()
    title = "Majuqiao Town · Grassroots Governance Command Map"
    page.get_by_role("heading", name=title).wait_for(timeout=20_000)
    assert page.locator(".gc-legend").get_by_text("Three-no (unmanaged)").is_visible()
    assert page.locator(".gc-toggle").get_by_text("Grids", exact=True).is_visible()
    assert page.errors == []


def test_zooming_in_fetches_the_new_viewport_and_shows_buildings(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length >= 100", timeout=20_000)
    requests: list[str] = []
    page.on("request", lambda req: "/api/layers/buildings" in req.url and requests.append(req.url))
    # The zoom button, one step at a time: double-clicks get lost while a dense layer draws.
    for zoom in (14, 15):  # 13 → 15, where buildings start
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_function(
            f"document.getElementById('zoom-note').innerText.endsWith('{zoom}')",
            timeout=20_000)
    page.wait_for_function(
        "document.querySelectorAll('path.gc-buildings').length > 0", timeout=20_000)
    assert requests and all("zoom=15" in url for url in requests)
    assert page.locator("#zoom-note").inner_text().endswith("15")
    assert page.errors == []


def test_hovering_a_compound_shows_its_management_in_a_tooltip(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        "document.querySelectorAll('path.gc-compounds').length > 0", timeout=20_000)
    # Point layers (markers) may still be arriving and would cover the chosen spot.
    page.wait_for_load_state("networkidle")
    # A compound whose centre is really on top there (not under the legend or off screen).
    point = topmost_point(page, "path.gc-compounds", lattice=2)
    assert point, "no compound is hoverable"
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5_000)
    assert "管理方式" in tooltip.inner_text()
    assert page.errors == []
