"""接诉即办 in real Chromium: a ticket pushed over HTTP shows on the wall within 5 s (the wall
follows the change feed; its own refresh is 30 s), and dispatching it from the map panel moves
it to 已派遣 with the assignee shown."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest

from dashboard.map.viewport import OPENING_CENTRE
from geo.tokens import create_token
from tests.clients import WALL_TOKEN
from tests.ui.serving import serve, shots, sign_in_browser

SHOTS = shots("tickets")


@pytest.fixture(scope="module")
def loop(module_demo_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with psycopg.connect(module_demo_db_url) as conn:
        _, token = create_token(conn, "department", "tests", label="12345热线平台")
        # a point at the map's opening centre, inside a grid (the map opens there, and the
        # tests zoom in on it with the zoom buttons)
        lat, lng = conn.execute(
            "SELECT ST_Y(p), ST_X(p) FROM (SELECT CASE WHEN ST_Contains(g.geom, c) THEN c "
            "ELSE ST_PointOnSurface(g.geom) END AS p FROM grids g, "
            "(SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS c) x "
            "ORDER BY g.geom <-> c LIMIT 1) y", OPENING_CENTRE[::-1]).fetchone()
        conn.commit()
    log = tmp_path_factory.mktemp("tickets") / "serve.log"
    # the wall's own refresh is slow on purpose; the background worker stays off (no escalation
    # burst of the demo's late tickets while the test watches)
    with serve(module_demo_db_url, log, wall_refresh="30", ticket_worker_s="0",
               pool_min="1") as base:
        yield {"base": base, "token": token, "lat": lat, "lng": lng}


def _push(loop: dict, **fields) -> dict:
    body = {"source": "hotline", "category": "water_supply", "text": "小区停水",
            "lat": loop["lat"], "lng": loop["lng"], **fields}
    request = urllib.request.Request(
        f"{loop['base']}/api/tickets", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {loop['token']}",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201
        return json.loads(answer.read())


def test_a_pushed_ticket_appears_on_the_wall_within_5_s(browser, loop):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{loop['base']}/wall?token={WALL_TOKEN}")
    page.wait_for_function("() => /\\d/.test(document.querySelector("
                           "'.gc-kpi-active_cases .gc-wall-kpi-value')?.textContent)",
                           timeout=30_000)
    # the first feed poll fixes the cursor ("from now"); a warm-up ticket proves it is running
    warm = _push(loop, external_id="UI-WARM")
    page.locator(f"[data-testid=wall-live-tickets] li[data-code='{warm['code']}']").wait_for(
        timeout=15_000)
    ticket = _push(loop, external_id="UI-1")
    pushed = time.monotonic()
    page.locator(f"[data-testid=wall-live-tickets] li[data-code='{ticket['code']}']").wait_for(
        timeout=5_000)
    seen = time.monotonic() - pushed
    assert seen < 5.0
    page.screenshot(path=str(SHOTS / "wall-live.png"))
    item = page.locator(f"li[data-code='{ticket['code']}']").inner_text()
    assert "供水" in item and "已受理" in item
    context.close()


def test_dispatching_from_the_map_panel_shows_dispatched_and_the_assignee(browser, loop):
    ticket = _push(loop, external_id="UI-MAP", category="noise", text="夜间施工噪音")
    suggested = ticket["suggested_assignee"]
    assert suggested
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    sign_in_browser(context, loop["base"])
    page = context.new_page()
    page.goto(loop["base"] + "/")
    page.wait_for_function("document.querySelectorAll('path.gc-grids').length >= 100",
                           timeout=30_000)
    _zoom_to_marker(page, ticket["code"]).dispatch_event("click")
    panel = page.locator("[data-testid=ticket-panel]")
    status = panel.locator("[data-testid=ticket-status]")
    status.wait_for(timeout=15_000)
    assert status.inner_text() == "已受理"
    assert suggested["code"] in panel.locator("[data-testid=ticket-suggested]").inner_text()
    page.screenshot(path=str(SHOTS / "map-panel-received.png"))
    panel.locator("[data-testid=ticket-dispatch]").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=ticket-status]')?.dataset.status"
        " === 'dispatched'", timeout=15_000)
    assert status.inner_text() == "已派遣"
    assignee = panel.locator("[data-testid=ticket-assignee]").inner_text()
    assert suggested["code"] in assignee and "*" in assignee
    history = panel.locator("[data-testid=ticket-history] li").all_inner_texts()
    assert len(history) == 2 and "派遣" in history[1]
    page.screenshot(path=str(SHOTS / "map-panel-dispatched.png"))
    context.close()


def _map_page(browser, loop, size=(1400, 900)):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="zh-CN")
    sign_in_browser(context, loop["base"])
    page = context.new_page()
    page.goto(loop["base"] + "/")
    page.wait_for_function("document.querySelectorAll('path.gc-grids').length >= 100",
                           timeout=30_000)
    return context, page


def test_clicking_a_cluster_lists_its_tickets_and_one_is_dispatched_from_the_list(browser,
                                                                                  loop):
    _push(loop, external_id="UI-CLUSTER", category="road", text="路灯不亮")
    context, page = _map_page(browser, loop)
    bubbles = page.locator(".gc-cluster")
    bubbles.first.wait_for(timeout=30_000)
    # the bubble nearest the map's centre (where the pushed ticket lies), clicked where it is
    # on top: a case marker may cover its middle
    index, x, y = page.evaluate("""() => {
        const map = document.querySelector('.gc-map').getBoundingClientRect();
        const cx = map.left + map.width / 2, cy = map.top + map.height / 2;
        let best = null, bestD = Infinity;
        document.querySelectorAll('.gc-cluster').forEach((el, i) => {
            const r = el.getBoundingClientRect();
            const d = Math.hypot(r.left + r.width / 2 - cx, r.top + r.height / 2 - cy);
            if (d < bestD) { bestD = d; best = [i, r]; }
        });
        const [i, r] = best, el = document.querySelectorAll('.gc-cluster')[i];
        for (let a = 1; a < 6; a++) for (let b = 1; b < 6; b++) {
            const x = r.left + r.width * a / 6, y = r.top + r.height * b / 6;
            if (el.contains(document.elementFromPoint(x, y))) { return [i, x, y]; }
        }
        return [i, null, null]; }""")
    bubble = bubbles.nth(index)
    count = int(bubble.inner_text().replace(",", ""))
    assert x is not None, "the bubble nearest the centre is covered all over"
    page.mouse.click(x, y)
    panel = page.locator("[data-testid=ticket-panel]")
    head = panel.locator("[data-testid=ticket-list-head]")
    head.wait_for(timeout=15_000)
    assert f"此处工单 {count} 件" in head.inner_text()
    lines = panel.locator("[data-testid=ticket-list-item]")
    assert 1 <= lines.count() <= min(count, 100)
    first = lines.first.inner_text()
    assert any(s in first for s in ("已受理", "已派遣", "已签收", "处置中", "待核查", "已办结",
                                    "已退回"))
    assert any(c in first for c in ("供水", "道路设施", "噪音扰民", "环境卫生", "物业管理",
                                    "停车管理", "其他", "供暖", "出租房屋", "违法建设", "劳资纠纷",
                                    "疫情防控", "供电", "燃气"))
    waiting = panel.locator("[data-testid=ticket-list-item][data-status=received]")
    assert waiting.count() >= 1
    code = waiting.first.get_attribute("data-code")
    page.screenshot(path=str(SHOTS / "map-cluster-list.png"))
    waiting.first.locator("button").click()
    status = panel.locator("[data-testid=ticket-status]")
    status.wait_for(timeout=15_000)
    assert code in panel.locator("h3.gc-drill-name").last.inner_text()
    assert status.inner_text() == "已受理"
    suggested = panel.locator("[data-testid=ticket-suggested]").inner_text()
    assert "*" in suggested and ("米" in suggested or "本网格" in suggested)
    assert panel.locator("[data-testid=ticket-history] li").count() >= 1
    panel.locator("[data-testid=ticket-dispatch]").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=ticket-status]')?.dataset.status"
        " === 'dispatched'", timeout=15_000)
    assert status.inner_text() == "已派遣"
    assert "*" in panel.locator("[data-testid=ticket-assignee]").inner_text()
    assert "派遣" in panel.locator("[data-testid=ticket-history] li").last.inner_text()
    # the list above re-reads the states: the line of the dispatched ticket says so
    page.wait_for_function(
        f"document.querySelector(\"[data-testid=ticket-list-item][data-code='{code}']\")"
        "?.dataset.status === 'dispatched'", timeout=15_000)
    page.screenshot(path=str(SHOTS / "map-cluster-dispatched.png"))
    context.close()


def _open_batch_box(page):
    """The batch box is closed until the title bar's 批量派遣 opens it."""
    box = page.locator("[data-testid=ticket-batch]")
    assert not box.is_visible()
    page.locator("[data-testid=ticket-batch-open]").click()
    page.locator(".gc-ticket-batch.gc-open").wait_for(timeout=20_000)
    # the drawing tool goes on the map when the box opens (its toolbar is hidden)
    page.locator(".leaflet-draw").wait_for(state="attached", timeout=20_000)
    return box


