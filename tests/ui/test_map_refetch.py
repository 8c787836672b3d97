"""The map asks again only for layers whose data no longer serves the view (real Chromium)."""

from __future__ import annotations

import pytest

from tests.json_nodes import json_nodes
from tests.ui.serving import shots

pytestmark = pytest.mark.ui

SHOTS = shots("bounded")


def _zoom_to(page, zoom: int) -> None:
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(
        f"document.getElementById('zoom-note').innerText.endsWith('{zoom}')", timeout=20_000)


def _layers(asked: list[str]) -> set[str]:
    return {url.split("/api/layers/")[1].split("?")[0] for url in asked}


def test_zoom_and_pan_refetch_only_the_layers_that_need_it(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function("document.querySelectorAll('path.gc-grids').length >= 100",
                           timeout=20_000)
    page.wait_for_load_state("networkidle")
    asked: list[str] = []
    page.on("request", lambda r: "/api/layers/" in r.url and asked.append(r.url))
    # 13 → 14: outlines and labels (thinned by zoom) are fetched again for the finer zoom,
    # resources enter their zoom range; the other points need no refetch
    _zoom_to(page, 14)
    # (the page's networkidle was reached at load: waiting for it again returns at once) the
    # viewport callback answers all layers' URLs at once, so its requests go out together
    wanted = {"grids", "labels", "resources"}
    for _ in range(200):
        if wanted <= _layers(asked):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    layers = _layers(asked)
    assert wanted <= layers
    assert not layers & {"tickets", "cases"}
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
    layers = _layers(asked)
    assert {"buildings", "grids", "labels"} <= layers
    assert not layers & {"tickets", "cases", "resources"}  # points still serve the view
    assert all("zoom=15" in url for url in asked)
    page.screenshot(path=str(SHOTS / "map-z15-after-refetch.png"))
    assert page.errors == []


def _layout_urls(layout) -> dict:
    """{layer id: url} of the layer GeoJSONs in a /_dash-layout answer."""
    found = {}
    for node in json_nodes(layout):
        props = (node.get("props") or {}) if isinstance(node, dict) else {}
        cid = props.get("id")
        if isinstance(cid, dict) and cid.get("type") == "layer-geojson":
            found[cid["layer"]] = props.get("url")
    return found


def test_the_town_view_fetches_its_layers_from_the_page_itself_once(page, server: str):
    # First paint: the page carries the town view's data URLs (and the GeoJSON component's
    # code), so each layer fetches as soon as it mounts, not after the first callbacks; the
    # viewport callback's first answer keeps them (no second request for any layer).
    asked: list[str] = []
    page.on("request", lambda r: "/api/layers/" in r.url and asked.append(r.url))
    page.goto(server + "/")
    page.wait_for_function("document.querySelectorAll('path.gc-grids').length >= 100",
                           timeout=20_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    urls = _layout_urls(page.request.get(server + "/_dash-layout").json())
    shown = {layer: url for layer, url in urls.items() if url}
    assert {"grids", "communities", "tickets", "cases", "labels"} <= set(shown), urls
    assert all(url.startswith(f"/api/layers/{layer}?bbox=") and "zoom=13" in url
               for layer, url in shown.items())
    assert sorted(url.split(server, 1)[1] for url in asked) == sorted(shown.values())
    scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.src)")
    assert any(src.endswith("/dash_leaflet/async-GeoJSON.js") for src in scripts)
    assert page.errors == []
