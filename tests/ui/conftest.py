"""Browser tests: `gridcmd serve` in a subprocess over the demo town, in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.serving import serve, sign_in_browser

CHROMIUM = "/usr/bin/chromium"
# A browser test waits on a real server, Chromium and PostGIS sharing two cores with the rest
# of the suite: one that times out is run once more (pytest-rerunfailures) before it fails.
# Only browser tests; a second failure fails the suite, and the rerun is reported.
UI_RERUNS = 1


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.get_closest_marker("ui") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=UI_RERUNS, reruns_delay=2))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]


@pytest.fixture(scope="session")
def ui_db_url(shared_demo_url: str) -> str:
    """The demo town the browser tests look at (read-only)."""
    return shared_demo_url


@pytest.fixture(scope="session")
def server(ui_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `gridcmd serve` running over the UI database."""
    with serve(ui_db_url, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS)
        yield _TestBrowser(chromium)
        chromium.close()


class _TestBrowser:
    """The browser, whose contexts let playwright's own wait_for_function scripts run under the
    app's Content-Security-Policy (it evaluates strings); test_csp.py checks the app without."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    """A fresh 1400x900 page signed in as a commander, console errors in page.errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    sign_in_browser(context, server)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()
