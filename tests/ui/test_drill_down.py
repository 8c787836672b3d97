"""Drill-down, KPI bar and place search in real headless Chromium over the demo town."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest

from tests.ui.map_clicks import topmost_point

pytestmark = pytest.mark.ui

GRID_PATHS = "path.gc-grids[data-code]"
SHARED_SCREENSHOT = Path("/tmp/gridcmd-drill-down.png")



@pytest.fixture(scope="module")
def db(ui_db_url: str) -> Iterator[psycopg.Connection]:
    """Independent read-only access to the database the server shows."""
    with psycopg.connect(ui_db_url) as conn:
        yield conn


def _open_map(page, server: str) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        f"document.querySelectorAll('{GRID_PATHS}').length >= 100", timeout=20_000)


def _figure(page, name: str) -> int:
    return int(page.locator(f"#drill-{name}").get_attribute("data-value"))


def _zoom(page) -> int:
    return int(re.search(r"(\d+)$", page.locator("#zoom-note").inner_text()).group(1))


def test_clicking_a_grid_opens_its_panel_with_the_households_of_its_buildings(page, server,
                                                                               db):
    _open_map(page, server)
    point = topmost_point(page, GRID_PATHS)
    assert point, "no grid is clickable"
    code = point["code"]
    name, community, households, residents = db.execute(
        "SELECT g.name, c.name, count(h.*), coalesce(sum(h.members), 0) FROM grids g "
        "JOIN communities c ON c.code = g.community_code "
        "LEFT JOIN buildings b ON b.grid_code = g.code "
        "LEFT JOIN households h ON h.building_code = b.code "
        "WHERE g.code = %s GROUP BY g.name, c.name", [code]).fetchone()

    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#drill-panel.gc-open")
    panel.wait_for(timeout=20_000)
    page.locator(".gc-drill-name", has_text=name).wait_for(timeout=20_000)
    assert _figure(page, "residents") == residents
    assert _figure(page, "households") == households
    crumbs = page.locator(".gc-breadcrumb")
    assert crumbs.get_by_role("button", name=community).is_visible()
    assert crumbs.get_by_role("button", name="马驹桥镇").is_visible()
    page.wait_for_timeout(300)  # let the charts draw for the picture
    page.screenshot(path=str(SHARED_SCREENSHOT.with_suffix(".tmp.png")))
    shutil.move(SHARED_SCREENSHOT.with_suffix(".tmp.png"), SHARED_SCREENSHOT)

    # The community crumb re-selects the community; the close button closes the panel.
    crumbs.get_by_role("button", name=community).click()
    page.locator(".gc-drill-name", has_text=community).wait_for(timeout=20_000)
    page.locator("#drill-panel-close").click()
    page.locator("#drill-panel.gc-open").wait_for(state="hidden", timeout=20_000)
    assert page.errors == []


def test_clicking_the_three_no_tile_flies_the_map_to_all_three_no_compounds(page, server, db):
    _open_map(page, server)
    page.locator(".gc-kpi-three_no_compounds .gc-kpi-value").filter(
        has_text=re.compile(r"\d")).wait_for(timeout=20_000)
    # Start closer in than the town view, so the flight to all of them has to move the map
    # (the map keeps data that still serves an unchanged view: no request would show it).
    for zoom in (14, 15):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_function(
            f"document.getElementById('zoom-note').innerText.endsWith('{zoom}')",
            timeout=20_000)
    page.wait_for_timeout(1_000)
    asked: list[str] = []
    page.on("request", lambda req: "/api/layers/grids" in req.url and asked.append(req.url))
    page.locator(".gc-kpi-three_no_compounds").click()
    page.wait_for_function("true")  # let the click's callback go out
    for _ in range(100):
        if asked:
            break
        page.wait_for_timeout(100)
    assert asked, "the map did not move"
    w, s, e, n = db.execute("SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM "
                            "(SELECT ST_Extent(geom) AS b FROM compounds "
                            "WHERE management = 'three_no') x").fetchone()

    def last_box_holds_them() -> bool:
        west, south, east, north = (float(v) for v in
                                    parse_qs(urlparse(asked[-1]).query)["bbox"][0].split(","))
        return west <= w and south <= s and east >= e and north >= n

    # The flight ends with one last viewport request; a busy machine animates it slower (and
    # the map flies again if a panel resizes it), so wait up to 30 s for the latest request to
    # hold all of them, then make sure no later request moved the map off them.
    for _ in range(60):
        if last_box_holds_them():
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(1_500)
    assert last_box_holds_them(), asked[-1]
    assert page.errors == []


def test_searching_an_address_flies_to_the_building_and_opens_its_panel(page, server, db):
    code, address, households, residents = db.execute(
        "SELECT b.code, b.address, count(*), sum(h.members) FROM buildings b "
        "JOIN households h ON h.building_code = b.code "
        "WHERE (SELECT count(*) FROM buildings o WHERE o.address = b.address) = 1 "
        "GROUP BY b.code, b.address ORDER BY b.code LIMIT 1").fetchone()
    _open_map(page, server)
    page.locator("#search-input").fill(address)
    hit = page.locator(".gc-search-hit", has_text=code)
    hit.wait_for(timeout=20_000)
    hit.click()
    page.locator(".gc-drill-name", has_text=address).wait_for(timeout=20_000)
    page.wait_for_function(
        "+document.getElementById('zoom-note').innerText.match(/(\\d+)$/)[1] >= 16",
        timeout=20_000)
    assert _zoom(page) >= 16
    assert _figure(page, "households") == households
    assert _figure(page, "residents") == residents
    page.locator(f"path.gc-buildings[data-code='{code}']").wait_for(timeout=20_000)
    assert page.errors == []
