"""The wall's language (GRIDCMD_LANG, /wall/?lang=), its "data as of" stamp shared with the
print view, and its landmarks when the database is down at the moment the page opens."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from dashboard.i18n import t
from geo.cluster import EmbeddedCluster
from geo.freshness_stamp import data_as_of, stamp_text
from tests.clients import PASSWORD, WALL_TOKEN, username
from tests.ui.serving import serve
from tests.ui.tiny_town import tiny_town_cluster

pytestmark = pytest.mark.ui

REFRESH_S = 2
ACTIVE = ".gc-kpi-active_cases .gc-wall-kpi-value"
NUMBER_SHOWN = f"() => /\\d/.test(document.querySelector('{ACTIVE}')?.textContent)"


@pytest.fixture(scope="module")
def tiny_town() -> Iterator[tuple[EmbeddedCluster, str]]:
    """A throwaway cluster (it is stopped by a test) holding a tiny town with a river."""
    with tiny_town_cluster("gridcmd-wall-lang-") as pair:
        yield pair


@pytest.fixture(scope="module")
def english_wall(tiny_town, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose GRIDCMD_LANG is en, over the tiny town."""
    _, url = tiny_town
    log = tmp_path_factory.mktemp("wall-lang") / "serve.log"
    with serve(url, log, wall_refresh=str(REFRESH_S), pool_min="1", lang="en") as base:
        yield base


def _context(browser):
    return browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")


def _open_wall(context, url: str):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(url)
    return page


def test_wall_speaks_the_setting_language_and_the_url_one(browser, english_wall):
    context = _context(browser)
    try:
        page = _open_wall(context, f"{english_wall}/wall/?token={WALL_TOKEN}")
        page.wait_for_function(NUMBER_SHOWN, timeout=20_000)
        assert page.locator(".gc-wall-title").inner_text() == t("title", "en")
        assert page.locator("#wall-ticker-head").inner_text() == t("wall.ticker", "en")
        assert page.locator(".gc-kpi-active_cases .gc-wall-kpi-label").inner_text() == t(
            "kpi.active_cases", "en")
        page.wait_for_function("() => document.querySelector('.gc-wall-as-of')?.textContent"
                               "?.startsWith('Data as of')", timeout=10_000)

        page = _open_wall(context, f"{english_wall}/wall/?token={WALL_TOKEN}&lang=zh")
        page.wait_for_function(NUMBER_SHOWN, timeout=20_000)
        page.wait_for_function(f"() => document.querySelector('.gc-wall-title').textContent === "
                               f"'{t('title', 'zh')}'", timeout=10_000)
        assert page.locator(".gc-kpi-active_cases .gc-wall-kpi-label").inner_text() == t(
            "kpi.active_cases", "zh")
        page.wait_for_function("() => document.querySelector('.gc-wall-as-of')?.textContent"
                               ".startsWith('数据截至')", timeout=10_000)
        page.wait_for_function("() => document.getElementById('wall-ticker-head').textContent"
                               f" === '{t('wall.ticker', 'zh')}'", timeout=10_000)
        assert page.errors == []
    finally:
        context.close()


def _sign_in(context, base: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username("commander"))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.close()


def test_print_view_and_wall_show_the_same_data_as_of_stamp(browser, english_wall, tiny_town):
    _, url = tiny_town
    with psycopg.connect(url) as conn:
        expected = stamp_text(data_as_of(conn))
    assert expected  # the tiny town has rows, so a stamp
    context = _context(browser)
    try:
        _sign_in(context, english_wall)
        wall = _open_wall(context, f"{english_wall}/wall/")
        wall.wait_for_function("() => document.querySelector('.gc-wall-as-of')?.textContent"
                               "?.startsWith('Data as of')", timeout=20_000)
        printed = _open_wall(context, f"{english_wall}/print/?layers=town&size=1200x800")
        printed.wait_for_function("() => window.gridcmdReady === true", timeout=20_000)
        wall_stamp = wall.locator(".gc-wall-as-of").inner_text()
        print_stamp = printed.locator(".gc-print-asof").inner_text()
        assert wall_stamp == print_stamp == f"Data as of {expected}"
    finally:
        context.close()


def test_wall_draws_its_landmarks_when_the_database_is_down_on_open(browser, english_wall,
                                                                    tiny_town):
    cluster, _ = tiny_town
    context = _context(browser)
    try:
        first = _open_wall(context, f"{english_wall}/wall/?token={WALL_TOKEN}")
        first.wait_for_function(NUMBER_SHOWN, timeout=20_000)
        first.close()
        cluster.stop()
        try:
            # The session cookie from the first visit lets the kiosk back in without the database.
            page = _open_wall(context, f"{english_wall}/wall/")
            for pane in ("context", "grids", "town"):
                page.wait_for_selector(f".leaflet-gc-wall-{pane}-pane path", state="attached",
                                       timeout=20_000)
            page.locator(".gc-wall-banner").wait_for(state="visible",
                                                     timeout=10 * REFRESH_S * 1000)
            assert page.locator(".leaflet-gc-wall-context-pane path").count() == 1  # the river
        finally:
            cluster.start()
    finally:
        context.close()


def test_data_as_of_is_the_newest_change_of_any_base_or_activity_table(tiny_town):
    _, url = tiny_town
    with psycopg.connect(url) as conn:  # one transaction, rolled back: the town is unchanged
        before = data_as_of(conn)
        later = conn.execute("SELECT %s::timestamptz + interval '1 minute'", [before]).fetchone()[0]
        conn.execute("UPDATE grids SET updated_at = %s", [later])
        assert data_as_of(conn) == later
        # a case reported in the future (a typo) does not move the stamp past now
        conn.execute("UPDATE cases SET reported_at = now() + interval '3 days', "
                     "updated_at = %s", [before])
        assert data_as_of(conn) == later
        conn.rollback()
