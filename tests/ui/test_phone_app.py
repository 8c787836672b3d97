"""The grid worker's phone app in real Chromium with a phone context (390×844, touch, GPS inside
the worker's grid): sign in → /m/ with my tasks; a report filed offline is queued, sent once when
back online and lands within 15 m; a household visit offline → online updates the counts once
and the grid's freshness; bad input is refused; no sideways scrolling at 360/390/430 px."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import datetime

import psycopg
import pytest
from playwright.sync_api import expect

from geo.database import create_database, drop_database, server_url
from geo.ticket_intake import receive
from geo.ticket_store import act
from geo.tickets import Actor
from geo.timewindow import TOWN_TZ
from geo.users import add_user
from tests.clients import PASSWORD
from tests.ui.serving import serve, sign_in_browser, signed_in_get

pytestmark = [pytest.mark.db, pytest.mark.ui]

WORKER = "phone-ui-worker"
WIDTHS = (360, 390, 430)


@pytest.fixture(scope="module")
def town(admin_url, demo_template, settings) -> Iterator[dict]:
    """A writable copy of the demo town with a grid worker and a ticket dispatched to them."""
    name = f"gridcmd_test_{os.getpid()}_phone_ui"
    create_database(admin_url, name, template=demo_template)
    url = server_url(settings, name)
    with psycopg.connect(url) as conn:
        grid, staff = conn.execute(
            "SELECT g.code, g.worker_code FROM grids g WHERE g.worker_code IS NOT NULL AND"
            " EXISTS (SELECT 1 FROM buildings b JOIN households h ON h.building_code = b.code"
            " WHERE b.grid_code = g.code) ORDER BY g.code LIMIT 1").fetchone()
        lat, lng = conn.execute("SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom)"
                                " p FROM grids WHERE code = %s) s", [grid]).fetchone()
        add_user(conn, WORKER, PASSWORD, "gridworker", grids=(grid,))
        dispatcher = Actor("test-commander", "commander", frozenset({"dispatch"}))
        now = datetime.now(TOWN_TZ)
        ticket, _ = receive(conn, {"source": "hotline", "category": "noise",
                                   "text": "夜间施工噪音扰民", "lat": lat + 0.0003,
                                   "lng": lng + 0.0003, "external_id": "phone-ui-1"},
                            dispatcher, now)
        act(conn, ticket["code"], "dispatch", ticket["version"], dispatcher, now,
            assignee=staff)
        conn.commit()
    yield {"url": url, "grid": grid, "lat": lat, "lng": lng, "ticket": ticket["code"]}
    drop_database(admin_url, name)


@pytest.fixture(scope="module")
def base(town, tmp_path_factory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("phone-home")
    with serve(town["url"], home / "serve.log", home=str(home)) as url:
        yield url


def _phone(browser, town, width: int = 390):
    return browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True,
        device_scale_factor=2, locale="zh-CN", permissions=["geolocation"],
        geolocation={"latitude": town["lat"], "longitude": town["lng"], "accuracy": 8})


def _signed_in_page(context, base: str):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"{base}/login")
    page.fill("input[name=username]", WORKER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/m/")
    page.wait_for_selector("body[data-ready]")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # shell cached
    return page


def _count(page) -> str:
    return page.get_by_test_id("outbox-count").inner_text()


def _wait_count(page, value: str, timeout: float = 20) -> None:
    page.wait_for_function(
        "v => document.querySelector('[data-testid=outbox-count]').textContent === v",
        arg=value, timeout=timeout * 1000)


def test_a_report_filed_offline_is_sent_once_when_back_online(browser, town, base):
    context = _phone(browser, town)
    page = _signed_in_page(context, base)
    item = page.get_by_test_id("task-item").filter(has_text=town["ticket"])
    item.wait_for()
    assert "剩余" in item.inner_text() or "超时" in item.inner_text()

    posts: list[str] = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    context.set_offline(True)
    page.reload()  # the app opens offline: its shell from the service worker, its last copies
    page.wait_for_selector("body[data-ready]")
    page.get_by_test_id("task-item").filter(has_text=town["ticket"]).wait_for()
    page.get_by_test_id("report-new").click()
    page.get_by_test_id("report-category").select_option("sanitation")
    page.get_by_test_id("report-text").fill("巷口垃圾堆积，需清运")
    page.wait_for_function("document.querySelector('[data-testid=report-location]')"
                           ".textContent.includes('±')")
    assert page.get_by_test_id("report-outside").is_hidden()  # inside my grid
    page.get_by_test_id("report-submit").click()
    _wait_count(page, "1")
    assert page.locator("[data-testid=outbox-item][data-state=queued]").count() == 1
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT count(*) FROM incidents WHERE intake_by = %s",
                            [WORKER]).fetchone()[0] == 0  # nothing reached the server

    context.set_offline(False)
    _wait_count(page, "0")
    with psycopg.connect(town["url"]) as conn:
        rows = conn.execute(
            "SELECT grid_code, source, ST_Distance(geom::geography, ST_SetSRID("
            "ST_MakePoint(%s, %s), 4326)::geography) FROM incidents WHERE intake_by = %s",
            [town["lng"], town["lat"], WORKER]).fetchall()
    assert len(rows) == 1
    grid, source, metres = rows[0]
    assert (grid, source) == (town["grid"], "patrol") and metres <= 15

    sent = len(posts)
    assert sum("/api/reports" in u for u in posts) == 1
    page.goto(f"{base}/m/#outbox")  # the app opening again syncs: nothing is left to send
    page.wait_for_selector("body[data-ready]")
    page.get_by_test_id("outbox-sync").click()
    time.sleep(1.5)
    assert len(posts) == sent
    assert page.locator("[data-testid=outbox-item][data-state=sent]").count() == 1
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT count(*) FROM incidents WHERE intake_by = %s",
                            [WORKER]).fetchone()[0] == 1
    assert page.errors == []
    context.close()


def test_a_visit_offline_updates_the_counts_once_when_back_online(browser, town, base):
    context = _phone(browser, town)
    page = _signed_in_page(context, base)
    page.get_by_role("link", name="入户走访").click()
    page.get_by_test_id("building-item").first.click()
    household = page.get_by_test_id("household-item").first
    household.wait_for()
    code = household.get_attribute("data-code")
    household.locator("summary").click()
    with psycopg.connect(town["url"]) as conn:
        newest_before = conn.execute(
            "SELECT max(h.updated_at) FROM households h JOIN buildings b"
            " ON b.code = h.building_code WHERE b.grid_code = %s", [town["grid"]]).fetchone()[0]

    context.set_offline(True)
    household.get_by_test_id("visit-members").fill("5")
    household.get_by_test_id("visit-registered").fill("2")
    household.get_by_test_id("visit-floating").fill("2")  # 2 + 2 ≠ 5
    household.get_by_test_id("visit-save").click()
    assert "≠" in household.get_by_test_id("visit-problems").inner_text()
    assert _count(page) == "0"  # refused before it is queued
    household.get_by_test_id("visit-floating").fill("3")
    household.get_by_test_id("visit-elderly").fill("1")
    household.get_by_test_id("visit-save").click()
    _wait_count(page, "1")
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT count(*) FROM household_visits").fetchone()[0] == 0

    context.set_offline(False)
    _wait_count(page, "0")
    page.get_by_test_id("outbox-count").click()
    page.get_by_test_id("outbox-sync").click()  # a second sync sends nothing more
    time.sleep(1)
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT members, registered, floating, elderly FROM households"
                            " WHERE code = %s", [code]).fetchone() == (5, 2, 3, 1)
        assert conn.execute("SELECT count(*) FROM household_visits WHERE household_code = %s",
                            [code]).fetchone()[0] == 1
    status, _, body = signed_in_get(f"{base}/api/freshness", "commander")
    assert status == 200
    row = next(r for r in json.loads(body)["rows"] if r["code"] == town["grid"])
    assert datetime.fromisoformat(row["newest"]) > newest_before

    page.get_by_test_id("sign-out").click()  # the phone forgets this user's copies
    page.wait_for_url(f"{base}/login")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('gc-phone:'))"
                         ".length") == 0
    assert page.context.request.get(f"{base}/api/m/me").status == 401
    context.close()


def test_a_photo_that_is_not_an_image_is_refused_on_the_phone(browser, town, base, tmp_path):
    context = _phone(browser, town)
    page = _signed_in_page(context, base)
    page.get_by_test_id("report-new").click()
    fake = tmp_path / "not-a-photo.jpg"
    fake.write_bytes(b"this is text, not a picture")
    page.get_by_test_id("report-photo").set_input_files(str(fake))
    message = page.get_by_test_id("photo-message")
    message.wait_for()
    assert "不是图片" in message.inner_text()
    assert page.locator(".photos img").count() == 0
    context.close()


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth"
                         " - document.documentElement.clientWidth")


def _title_bar_fits(page, width: int) -> None:
    controls = page.locator(".gc-titlebar button:visible, .gc-titlebar summary:visible, "
                            ".gc-titlebar .gc-lang:visible")
    assert controls.count() >= 5
    for i in range(controls.count()):
        control = controls.nth(i).bounding_box()
        label = controls.nth(i).inner_text()
        assert control["x"] >= 0 and control["x"] + control["width"] <= width, \
            f"{label!r} is cut off at {width} px"
        if "English" not in label:  # the language switch stacks its two choices
            assert control["height"] <= 32, f"{label!r} wraps at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling_on_the_phone_app_and_the_command_map(browser, town, base,
                                                                   width):
    context = _phone(browser, town, width)
    page = _signed_in_page(context, base)
    for view in ("#tasks", "#report", "#visit", "#outbox"):
        page.goto(f"{base}/m/{view}")
        page.wait_for_selector("body[data-ready]")
        page.wait_for_timeout(300)
        assert _overflow(page) == 0, f"/m/{view} scrolls sideways at {width} px"
    context.close()

    official = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=True,
                                   has_touch=True, locale="zh-CN")
    sign_in_browser(official, base)
    page = official.new_page()
    page.goto(f"{base}/")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_selector(".gc-sheet-toggles button")
    assert _overflow(page) == 0, f"the command map scrolls sideways at {width} px"
    # the title bar's controls (运行, 封控管控, 导出, 中文/English, 退出; 批量派遣 is a desk's)
    # each one line, all on screen, in Chinese and in English (whose words are longer)
    _title_bar_fits(page, width)
    page.locator("#lang-switch").get_by_text("English").click()
    expect(page.locator(".gc-sheet-toggles button").first).to_have_text("Layers",
                                                                        timeout=10_000)
    expect(page.locator(".gc-logout-button")).to_have_text("Sign out", timeout=10_000)
    _title_bar_fits(page, width)
    page.locator("#lang-switch").get_by_text("中文").click()
    expect(page.locator(".gc-sheet-toggles button").first).to_have_text("图层", timeout=10_000)
    box = page.locator(".gc-map").bounding_box()
    assert box["width"] >= width - 1 and box["height"] >= 400  # map first
    page.locator(".gc-sheet-toggles button").first.click()  # the layer sheet
    assert page.locator(".gc-panel").is_visible()
    assert _overflow(page) == 0
    official.close()


def test_without_a_position_the_report_offers_a_pin_to_drag(browser, town, base):
    # Review: with location refused the report said 在图上拖动图钉 but drew no pin to drag.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="zh-CN", permissions=[])
    page = _signed_in_page(context, base)
    page.goto(f"{base}/m/#report")
    where = page.get_by_test_id("report-location")
    expect(where).to_contain_text("无法定位", timeout=30_000)
    pin = page.get_by_test_id("report-pin")
    expect(pin).to_be_visible(timeout=10_000)
    page.get_by_test_id("report-text").fill("楼道堆物")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_text("请先定位或拖动图钉")).to_be_visible(timeout=5_000)  # not yet placed
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y + 10, steps=4)
    page.mouse.up()
    expect(where).to_contain_text("39.", timeout=5_000)  # the dragged place, in degrees
    assert page.errors == []
    context.close()