def test_the_batch_box_opens_from_the_title_bar_and_closes(browser, loop):
    context, page = _map_page(browser, loop, (1920, 1080))
    box = page.locator("[data-testid=ticket-batch]")
    # nobody is dispatching: nothing of the box lies over the map
    assert box.count() == 1 and not box.is_visible()
    assert not page.locator("[data-testid=ticket-draw-rect]").is_visible()
    entry = page.locator("[data-testid=ticket-batch-open]")
    assert entry.is_visible() and entry.inner_text() == "批量派遣"
    titlebar = page.locator(".gc-titlebar").bounding_box()
    button = entry.bounding_box()
    assert titlebar["y"] <= button["y"] and button["y"] + button["height"] <= (
        titlebar["y"] + titlebar["height"])
    _open_batch_box(page)
    for testid in ("ticket-draw-rect", "ticket-draw-polygon", "ticket-batch-dispatch"):
        assert page.locator(f"[data-testid={testid}]").is_visible(), testid
    # over the map, inside it
    inner, outer = box.bounding_box(), page.locator(".gc-map").bounding_box()
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    assert inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    page.screenshot(path=str(SHOTS / "map-batch-open.png"))
    page.locator("[data-testid=ticket-batch-close]").click()
    page.locator(".gc-ticket-batch.gc-hidden").wait_for(state="attached", timeout=20_000)
    assert not box.is_visible()
    # the entry toggles: a second click closes what the first opened
    entry.click()
    page.locator(".gc-ticket-batch.gc-open").wait_for(timeout=20_000)
    entry.click()
    page.locator(".gc-ticket-batch.gc-hidden").wait_for(state="attached", timeout=20_000)
    assert not box.is_visible()
    context.close()


