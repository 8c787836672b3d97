"""The app runs under its own Content-Security-Policy: no inline script or eval is refused."""

from __future__ import annotations

import pytest

from tests.clients import WALL_TOKEN
from tests.ui.serving import sign_in_browser

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("path,ready", [
    ("/", ".leaflet-container path.gc-grids"),
    (f"/wall/?token={WALL_TOKEN}", ".leaflet-container path"),
    ("/print/?layers=grids,town&size=800x600", ".leaflet-container path"),
])
def test_pages_draw_under_the_policy_without_violations(browser, server, path, ready):
    context = browser.new_context(bypass_csp=False, viewport={"width": 1400, "height": 900})
    try:
        if not path.startswith("/wall"):
            sign_in_browser(context, server)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        answer = page.goto(server + path)
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        page.wait_for_selector(ready, state="attached", timeout=20_000)
        page.wait_for_timeout(500)
        assert [e for e in errors if "Content Security Policy" in e or "eval" in e] == []
    finally:
        context.close()
