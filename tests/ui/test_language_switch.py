"""The language switch in real headless Chromium: one callback (dashboard/language.py) turns
every static label, and the words drawn on the map — the proposed zones' names and the 12345
ticket clusters' titles — follow at once, without a pan."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.ui.serving import shots

pytestmark = pytest.mark.ui

SHOTS = shots("lang")
PROPOSAL_LABELS = ".leaflet-tooltip.gc-area-label"  # only the proposal names areas here
CLUSTERS = ".gc-cluster"
ZH_CLUSTER = re.compile(r"12345诉求 \d+ 件：")
EN_CLUSTER = re.compile(r"12345 tickets \d+: ")


def _titles(page) -> list[str]:
    return page.eval_on_selector_all(CLUSTERS, "els => els.map(e => e.getAttribute('title'))")


def _labels(page) -> list[str]:
    return page.eval_on_selector_all(PROPOSAL_LABELS, "els => els.map(e => e.innerText)")


def test_proposed_zone_labels_and_ticket_clusters_follow_the_switch_at_once(page, server):
    page.goto(server + "/")
    page.locator(CLUSTERS).first.wait_for(state="attached", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert _titles(page) and all(ZH_CLUSTER.match(t) for t in _titles(page))

    # the zones box for the whole town (the title bar's entry), then a proposal
    page.locator("#zones-entry").click()
    page.locator("#zones-panel.gc-open").wait_for(timeout=20_000)
    page.locator("#zones-propose").click()
    expect(page.locator(PROPOSAL_LABELS)).to_have_count(3, timeout=20_000)
    assert sorted(label.split(" · ")[0] for label in _labels(page)) == ["封控区", "管控区",
                                                                         "防范区"]
    expect(page.locator("#zones-containment .gc-zones-zone-h")).to_contain_text("封控区")
    residents_zh = page.locator("#zones-containment .gc-row").first.inner_text()
    assert residents_zh.startswith("常住人口")
    page.screenshot(path=f"{SHOTS}/switch-before.png")
    views = []
    page.on("request", lambda req: "/api/layers/" in req.url and views.append(req.url))

    page.get_by_text("English", exact=True).click()
    # no pan, no zoom: the words on the map change by themselves
    page.wait_for_function(
        """() => { const ls = Array.from(document.querySelectorAll(
                     '.leaflet-tooltip.gc-area-label'));
                   return ls.length === 3 && ls.every(l => / residents$/.test(l.innerText)); }""",
        timeout=20_000)
    assert sorted(label.split(" · ")[0] for label in _labels(page)) == [
        "Containment zone", "Control zone", "Prevention zone"]
    page.wait_for_function(
        """() => { const cs = Array.from(document.querySelectorAll('.gc-cluster'));
                   return cs.length > 0 && cs.every(
                       c => /^12345 tickets \\d+: /.test(c.getAttribute('title'))); }""",
        timeout=20_000)
    assert all(EN_CLUSTER.match(t) for t in _titles(page))
    # and the box's own labels, through the one language callback
    expect(page.locator("#zones-propose")).to_have_text("Propose zones")
    # and the legend's collapse button (its words come from the server, its state does not)
    page.wait_for_function(
        "document.getElementById('legend-toggle').innerText === 'Hide legend'", timeout=20_000)
    # and the box's figures for the proposal on screen: same numbers, English words
    expect(page.locator("#zones-containment .gc-zones-zone-h")).to_contain_text(
        "Containment zone", timeout=20_000)
    residents_en = page.locator("#zones-containment .gc-row").first.inner_text()
    assert residents_en.startswith("Residents")
    assert residents_en.split()[-1] == residents_zh.split()[-1]
    # the ticket batch box (opened from the title bar) and its assignee choice too
    expect(page.locator("[data-testid=ticket-batch-open]")).to_have_text("Batch dispatch")
    page.locator("[data-testid=ticket-batch-open]").click()
    page.locator(".gc-ticket-batch.gc-open").wait_for(timeout=20_000)
    expect(page.locator("#ticket-batch-assignee")).to_contain_text(
        "Each to its suggested worker", timeout=20_000)
    # the drill-down's unmask switch (officials only) speaks English too
    expect(page.locator("#drill-panel-unmask")).to_have_text("Show personal data (logged)")
    page.screenshot(path=f"{SHOTS}/switch-after.png")

    # and back to Chinese
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.gc-cluster'))
                 .every(c => /^12345诉求/.test(c.getAttribute('title')))""", timeout=20_000)
    expect(page.locator(PROPOSAL_LABELS).first).to_contain_text("人", timeout=20_000)
    assert page.errors == []


def test_ticket_clusters_drawn_while_switching_speak_the_new_language(page, server):
    """dash-leaflet drops a hideout change that arrives while the layer's fetch is in flight:
    the bubbles drawn by that fetch must still take the page's new language."""
    page.goto(server + "/")
    page.locator(CLUSTERS).first.wait_for(state="attached", timeout=30_000)
    page.wait_for_load_state("networkidle")
    # hold the tickets' next answer back, so the switch lands while it is on its way
    page.route("**/api/layers/tickets*", lambda route: (time.sleep(3), route.continue_()))
    page.locator(".gc-presets").get_by_text("近7天").click()
    time.sleep(0.8)
    page.get_by_text("English", exact=True).click()
    page.wait_for_function(
        """() => { const cs = Array.from(document.querySelectorAll('.gc-cluster'));
                   return cs.length > 0 && cs.every(
                       c => /^12345 tickets \\d+: /.test(c.getAttribute('title'))); }""",
        timeout=15_000)
    assert all(EN_CLUSTER.match(t) for t in _titles(page))
    page.unroute("**/api/layers/tickets*")
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.gc-cluster'))
                 .every(c => /^12345诉求/.test(c.getAttribute('title')))""", timeout=20_000)
    assert page.errors == []


def test_the_chosen_language_is_kept_across_a_reload(page, server):
    """Switching to English and reloading gave a Chinese page again (the switch ticked 中文);
    the choice now lives in a cookie the server lays the page out in."""
    page.goto(server + "/")
    page.locator(CLUSTERS).first.wait_for(state="attached", timeout=30_000)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.get_by_text("English", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Command Map", timeout=20_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    cookie = [c for c in page.context.cookies() if c["name"] == "gridcmd_lang"]
    assert cookie and cookie[0]["value"] == "en" and not cookie[0]["httpOnly"]
    page.reload()
    # the layout itself comes in English: no switch, no callback needed
    expect(page.locator("h1")).to_contain_text("Command Map", timeout=20_000)
    assert page.locator("#lang-switch input:checked").get_attribute("value") == "en"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.wait_for_function(
        """() => { const cs = Array.from(document.querySelectorAll('.gc-cluster'));
                   return cs.length > 0 && cs.every(
                       c => /^12345 tickets \\d+: /.test(c.getAttribute('title'))); }""",
        timeout=20_000)
    # a forged cookie value is only ever zh or en
    page.context.add_cookies([{"name": "gridcmd_lang", "value": "<script>", "url": server}])
    page.reload()
    expect(page.locator("h1")).to_contain_text("指挥地图", timeout=20_000)
    page.get_by_text("English", exact=True).click()
    page.get_by_text("中文", exact=True).click()  # and back: the next page is Chinese
    expect(page.locator("h1")).to_contain_text("指挥地图", timeout=20_000)
    page.reload()
    expect(page.locator("h1")).to_contain_text("指挥地图", timeout=20_000)
    assert page.errors == []