def _zoom_to_marker(page, code: str):
    """Zoom in to 16 (single tickets are drawn there: clusters break up); `code`'s marker,
    attached (every feature's path carries its code, assets/map_styles.js)."""
    for zoom in (14, 15, 16):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_function(
            f"document.getElementById('zoom-note').innerText.endsWith('{zoom}')",
            timeout=15_000)
    marker = page.locator(f"path[data-code='{code}']")
    marker.wait_for(state="attached", timeout=20_000)
    return marker


def _centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_drawn_box_selects_the_waiting_tickets_and_dispatches_them_in_one_action(browser,
                                                                                   loop):
    mine = [_push(loop, external_id=f"UI-BOX-{i}", category="sanitation", text="垃圾堆放")
            for i in range(3)]
    context, page = _map_page(browser, loop)
    x, y = _centre(_zoom_to_marker(page, mine[0]["code"]))
    _open_batch_box(page)
    page.locator("[data-testid=ticket-draw-rect]").click()
    page.wait_for_timeout(500)
    page.mouse.move(x - 60, y - 60)
    page.mouse.down()
    page.mouse.move(x, y, steps=5)
    page.mouse.move(x + 60, y + 60, steps=5)
    page.mouse.up()
    panel = page.locator("[data-testid=ticket-panel]")
    head = panel.locator("[data-testid=ticket-list-head]")
    head.wait_for(timeout=15_000)
    assert "所选区域待派遣工单" in head.inner_text()
    for ticket in mine:
        line = panel.locator(f"[data-testid=ticket-list-item][data-code='{ticket['code']}']")
        line.wait_for(timeout=20_000)
        assert line.get_attribute("data-status") == "received"
    listed = panel.locator("[data-testid=ticket-list-item]").count()
    assert page.locator("path.leaflet-interactive[stroke='#0891b2']").count() == 1
    page.screenshot(path=str(SHOTS / "map-region-selected.png"))
    # someone else dispatches one of them after the list was drawn: it is refused, with why
    taken = mine[2]
    answer = context.request.post(f"{loop['base']}/api/tickets/batch", data={
        "tickets": [{"code": taken["code"], "version": 1}]})
    assert answer.status == 200 and answer.json()["dispatched"] == 1
    page.locator("[data-testid=ticket-batch-dispatch]").click()
    note = page.locator("[data-testid=ticket-batch-note]")
    page.wait_for_function(
        "/已派遣 \\d+ 件/.test(document.querySelector('[data-testid=ticket-batch-note]')"
        "?.innerText || '')", timeout=30_000)
    assert f"已派遣 {listed - 1} 件（共 {listed} 件）" in note.inner_text()
    refused = note.locator("[data-testid=ticket-refused]")
    assert refused.count() == 1 and refused.get_attribute("data-code") == taken["code"]
    assert "已被他人处理" in refused.inner_text() and "已派遣（版本 2）" in refused.inner_text()
    for ticket in mine[:2]:
        page.wait_for_function(
            f"document.querySelector(\"[data-testid=ticket-list-item][data-code="
            f"'{ticket['code']}']\")?.dataset.status === 'dispatched'", timeout=15_000)
        assert "已派遣" in panel.locator(
            f"[data-testid=ticket-list-item][data-code='{ticket['code']}']").inner_text()
    page.screenshot(path=str(SHOTS / "map-region-dispatched.png"))
    context.close()


