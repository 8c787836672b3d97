"""The map asks again only for layers whose data no longer serves the view (real Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

SHOTS = Path("/work/shots/bounded")


def _zoom_to(page, zoom: int) -> None:
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(
        f"document.getElementById('zoom-note').innerText.endsWith('{zoom}')", timeout=10_000)


def test_zoom_and_pan_refetch_only_the_layers_that_need_it(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function("document.querySelectorAll('path.gc-grids').length >= 100",
                           timeout=20_000)
    page.wait_for_load_state("networkidle")
    asked: list[str] = []
    page.on("request", lambda r: "/api/layers/" in r.url and asked.append(r.url))
    # 13 → 14: outlines are fetched again for the finer zoom, points need no refetch
    _zoom_to(page, 14)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    layers = {url.split("/api/layers/")[1].split("?")[0] for url in asked}
    assert "grids" in layers and not layers & {"tickets", "cases", "resources"}
    asked.clear()
    # a small pan inside the fetched tiles: nothing at all
    page.mouse.move(700, 500)
    page.mouse.down()
    page.mouse.move(690, 495, steps=3)
    page.mouse.up()
    page.wait_for_timeout(1500)
    assert asked == []
    # 14 → 15: buildings enter their zoom range, outlines refetch, points stay
    _zoom_to(page, 15)
    page.wait_for_function("document.querySelectorAll('path.gc-buildings').length > 0",
                           timeout=15_000)
    page.wait_for_load_state("networkidle")
    layers = {url.split("/api/layers/")[1].split("?")[0] for url in asked}
    assert "buildings" in layers and "grids" in layers
    assert not layers & {"tickets", "cases", "resources"}  # points still serve the view
    assert all("zoom=15" in url for url in asked)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "map-z15-after-refetch.png"))
    assert page.errors == []
