"""The wall display in real Chromium: fills 1080p and 4K walls, refreshes in place, survives a
database outage with a banner that clears itself."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from geo.cluster import EmbeddedCluster
from tests.clients import WALL_TOKEN
from tests.ui.serving import serve, shots
from tests.ui.tiny_town import tiny_town_cluster

REFRESH_S = 2
ACTIVE = ".gc-kpi-active_cases .gc-wall-kpi-value"


def _wall_server(url: str, log: Path):
    """`gridcmd serve` over `url` with a fast wall refresh."""
    return serve(url, log, wall_refresh=str(REFRESH_S), pool_min="1")


@pytest.fixture(scope="module")
def wall(module_demo_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server over the writable demo copy."""
    with _wall_server(module_demo_db_url, tmp_path_factory.mktemp("wall") / "serve.log") as base:
        yield base


def _open(browser, base: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # the redirect to /wall/ is part of the contract; the hall's kiosk brings its token
    page.goto(f"{base}/wall?token={WALL_TOKEN}")
    # the tile shows '–' until the first refresh answers; then a number
    page.wait_for_function(
        f"() => /\\d/.test(document.querySelector('{ACTIVE}')?.textContent)", timeout=20_000)
    return context, page


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_wall_fills_the_screen_without_scrollbars(browser, wall, width, height):
    context, page = _open(browser, wall, width, height)
    try:
        page.wait_for_selector(".gc-wall-map path", timeout=10_000)
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth,"
                              " document.documentElement.scrollHeight, innerHeight]")
        assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
        for tile in page.locator(".gc-wall-kpi").all():
            box = tile.bounding_box()
            assert tile.is_visible() and box["y"] + box["height"] <= height
        # the type grows with the wall: 4K is not a tiny 1080p layout
        font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                             "'.gc-wall-kpi-value')).fontSize)")
        assert font >= 30 * width / 1920
        # the scale bar is legible across the hall: its type and length grow with the wall
        # (Leaflet's own is 12 px type, at most 100 px long, whatever the screen)
        bar = page.evaluate("() => { const e = document.querySelector("
                            "'.gc-wall .leaflet-control-scale-line');"
                            " return [parseFloat(getComputedStyle(e).fontSize),"
                            " e.getBoundingClientRect().width]; }")
        assert bar[0] >= 18 * width / 1920 and bar[1] >= 120 * width / 1920, bar
        assert page.locator(".gc-wall-view").inner_text().strip()
        assert page.locator(".gc-wall-clock").inner_text().count(":") == 2
        assert page.locator(".gc-wall-as-of").inner_text().startswith("数据截至")
        page.screenshot(path=str(Path(tempfile.gettempdir()) / f"gridcmd-wall-{width}.png"))
        assert page.errors == []
    finally:
        context.close()


def test_a_new_case_updates_the_tiles_in_place_and_pulses(browser, wall, module_demo_db_url):
    context, page = _open(browser, wall, 1920, 1080)
    try:
        before = int(page.locator(ACTIVE).inner_text().replace(",", ""))
        page.evaluate("() => { window.__wallMarker = 'still here'; }")
        with psycopg.connect(module_demo_db_url) as conn:
            conn.execute("INSERT INTO cases (code, town_code, category, reported_at, "
                         "building_code, grid_code, h3_cell, geom) SELECT 'WALL-NEW', "
                         "town_code, 'confirmed', now(), building_code, grid_code, h3_cell, "
                         "geom FROM cases ORDER BY code LIMIT 1")
        page.wait_for_function(
            f"() => document.querySelector('{ACTIVE}').textContent.replace(/,/g, '') === "
            f"'{before + 1}'", timeout=5 * REFRESH_S * 1000)
        assert page.evaluate("() => window.__wallMarker") == "still here"  # no reload
        first = page.locator(".gc-wall-ticker li").first
        assert "gc-wall-alert" in first.get_attribute("class")
        assert "gc-wall-case" in first.get_attribute("class")
        # the pulse is on the case itself (overdue tickets pulse in a pane of their own)
        page.wait_for_selector(".leaflet-gc-wall-cases-pane path.gc-wall-pulse",
                               state="attached", timeout=5 * REFRESH_S * 1000)
        assert page.locator(".leaflet-gc-wall-cases-pane path.gc-wall-pulse").count() == 1
    finally:
        context.close()


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[tuple[EmbeddedCluster, str]]:
    """A throwaway cluster on its own port holding a tiny migrated town with one case."""
    with tiny_town_cluster("gridcmd-wall-test-") as pair:
        yield pair


