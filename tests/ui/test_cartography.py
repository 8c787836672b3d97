"""What a person sees on the command map at 1920×1080 (issue #12): ticket clusters that say
what they hold, place names as text (on the map and in the PDF), a selection that stays
marked, and panels that leave the map at least half the screen. One signed-in page is shared
by the module's tests, in the order a user would go."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.ui.serving import shots, sign_in_browser, signed_in_get
from tests.ui.settle import wait_still

pytestmark = pytest.mark.ui

SCREEN = {"width": 1920, "height": 1080}
CLUSTER_TITLE = re.compile(
    r"12345诉求 (\d+) 件：未响应 (\d+) · 超时 (\d+) · 在办 (\d+) · 已办结 (\d+)")

# Visible label texts with their boxes (hidden ones were thinned out as overlapping).
_VISIBLE_LABELS = """() => Array.from(document.querySelectorAll('.gc-label'))
  .filter(el => getComputedStyle(el).visibility !== 'hidden')
  .map(el => { const t = el.querySelector('.gc-label-text'); const r = t.getBoundingClientRect();
               return {text: t.innerText, kind: el.className,
                       box: [r.left, r.top, r.right, r.bottom]}; })"""


@pytest.fixture(scope="module")
def town_names(ui_db_url: str) -> set[str]:
    """Names of the demo town's communities and villages."""
    with psycopg.connect(ui_db_url) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM communities")}


@pytest.fixture(scope="module")
def big_page(browser, server: str) -> Iterator[object]:
    """One 1920×1080 page signed in as a commander, opened on the town view."""
    context = browser.new_context(viewport=SCREEN, locale="zh-CN")
    sign_in_browser(context, server)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(server + "/")
    page.wait_for_function("document.querySelectorAll('.gc-cluster').length > 10 && "
                           "document.querySelectorAll('.gc-label-community, .gc-label-village')"
                           ".length > 20", timeout=30_000)
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def test_ticket_clusters_carry_status_classes_and_a_tooltip_with_counts(big_page) -> None:
    clusters = big_page.evaluate("""() => Array.from(document.querySelectorAll('.gc-cluster'))
        .map(el => ({cls: el.className, title: el.getAttribute('title') || '',
                     count: el.innerText.trim()}))""")
    statuses = set()
    for cluster in clusters:
        found = [c for c in ("cluster-overdue", "cluster-open", "cluster-solved")
                 if c in cluster["cls"]]
        assert len(found) == 1, cluster
        statuses.add(found[0])
        match = CLUSTER_TITLE.fullmatch(cluster["title"])
        assert match, cluster["title"]
        total, unanswered, overdue, open_, solved = (int(v) for v in match.groups())
        assert total == int(cluster["count"]) == unanswered + open_ + solved
        # the colour follows the worst ticket inside
        if found[0] == "cluster-solved":
            assert solved == total
        elif found[0] == "cluster-overdue":
            assert unanswered + overdue > 0
    assert "cluster-overdue" in statuses and len(statuses) >= 2
    legend = big_page.locator(".gc-legend").inner_text()
    assert "聚合·含未响应/超时" in legend and "聚合·全部办结" in legend
    # The red bubbles are really red on screen, not Leaflet's default green.
    colour = big_page.evaluate("""() => getComputedStyle(document.querySelector(
        '.cluster-overdue .gc-cluster-count')).backgroundColor""")
    assert colour == "rgb(198, 40, 40)"


# The legend box: its scroll and client heights, its box, and its entries' boxes.
_LEGEND = """() => { const l = document.querySelector('.gc-legend');
  const r = l.getBoundingClientRect();
  const entries = Array.from(l.querySelectorAll('.gc-legend-entry'))
      .map(e => e.getBoundingClientRect()).map(e => [e.left, e.top, e.right, e.bottom]);
  return {scroll: l.scrollHeight, client: l.clientHeight,
          box: [r.left, r.top, r.right, r.bottom], entries}; }"""


def _legend_fits(page) -> dict:
    """The legend shows every row without scrolling, inside the map and the screen."""
    legend = page.evaluate(_LEGEND)
    assert legend["scroll"] <= legend["client"], legend  # no scroll bar: nothing cut off
    left, top, right, bottom = legend["box"]
    map_box = page.locator(".gc-map").bounding_box()
    assert map_box["y"] <= top and bottom <= SCREEN["height"], legend
    assert left >= map_box["x"] and right <= map_box["x"] + map_box["width"] + 1, legend
    # every entry lies inside the box (two columns, none clipped at the side)
    for entry in legend["entries"]:
        assert left <= entry[0] and entry[2] <= right + 0.5, (entry, legend["box"])
        assert top <= entry[1] and entry[3] <= bottom + 0.5, (entry, legend["box"])
    return legend


