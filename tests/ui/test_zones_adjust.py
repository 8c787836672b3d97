"""Adjusting a zone proposal and calling the roster from the zones box, in headless Chromium:
open the box from a case, add a compound by code, propose again → the 封控区 grows by that
compound's residents (equal to GET /api/zones for the same parameters); the call-list link is
centred on the case and opens a page of masked names; the nearest people are listed masked."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import psycopg
import pytest
from playwright.sync_api import expect

from tests.ui.map_clicks import open_zones_box_on_a_case, topmost_points
from tests.ui.settle import wait_still

pytestmark = pytest.mark.ui

PROPOSAL_PATHS = "path.gc-zone-proposal[data-code]"
MASKED = re.compile(r"[\u4e00-\u9fff]\*+[\u4e00-\u9fff]?")


def _residents(page) -> int:
    return int(page.locator("#zones-containment-residents").get_attribute("data-value"))


def test_adding_a_compound_by_code_grows_the_containment(page, server, ui_db_url):
    open_zones_box_on_a_case(page, server)
    page.locator("#zones-propose").click()
    expect(page.locator(PROPOSAL_PATHS)).to_have_count(3, timeout=15_000)
    before = _residents(page)
    # nothing else at the map's bottom left covers the box's figures (the ticket batch box,
    # opened from the title bar, steps beside it)
    box = page.locator("#zones-panel").bounding_box()
    batch = page.locator(".gc-ticket-batch")
    page.locator("[data-testid=ticket-batch-open]").click()
    page.locator(".gc-ticket-batch.gc-open").wait_for(timeout=10_000)
    assert batch.is_visible()
    other = batch.bounding_box()
    assert other["x"] >= box["x"] + box["width"], (box, other)
    window = page.locator(".gc-zones-window")
    since, until = window.get_attribute("data-since"), window.get_attribute("data-until")

    with psycopg.connect(ui_db_url) as conn:
        containment = page.request.get(f"{server}/api/zones?" + urlencode(
            {"since": since, "until": until})).json()["features"][0]["geometry"]
        code, grows = conn.execute(
            "SELECT p.code, (SELECT coalesce(sum(h.members), 0) FROM households h "
            "JOIN buildings b ON b.code = h.building_code WHERE b.compound_code = p.code) "
            "FROM compounds p WHERE EXISTS (SELECT 1 FROM buildings b JOIN households h "
            "ON h.building_code = b.code WHERE b.compound_code = p.code) "
            "AND NOT ST_DWithin(p.geom::geography, ST_GeomFromGeoJSON(%s)::geography, 50) "
            "ORDER BY p.code LIMIT 1", [json.dumps(containment)]).fetchone()
    assert grows > 0

    page.locator("#zones-add_compounds").fill(code)
    expect(page.locator(f".gc-zones-chip[data-code='{code}']")).to_have_count(1)
    page.locator("#zones-propose").click()
    expect(page.locator("#zones-containment-residents")).to_have_attribute(
        "data-value", str(before + grows), timeout=15_000)
    answer = page.request.get(f"{server}/api/zones?" + urlencode(
        {"since": since, "until": until, "add_compounds": code}))
    assert answer.ok
    for feature in answer.json()["features"]:
        for name in ("residents", "households", "elderly", "children"):
            shown = page.locator(f"#zones-{feature['id']}-{name}").get_attribute("data-value")
            assert int(shown) == feature["properties"][name], (feature["id"], name)

    # the chip's × takes the compound out again; proposing again gives the first answer
    page.locator(f".gc-zones-chip[data-code='{code}']").click()
    expect(page.locator("#zones-add_compounds")).to_have_value("")
    page.locator("#zones-propose").click()
    expect(page.locator("#zones-containment-residents")).to_have_attribute(
        "data-value", str(before), timeout=15_000)

    # an unknown code is named in the box
    page.locator("#zones-add_compounds").fill("NO-SUCH-COMPOUND")
    page.locator("#zones-propose").click()
    expect(page.locator("#zones-result")).to_contain_text("NO-SUCH-COMPOUND", timeout=10_000)
    assert page.errors == []


def test_the_call_list_link_is_centred_on_the_case_and_lists_masked_names(page, server,
                                                                         ui_db_url):
    case = open_zones_box_on_a_case(page, server)
    with psycopg.connect(ui_db_url) as conn:
        lat, lng = conn.execute("SELECT ST_Y(geom), ST_X(geom) FROM cases WHERE code = %s",
                                [case]).fetchone()
    link = page.locator("#zones-call-link")
    expect(link).to_have_attribute("href", re.compile(r"^/print/calllist\?"), timeout=10_000)
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query["level"] == ["III"] and query["lang"] == ["zh"]
    assert abs(float(query["lat"][0]) - lat) < 1e-5 and abs(float(query["lng"][0]) - lng) < 1e-5

    # the nearest people per role, masked as /api/mobilisation gives them
    expect(page.locator(".gc-zones-near-role")).to_have_count(2, timeout=10_000)
    names = page.locator(".gc-zones-near-name").all_inner_texts()
    assert 0 < len(names) <= 10 and all(MASKED.fullmatch(name) for name in names)
    api = page.request.get(f"{server}/api/mobilisation?" + urlencode(
        {"level": "III", "lat": query["lat"][0], "lng": query["lng"][0], "n": 10})).json()
    first = [row["name"] for row in api["call_list"] if row["role"] == "grid_worker"][:5]
    shown = page.locator(".gc-zones-near-role[data-role='grid_worker'] .gc-zones-near-name")
    assert shown.all_inner_texts() == first

    # the link opens the printable call list: masked names only
    with page.context.expect_page() as opened:
        link.click()
    printed = opened.value
    printed.wait_for_load_state()
    assert urlsplit(printed.url).path == "/print/calllist"
    cells = printed.locator("tbody td:nth-child(3)").all_inner_texts()
    assert cells and all(MASKED.fullmatch(cell) for cell in cells if cell)
    printed.close()

    # level II calls more roles: the link and the list follow
    page.locator("#zones-call-level").click()
    page.get_by_text("Ⅱ级", exact=True).click()
    expect(link).to_have_attribute("href", re.compile(r"level=II&"), timeout=10_000)
    expect(page.locator(".gc-zones-near-role")).to_have_count(5, timeout=10_000)

    # in English the box's new labels and the call list follow
    page.get_by_text("English", exact=True).click()
    expect(page.locator("#zones-call-heading")).to_have_text("Call list", timeout=10_000)
    expect(page.locator("#zones-add_compounds-label")).to_have_text("Add compounds")
    expect(link).to_have_attribute("href", re.compile(r"lang=en$"), timeout=10_000)
    assert page.errors == []


_ON_TOP = """([x, y]) => {
  const el = document.elementFromPoint(x, y);
  return el ? el.getAttribute('data-code') : null;
}"""


def _hovered_on_top(page, selector: str) -> dict | None:
    """A point where a shape of `selector` is on top even with the mouse over it (hovering
    can raise another layer's shape); the mouse is left there."""
    # clear of the zones box (left) and the drill-down panel (right): one per shape, at most 12
    for spot in topmost_points(page, selector, xmin=360, xmax=900, ymin=60, most=12):
        page.mouse.move(spot["x"], spot["y"])
        page.wait_for_timeout(300)
        if page.evaluate(_ON_TOP, [spot["x"], spot["y"]]) == spot["code"]:
            return spot
    return None


def test_clicking_buildings_and_compounds_toggles_them_in_the_add_lists(page, server,
                                                                      ui_db_url):
    open_zones_box_on_a_case(page, server)
    with psycopg.connect(ui_db_url) as conn:
        code, address = conn.execute(
            "SELECT b.code, b.address FROM buildings b WHERE (SELECT count(*) FROM buildings o "
            "WHERE o.address = b.address) = 1 AND b.compound_code IS NULL "
            "ORDER BY b.code LIMIT 1").fetchone()
    # the search flies to the building (zoom ≥ 16, the buildings layer drawn); the box stays
    page.locator("#search-input").fill(address)
    page.locator(".gc-search-hit", has_text=code).click()
    page.locator(f"path.gc-buildings[data-code='{code}']").wait_for(timeout=15_000)
    # the flight ends, with the drill-down panel docked (it narrows the map: a second flight)
    page.locator(".gc-drill.gc-open").wait_for(timeout=15_000)
    wait_still(page, ".gc-map", f"path.gc-buildings[data-code='{code}']")
    assert page.locator("#zones-panel.gc-open").is_visible()
    spot = _hovered_on_top(page, f"path.gc-buildings[data-code='{code}']")
    assert spot, "the building is not clickable"
    page.mouse.click(spot["x"], spot["y"])
    expect(page.locator("#zones-add_buildings")).to_have_value(code, timeout=10_000)
    expect(page.locator(f".gc-zones-chip[data-code='{code}']")).to_have_count(1)

    # the drill-down panel's own flight, if any, ends
    wait_still(page, ".gc-map", ".gc-drill", f"path.gc-buildings[data-code='{code}']",
               quiet_ms=1_000)
    compound = _hovered_on_top(page, "path.gc-compounds[data-code]")
    assert compound, "no compound is clickable"
    page.mouse.click(compound["x"], compound["y"])
    expect(page.locator("#zones-add_compounds")).to_have_value(compound["code"],
                                                                timeout=10_000)
    page.mouse.click(compound["x"], compound["y"])  # a second click takes it out
    expect(page.locator("#zones-add_compounds")).to_have_value("", timeout=10_000)

    page.locator("#zones-propose").click()
    expect(page.locator(PROPOSAL_PATHS)).to_have_count(3, timeout=15_000)
    window = page.locator(".gc-zones-window")
    answer = page.request.get(f"{server}/api/zones?" + urlencode({
        "since": window.get_attribute("data-since"), "until": window.get_attribute("data-until"),
        "add": code})).json()
    assert _residents(page) == answer["features"][0]["properties"]["residents"]
    # closing the box empties the lists
    page.locator("#zones-close").click()
    expect(page.locator("#zones-add_buildings")).to_have_value("", timeout=10_000)
    assert page.errors == []