def test_a_drawn_polygon_lists_the_waiting_tickets_inside_it(browser, loop):
    mine = _push(loop, external_id="UI-POLY", category="parking", text="占道停车")
    context, page = _map_page(browser, loop)
    x, y = _centre(_zoom_to_marker(page, mine["code"]))
    _open_batch_box(page)
    page.locator("[data-testid=ticket-draw-polygon]").click()
    page.wait_for_timeout(500)
    corners = [(x - 70, y - 50), (x + 70, y - 50), (x + 10, y + 70)]
    for cx, cy in corners + corners[:1]:  # the first corner again closes the polygon
        page.mouse.click(cx, cy)
        page.wait_for_timeout(400)
    panel = page.locator("[data-testid=ticket-panel]")
    line = panel.locator(f"[data-testid=ticket-list-item][data-code='{mine['code']}']")
    line.wait_for(timeout=15_000)
    assert "停车管理" in line.inner_text() and line.get_attribute("data-status") == "received"
    assert "所选区域待派遣工单" in panel.locator("[data-testid=ticket-list-head]").inner_text()
    # only waiting tickets are listed (the earlier tests dispatched theirs at this point)
    statuses = {s.get_attribute("data-status")
                for s in panel.locator("[data-testid=ticket-list-item]").all()}
    assert statuses <= {"received", "returned"}
    page.screenshot(path=str(SHOTS / "map-region-polygon.png"))
    # all of them to one chosen worker instead of each to its own suggestion
    page.locator("#ticket-batch-assignee").click()
    options = page.locator(".dash-dropdown-option")
    options.nth(1).wait_for(timeout=20_000)
    assert "各派本网格建议人员" in options.nth(0).inner_text()
    label = options.nth(1).inner_text()
    chosen = re.search(r"（([^）]+)）", label).group(1)
    options.nth(1).click()
    page.screenshot(path=str(SHOTS / "map-region-choose.png"))
    page.locator("[data-testid=ticket-batch-dispatch]").click()
    page.wait_for_function(
        f"document.querySelector(\"[data-testid=ticket-list-item][data-code="
        f"'{mine['code']}']\")?.dataset.status === 'dispatched'", timeout=30_000)
    listed = panel.locator("[data-testid=ticket-list-item]").count()
    assert f"已派遣 {listed} 件（共 {listed} 件）" in page.locator(
        "[data-testid=ticket-batch-note]").inner_text()
    answer = context.request.get(f"{loop['base']}/api/tickets/{mine['code']}").json()
    assert answer["assignee"]["code"] == chosen and answer["status"] == "dispatched"
    assert [h["action"] for h in answer["history"]] == ["receive", "dispatch"]
    context.close()


def test_with_nothing_listed_the_batch_button_dispatches_the_selected_grids_tickets(
        browser, loop, module_demo_db_url):
    with psycopg.connect(module_demo_db_url) as conn:
        grid, name = conn.execute(
            "SELECT g.code, g.name FROM grids g WHERE ST_Contains(g.geom, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326))", [loop["lng"], loop["lat"]]).fetchone()
        # the grid's other waiting tickets go too; count them before
        waiting_before = conn.execute(
            "SELECT count(*) FROM incidents WHERE grid_code = %s AND status IN "
            "('received', 'returned')", [grid]).fetchone()[0]
    ticket = _push(loop, external_id="UI-GRID", category="noise", text="广场舞噪音")
    context, page = _map_page(browser, loop)
    page.fill("#search-input", name)
    page.locator(".gc-search-hit").first.click()
    page.wait_for_function("document.querySelectorAll('path.gc-selection').length === 1",
                           timeout=15_000)
    _open_batch_box(page)
    page.locator("[data-testid=ticket-batch-dispatch]").click()
    page.wait_for_function(
        "/已派遣 \\d+ 件/.test(document.querySelector('[data-testid=ticket-batch-note]')"
        "?.innerText || '')", timeout=30_000)
    total = min(waiting_before + 1, 200)
    note = page.locator("[data-testid=ticket-batch-note]").inner_text()
    assert f"（共 {total} 件）" in note
    answer = context.request.get(f"{loop['base']}/api/tickets/{ticket['code']}").json()
    assert answer["status"] == "dispatched"
    assert answer["assignee"]["code"] == answer["suggested_assignee"]["code"]
    with psycopg.connect(module_demo_db_url) as conn:
        left = conn.execute("SELECT count(*) FROM incidents WHERE grid_code = %s AND status IN "
                            "('received', 'returned')", [grid]).fetchone()[0]
    dispatched = int(re.search(r"已派遣 (\d+) 件", note).group(1))
    assert left == waiting_before + 1 - dispatched
    page.screenshot(path=str(SHOTS / "map-grid-batch.png"))
    context.close()
