"""导出 on the command map: the current view as a PNG download that opens, in real Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.ui.test_snapshot import png_size

pytestmark = pytest.mark.ui


def test_export_view_png_downloads_the_current_view(page, server: str) -> None:
    page.goto(server + "/")
    menu = page.get_by_test_id("export-menu")
    menu.wait_for(state="visible", timeout=20_000)
    page.locator(".gc-export-summary").click()
    link = page.get_by_test_id("export-view-png")
    assert link.is_visible() and "PNG" in link.inner_text()
    # The link follows the map: its bbox, the ticked layers and the language.
    page.wait_for_function("() => /bbox=/.test(document.querySelector("
                           "'[data-testid=export-view-png]').getAttribute('href'))",
                           timeout=20_000)
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    ticked = page.locator("#layer-toggle input:checked").evaluate_all(
        "boxes => boxes.map(b => b.value)")
    assert sorted(query["layers"][0].split(",")) == sorted(ticked)
    west, south, east, north = map(float, query["bbox"][0].split(","))
    assert west < east and south < north and query["lang"] == ["zh"]
    with page.expect_download(timeout=90_000) as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    assert png_size(data) == (1920, 1080)  # a PNG that opens, at the export size
    assert download.value.suggested_filename.endswith(".png")
    pdf = page.get_by_test_id("export-view-pdf").get_attribute("href")
    assert pdf.startswith("/export/snapshot.pdf?") and "bbox=" in pdf
    assert page.get_by_test_id("export-briefing").get_attribute("href") == (
        "/export/briefing.pdf?config=default")
    assert page.errors == []


def test_the_export_menu_closes_like_a_menu(page, server: str) -> None:
    # Issue #12 review: the <details> menu stayed open over the map after clicks elsewhere.
    page.goto(server + "/")
    page.get_by_test_id("export-menu").wait_for(state="visible", timeout=20_000)
    menu = page.locator(".gc-export")
    page.locator(".gc-export-summary").click()
    assert menu.get_attribute("open") is not None
    # above the time bar: the menu's first item is what the pointer finds at its place
    item = page.get_by_test_id("export-view-png").bounding_box()
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest("
                           "'[data-testid=export-view-png]') !== null",
                           [item["x"] + 10, item["y"] + item["height"] / 2])
    assert on_top
    page.locator(".gc-kpi").first.click()  # a click elsewhere closes it
    page.wait_for_function("!document.querySelector('.gc-export').open", timeout=5_000)
    page.locator(".gc-export-summary").click()
    assert menu.get_attribute("open") is not None
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.gc-export').open", timeout=5_000)
    assert page.errors == []