def test_database_outage_shows_a_banner_that_clears_itself(browser, own_cluster,
                                                           tmp_path_factory):
    cluster, url = own_cluster
    log = tmp_path_factory.mktemp("wall-outage") / "serve.log"
    with _wall_server(url, log) as base:
        context, page = _open(browser, base, 1920, 1080)
        try:
            assert page.locator(ACTIVE).inner_text() == "1"
            banner = page.locator(".gc-wall-banner")
            banner.wait_for(state="hidden", timeout=3 * REFRESH_S * 1000)
            cluster.stop()
            banner.wait_for(state="visible", timeout=6 * REFRESH_S * 1000)
            assert "数据未更新 · 自" in banner.inner_text()
            assert "Data not updated since" in banner.inner_text()
            assert page.locator(ACTIVE).inner_text() == "1"  # the last figures stay up
            cluster.start()
            banner.wait_for(state="hidden", timeout=10 * REFRESH_S * 1000)
            assert page.errors == []
        finally:
            context.close()


def test_wall_overview_has_a_legend_naming_overdue_tickets_and_a_scale_bar(browser, wall):
    context, page = _open(browser, wall, 1920, 1080)
    try:
        assert page.locator(".gc-wall-view").inner_text().strip() == "全镇概览"
        legend = page.get_by_test_id("wall-legend")
        assert legend.is_visible()
        text = legend.inner_text()
        for words in ("超期工单", "确诊", "密接", "镇界", "河流"):
            assert words in text, words
        # The legend's overdue dot is the colour the overdue tickets are drawn in.
        dot = page.evaluate("() => getComputedStyle(document.querySelector("
                            "'.gc-wall-legend-dot')).backgroundColor")
        drawn = page.evaluate("() => document.querySelector("
                              "'.leaflet-gc-wall-overdue-pane path')?.getAttribute('fill')")
        assert drawn and dot == "rgb(255, 159, 28)" and drawn.lower() == "#ff9f1c"
        scale = page.locator(".gc-wall .leaflet-control-scale-line")
        assert scale.is_visible() and "m" in scale.inner_text()
        # Legend and scale stay on the map, clear of each other.
        box, bar = legend.bounding_box(), scale.bounding_box()
        assert box["x"] + box["width"] < bar["x"]
        assert page.errors == []
    finally:
        context.close()


# What a 4K wall must grow, read in the page: the legend's type, swatch and box, and the line
# weights of the town boundary and the grid outlines (computed stroke widths of their paths).
_SIZES = """() => {
  const legend = document.querySelector('.gc-wall-legend');
  const mark = document.querySelector('.gc-wall-legend-mark').getBoundingClientRect();
  const stroke = sel => Math.max(...Array.from(document.querySelectorAll(sel))
      .map(p => parseFloat(getComputedStyle(p).strokeWidth)));
  const box = legend.getBoundingClientRect();
  return {font: parseFloat(getComputedStyle(legend).fontSize), height: box.height,
          width: box.width, swatch: mark.width,
          town: stroke('.leaflet-gc-wall-town-pane path'),
          grids: stroke('.leaflet-gc-wall-grids-pane path'),
          communities: stroke('.leaflet-gc-wall-communities-pane path')};
}"""


def test_legend_and_line_weights_grow_with_the_wall(browser, wall):
    """At 3840×2160 the legend and the map's lines are the 1080p wall's, twice as large (the
    scale bar's size factor): not a thin, small-print copy on a larger screen."""
    measured = {}
    for width, height in ((1920, 1080), (3840, 2160)):
        context, page = _open(browser, wall, width, height)
        try:
            page.wait_for_selector(".leaflet-gc-wall-town-pane path", state="attached",
                                   timeout=10_000)
            page.wait_for_selector(".leaflet-gc-wall-grids-pane path", state="attached",
                                   timeout=10_000)
            measured[width] = page.evaluate(_SIZES)
            page.screenshot(path=str(shots("wall") / f"wall-lines-{width}.png"))
            assert page.errors == []
        finally:
            context.close()
    small, big = measured[1920], measured[3840]
    # legible across the hall at 1080p already (Leaflet's own map type is 12 px)
    assert small["font"] >= 18 and small["town"] >= 2, small
    for key in ("font", "height", "width", "swatch", "town", "grids", "communities"):
        assert big[key] >= 1.8 * small[key], (key, small, big)
    # context stays muted under the data: the grid outlines thinner than the town boundary
    assert big["grids"] < big["town"] and small["grids"] < small["town"], (small, big)