def test_legend_fits_the_screen_without_scrolling_at_the_town_view(big_page) -> None:
    legend = _legend_fits(big_page)
    assert len(legend["entries"]) >= 20  # the default layers' rows, not a collapsed box
    text = big_page.locator(".gc-legend").inner_text()
    for words in ("河流道路", "12345诉求", "病例", "镇界", "三无小区"):
        assert words in text, words
    # only what is drawn at this zoom: buildings and resources start at 15 and 14
    assert "建筑" not in text and "应急资源" not in text, text
    big_page.screenshot(path=str(shots("cartography") / "legend-town-1920.png"))


def test_community_names_are_text_at_town_zoom_and_do_not_pile_up(big_page,
                                                                   town_names) -> None:
    labels = big_page.evaluate(_VISIBLE_LABELS)
    shown = {label["text"] for label in labels}
    assert len(shown & town_names) >= 30, sorted(shown)
    assert big_page.get_by_text("新海南里社区", exact=True).is_visible()
    assert not any("网格" in text for text in shown)  # grid names wait for zoom 14
    boxes = [label["box"] for label in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"labels overlap: {a} {b}"


def test_place_names_sit_above_and_clear_of_the_ticket_bubbles(big_page) -> None:
    # The labels' pane is above the tickets' pane, and at town zoom no shown place name
    # lies on a bubble: it steps above, below or beside it (assets/map_labels.js).
    panes = big_page.evaluate("""() => ['labels', 'tickets'].map(id => +getComputedStyle(
        document.querySelector('.leaflet-gc-' + id + '-pane')).zIndex)""")
    assert panes[0] > panes[1], panes
    bubbles = big_page.evaluate("""() => Array.from(document.querySelectorAll('.gc-cluster'))
        .map(el => el.getBoundingClientRect()).filter(r => r.width > 0)
        .map(r => [r.left, r.top, r.right, r.bottom])""")
    assert len(bubbles) > 10
    labels = big_page.evaluate(_VISIBLE_LABELS)
    assert len(labels) >= 30
    covered = [label["text"] for label in labels for b in bubbles
               if not (label["box"][2] <= b[0] or b[2] <= label["box"][0]
                       or label["box"][3] <= b[1] or b[3] <= label["box"][1])]
    assert covered == [], covered
    # a label moved off a bubble is still near its place (a bubble's size, not more)
    shifts = big_page.evaluate("""() => Array.from(document.querySelectorAll(
        '.gc-label-text')).map(el => [parseFloat(el.style.marginLeft) || 0,
                                      parseFloat(el.style.marginTop) || 0])""")
    assert any(dx or dy for dx, dy in shifts)
    assert all(abs(dx) < 120 and abs(dy) < 60 for dx, dy in shifts), shifts


def test_community_names_are_text_in_the_exported_pdf(server: str, town_names,
                                                      tmp_path: Path) -> None:
    status, mimetype, body = signed_in_get(f"{server}/export/snapshot.pdf")
    assert status == 200 and body[:5] == b"%PDF-", body[:300]
    pdf = tmp_path / "map.pdf"
    pdf.write_bytes(body)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    found = {name for name in town_names if name in text}
    assert len(found) >= 30, sorted(found)


def test_selected_grid_keeps_a_highlight_after_the_mouse_leaves(big_page) -> None:
    page = big_page
    page.fill("#search-input", "一街村第1网格")
    page.locator(".gc-search-hit").first.click()
    page.wait_for_function("document.querySelectorAll('path.gc-selection').length === 1",
                           timeout=15_000)
    # the fly to the grid, the drill-down panel docking (its callback answers after the fly's)
    # and the fly again to the narrower map: wait for all of it, not for a guessed time
    page.locator(".gc-drill.gc-open").wait_for(timeout=15_000)
    wait_still(page, ".gc-map", "path.gc-selection")
    page.mouse.move(5, 1000)  # over the layer list, far from the map
    page.wait_for_timeout(300)
    path = page.locator("path.gc-selection")
    assert path.get_attribute("stroke-width") == "5"
    assert path.get_attribute("stroke") == "#00e5ff"
    # Centred clear of the panel and the legend: the outline's box is inside the visible map.
    box = path.bounding_box()
    map_box = page.locator(".gc-map").bounding_box()
    assert box and box["width"] > 50
    assert map_box["x"] <= box["x"] and box["x"] + box["width"] <= map_box["x"] + map_box["width"]
    legend = page.locator(".gc-legend").bounding_box()
    assert box["x"] + box["width"] <= legend["x"], "the legend covers the selection"
    timebar = page.locator(".gc-timebar").bounding_box()
    assert box["y"] >= timebar["y"] + timebar["height"], "the time bar covers the selection"


def test_legend_fits_and_stays_clear_of_the_selection_after_a_search(big_page) -> None:
    page = big_page  # zoomed in on 一街村第1网格 by the test above: more layers are drawn
    assert page.locator("path.gc-selection").count() == 1
    legend = _legend_fits(page)
    assert "建筑" in page.locator(".gc-legend").inner_text()
    left, top, right, bottom = legend["box"]
    sel = page.locator("path.gc-selection").bounding_box()
    apart = (sel["x"] + sel["width"] <= left or right <= sel["x"]
             or sel["y"] + sel["height"] <= top or bottom <= sel["y"])
    assert apart, ("the legend covers the selection", sel, legend["box"])
    page.screenshot(path=str(shots("cartography") / "legend-selection-1920.png"))


def test_map_keeps_half_the_screen_with_panel_drawer_and_legend_open(big_page) -> None:
    page = big_page
    assert page.locator(".gc-drill.gc-open").is_visible()  # from the selection above
    before = page.locator("path.gc-selection").bounding_box()
    page.locator(".gc-ops-button").click()
    page.locator(".gc-ops-drawer.gc-ops-open").wait_for(timeout=10_000)
    wait_still(page, ".gc-map", ".gc-ops-drawer")  # the map re-measures and re-pans
    # The drawer docks on the left: the selection stays where it was on the screen (it does
    # not slide right, under the legend), still inside the map and clear of the legend.
    after = page.locator("path.gc-selection").bounding_box()
    assert abs(after["x"] - before["x"]) <= 3 and abs(after["y"] - before["y"]) <= 3, (
        before, after)
    selection_right = after["x"] + after["width"]
    assert selection_right <= page.locator(".gc-legend").bounding_box()["x"]
    assert page.locator(".gc-legend-body").is_visible()
    map_box = page.locator(".gc-map").bounding_box()
    drawer = page.locator(".gc-ops-drawer").bounding_box()
    panel = page.locator(".gc-drill").bounding_box()
    # The drawer and the panel sit beside the map, not on it.
    assert drawer["x"] + drawer["width"] <= map_box["x"] + 1
    assert map_box["x"] + map_box["width"] <= panel["x"] + 1
    assert map_box["width"] >= SCREEN["width"] / 2, map_box
    legend = page.locator(".gc-legend").bounding_box()
    assert legend["y"] + legend["height"] <= SCREEN["height"]
    assert map_box["x"] <= legend["x"] and legend["x"] + legend["width"] <= panel["x"]
    # The legend collapses to its button, and opens again (in the browser: at once).
    assert page.locator("#legend-toggle").inner_text() == "收起图例"
    page.locator("#legend-toggle").click()
    page.wait_for_function("!document.querySelector('.gc-legend-body') || "
                           "document.querySelector('.gc-legend-body').offsetParent === null",
                           timeout=5_000)
    assert page.locator("#legend-toggle").inner_text() == "图例"
    page.locator("#legend-toggle").click()
    page.locator(".gc-legend-body").wait_for(state="visible", timeout=5_000)
    assert page.locator("#legend-toggle").inner_text() == "收起图例"
    page.locator(".gc-ops-close").click()
    assert page.errors == []


def test_at_1400_the_legend_and_the_time_bar_keep_clear_of_each_other(browser,
                                                                      server: str) -> None:
    # On a 1400×900 screen with the drill-down panel docked, the time bar wrapped over the
    # panel and the legend's top (its title, its collapse button) slid under the bar.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    sign_in_browser(context, server)
    page = context.new_page()
    page.goto(server + "/")
    page.wait_for_function("document.querySelectorAll('.gc-label-community').length > 5",
                           timeout=30_000)

    def boxes() -> tuple[dict, dict, dict]:
        return (page.locator(".gc-timebar").bounding_box(),
                page.locator(".gc-map-wrap > .gc-legend").bounding_box(),
                page.locator(".gc-map").bounding_box())

    bar, legend, map_box = boxes()
    # The town view: the bar is one row of controls over the timeline, inside the map.
    assert bar["x"] + bar["width"] <= map_box["x"] + map_box["width"]
    assert bar["height"] < 120, bar
    page.fill("#search-input", "一街村第1网格")
    page.locator(".gc-search-hit").first.click()
    page.locator(".gc-drill.gc-open").wait_for(timeout=15_000)
    page.wait_for_function("document.querySelector('.gc-legend').innerText.includes('建筑')",
                           timeout=15_000)
    # the legend's room follows the bar's and the map's sizes (assets/legend_room.js)
    wait_still(page, ".gc-timebar", ".gc-map-wrap > .gc-legend", ".gc-map", ".gc-drill")
    bar, legend, map_box = boxes()
    panel = page.locator(".gc-drill").bounding_box()
    assert bar["x"] + bar["width"] <= panel["x"], (bar, panel)  # the bar stays on the map
    shares_columns = bar["x"] < legend["x"] + legend["width"] and legend["x"] < bar["x"] + bar[
        "width"]
    assert shares_columns  # what this screen is about: the two are stacked, not side by side
    assert legend["y"] >= bar["y"] + bar["height"], (bar, legend)
    assert legend["y"] + legend["height"] <= 900
    assert page.locator("#legend-toggle").is_visible()
    page.screenshot(path=str(shots("cartography") / "legend-timebar-1400.png"))
    context.close()
