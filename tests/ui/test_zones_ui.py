"""Containment zones in real headless Chromium: click a case → propose → three zones drawn,
the box lists each zone's figures, equal to GET /api/zones for the same window; publishing
from the box stores a plan for a commander (drawn by the zones layer) and is refused to a
community user."""

from __future__ import annotations

from urllib.parse import urlencode

import psycopg
import pytest
from playwright.sync_api import expect

from tests.clients import username
from tests.ui.map_clicks import open_zones_box_on_a_case, topmost_point
from tests.ui.settle import LayerFetches, wait_still

pytestmark = pytest.mark.ui

CASE_MARKERS = "path.gc-cases"
PROPOSAL_PATHS = "path.gc-zone-proposal[data-code]"
FIGURES = ("residents", "households", "elderly", "children", "vulnerable_households",
           "three_no_compounds", "shops_to_close", "checkpoints_needed")



def _value(page, level: str, name: str) -> int:
    return int(page.locator(f"#zones-{level}-{name}").get_attribute("data-value"))


def test_clicking_a_case_proposes_three_zones_with_the_api_counts(page, server):
    open_zones_box_on_a_case(page, server, CASE_MARKERS)
    assert page.locator("#zones-picked").inner_text().startswith("已选病例")

    page.locator("#zones-propose").click()
    expect(page.locator(PROPOSAL_PATHS)).to_have_count(3, timeout=15_000)
    drawn = page.eval_on_selector_all(PROPOSAL_PATHS,
                                      "els => els.map(e => e.getAttribute('data-code'))")
    assert sorted(drawn) == ["containment", "control", "prevention"]
    # each level is drawn in its own colour (封控 red, 管控 orange, 防范 yellow)
    fills = page.eval_on_selector_all(PROPOSAL_PATHS,
                                      "els => els.map(e => e.getAttribute('fill'))")
    assert len(set(fills)) == 3
    # the legend names the three zones while the proposal is drawn (the zones layer unticked)
    legend = page.locator("#legend")
    for level in ("封控区", "管控区", "防范区"):
        expect(legend).to_contain_text(level, timeout=10_000)

    window = page.locator(".gc-zones-window")
    query = urlencode({"since": window.get_attribute("data-since"),
                       "until": window.get_attribute("data-until"), "mode": "grid"})
    answer = page.request.get(f"{server}/api/zones?{query}")
    assert answer.ok
    for feature in answer.json()["features"]:
        level, props = feature["id"], feature["properties"]
        for name in FIGURES:
            assert _value(page, level, name) == props[name], (level, name)
        for supply in props["supplies"]:
            assert _value(page, level, f"{supply['item']}-needed") == supply["needed"]
            assert _value(page, level, f"{supply['item']}-stock") == round(supply["stock"])
    assert page.locator("#zones-publish-block.gc-open").is_visible()

    page.locator("#zones-close").click()
    page.locator("#zones-panel.gc-open").wait_for(state="hidden", timeout=10_000)
    expect(page.locator(PROPOSAL_PATHS)).to_have_count(0, timeout=10_000)
    expect(legend).not_to_contain_text("封控区", timeout=10_000)
    assert page.errors == []


@pytest.mark.parametrize(("role", "published"), [("commander", True), ("community", False)])
def test_publishing_from_the_box_needs_the_publish_permission(browser, demo_db_url, tmp_path,
                                                              role, published):
    from tests.ui.serving import serve, sign_in_browser

    with serve(demo_db_url, tmp_path / "serve.log") as base:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        sign_in_browser(context, base, role)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.goto(base + "/")
        page.locator(CASE_MARKERS).first.wait_for(state="attached", timeout=20_000)
        # the published zones layer is on (and empty) before publishing
        with page.expect_response(lambda r: "/api/layers/zones?" in r.url):
            page.locator("#layer-toggle").get_by_text("封控管控区域", exact=True).click()
        point = topmost_point(page, CASE_MARKERS, lattice=4)
        page.mouse.click(point["x"], point["y"])
        fetches = LayerFetches(page)
        page.locator("#zones-propose").click()
        expect(page.locator(PROPOSAL_PATHS)).to_have_count(3, timeout=15_000)
        # the map's flight to the proposal ends, its fetches too (else a late one of the zones
        # layer would count as the publish's below)
        wait_still(page, ".gc-map")
        fetches.wait_quiet()
        assert page.locator("path.gc-zones").count() == 0
        if not published:
            page.locator("#zones-publish").click()
            expect(page.locator("#zones-publish-note")).to_have_text("当前角色无发布权限",
                                                                     timeout=10_000)
        page.locator("#zones-publisher").fill("值班员")
        asked: list[str] = []
        page.on("request", lambda r: "/api/layers/zones?" in r.url and asked.append(r.url))
        page.locator("#zones-publish").click()
        if published:
            expect(page.locator("#zones-publish-note")).to_contain_text("已发布第 1 版",
                                                                        timeout=10_000)
            # the visible zones layer fetches again and draws the new plan
            expect(page.locator("path.gc-zones[data-code]")).to_have_count(3, timeout=15_000)
            assert any("plan=" in url for url in asked)
        else:
            expect(page.locator("#zones-publish-note")).to_have_text("当前角色无发布权限")
            assert asked == []
        assert errors == []
        context.close()
    with psycopg.connect(demo_db_url) as conn:
        plans = conn.execute("SELECT published_by FROM zone_plans").fetchall()
    assert plans == ([(f"{username('commander')}（值班员）",)] if published else [])
