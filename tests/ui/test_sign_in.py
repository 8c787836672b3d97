"""Signing in and out in the browser: the form, the account box, sign-out, the wall token."""

from __future__ import annotations

import pytest

from tests.clients import PASSWORD, WALL_TOKEN, username

pytestmark = pytest.mark.ui


def test_sign_in_page_then_map_then_sign_out(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(server + "/")
        assert "/login" in page.url
        assert page.locator("h2").inner_text() == "请登录"
        page.fill("input[name=username]", username("official"))
        page.fill("input[name=password]", "wrong-password-here")
        page.click("button[type=submit]")
        assert page.locator(".gc-login-error").inner_text() == "用户名或密码错误"
        page.fill("input[name=username]", username("official"))
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(".gc-account-name", timeout=20_000)
        assert page.locator(".gc-account-name").inner_text() == f"{username('official')} · 干部"
        page.click(".gc-logout-button")
        page.wait_for_url("**/login", timeout=20_000)
        assert page.request.get(server + "/api/kpis").status == 401
    finally:
        context.close()


def test_the_wall_opens_with_its_token_and_nothing_else(browser, server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{server}/wall/?token={WALL_TOKEN}")
        page.wait_for_selector(".leaflet-container", timeout=20_000)
        assert page.request.get(server + "/api/kpis").status == 200
        assert page.request.get(server + "/api/search?q=社区").status == 403
        assert page.request.get(server + "/").status == 403
    finally:
        context.close()
