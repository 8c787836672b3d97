"""The operations drawer (运行) in real headless Chromium: ranking, sorting, freshness, gaps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.clients import PASSWORD, username

pytestmark = pytest.mark.ui

RANKING = "#ops-ranking"
FRESHNESS = "#ops-freshness"
GAPS = "#ops-gaps"


def _cell(page, table: str, column: str):
    return page.locator(f'{table} td[data-dash-column="{column}"]')


def _column(page, table: str, column: str) -> list[str]:
    return [text.strip() for text in _cell(page, table, column).all_inner_texts()]


def _goto_map(page, server: str) -> None:
    page.goto(server + "/")
    if "/login" in page.url:  # until the shared `page` fixture signs in by itself
        page.fill('input[name="username"]', username("commander"))
        page.fill('input[name="password"]', PASSWORD)
        page.locator('input[name="password"]').press("Enter")
        page.wait_for_url(server + "/", timeout=20_000)


def _open_drawer(page, server: str) -> None:
    _goto_map(page, server)
    page.locator(".gc-ops-button").wait_for(timeout=20_000)
    assert page.locator("#ops-drawer").is_hidden()
    page.locator(".gc-ops-button").click()
    page.locator("#ops-drawer.gc-ops-open").wait_for(timeout=5_000)
    _cell(page, RANKING, "name").first.wait_for(timeout=15_000)


def test_drawer_ranks_the_communities_and_a_header_click_resorts(page, server: str,
                                                                  shared_demo_url) -> None:
    import psycopg

    _open_drawer(page, server)
    with psycopg.connect(shared_demo_url) as conn:
        communities = {name for (name,) in conn.execute("SELECT name FROM communities")}
    names = _column(page, RANKING, "name")
    assert len(names) == 15 and set(names) <= communities  # first page of 60 communities
    assert page.locator(f'{RANKING} th[data-dash-column="solve_rate"]').inner_text().strip() \
        .endswith("解决率")

    before = names
    page.locator(f'{RANKING} th[data-dash-column="tickets"] .column-header--sort').click()
    expect(_cell(page, RANKING, "name").first).not_to_have_text(before[0], timeout=20_000)
    tickets = [int(v) for v in _column(page, RANKING, "tickets")]
    assert tickets == sorted(tickets)  # ascending after one click
    assert _column(page, RANKING, "name") != before
    assert page.errors == []


def _ranking_read(page, action) -> dict:
    """The ranking callback's answer (the drawer's read of the ranking) to `action`."""
    def is_ranking(response) -> bool:
        return ("_dash-update-component" in response.url
                and "ops-ranking.page_count" in (response.request.post_data or ""))
    with page.expect_response(is_ranking, timeout=30_000) as answer:
        action()
    assert answer.value.status == 200
    return answer.value.json()["response"]["ops-ranking"]


def _api_page(page, server: str, query: str) -> list[dict]:
    answer = page.request.get(f"{server}/api/performance?level=community&{query}")
    assert answer.ok
    return answer.json()["rows"]


def _same_figures(table_rows: list[dict], api_rows: list[dict]) -> None:
    assert [r["id"] for r in table_rows] == [r["code"] for r in api_rows]
    for shown, served in zip(table_rows, api_rows, strict=True):
        assert shown["tickets"] == served["tickets"] and shown["overdue"] == served["overdue"]
        assert shown["repeat_buildings"] == served["repeat_buildings"]
        for rate in ("response_rate", "solve_rate", "satisfaction_rate"):
            assert shown[rate] == (None if served[rate] is None else float(served[rate]))


def test_the_ranking_reads_one_page_at_a_time_from_the_server(page, server: str) -> None:
    _goto_map(page, server)
    page.locator(".gc-ops-button").wait_for(timeout=20_000)
    first = _ranking_read(page, page.locator(".gc-ops-button").click)
    # 60 communities: the first read carries one page (the table's 15 rows), and the pages
    assert len(first["data"]) == 15 and first["page_count"] == 4
    _same_figures(first["data"], _api_page(page, server, "limit=15&offset=0"))

    second = _ranking_read(page, page.locator(f"{RANKING} button.next-page").click)
    assert second["page_current"] == 1 and len(second["data"]) == 15
    _same_figures(second["data"], _api_page(page, server, "limit=15&offset=15"))
    expect(_cell(page, RANKING, "name").first).to_have_text(second["data"][0]["name"],
                                                            timeout=20_000)
    assert _column(page, RANKING, "name") == [r["name"] for r in second["data"]]

    # a language switch re-words the same page
    english = _ranking_read(page, page.locator(".gc-lang").get_by_text("English").click)
    assert english["page_current"] == 1
    assert [r["id"] for r in english["data"]] == [r["id"] for r in second["data"]]

    # sorting asks the server for the sorted ranking's first page
    sorted_first = _ranking_read(page, page.locator(
        f'{RANKING} th[data-dash-column="overdue"] .column-header--sort').click)
    assert sorted_first["page_current"] == 0
    _same_figures(sorted_first["data"],
                  _api_page(page, server, "sort=overdue&order=asc&limit=15&offset=0"))
    expect(page.locator(f"{RANKING} input.current-page")).to_have_attribute(
        "placeholder", "1", timeout=20_000)
    # the columns the server cannot sort on show no sort arrow
    assert page.locator(
        f'{RANKING} th[data-dash-column="top_categories"] .column-header--sort').is_hidden()
    assert page.errors == []


def test_freshness_table_marks_stale_grids_and_gaps_are_listed(page, server: str) -> None:
    _open_drawer(page, server)
    page.locator("#ops-drawer").get_by_text("数据鲜活度", exact=True).click()
    _cell(page, FRESHNESS, "state").first.wait_for(timeout=15_000)
    states = _column(page, FRESHNESS, "state")
    assert len(states) == 15 and set(states) <= {"过期", "正常"}
    assert page.locator(f'{FRESHNESS} th[data-dash-column="form_coverage"]').is_visible()

    page.locator("#ops-drawer").get_by_text("应急动员", exact=True).click()
    _cell(page, GAPS, "missing").first.wait_for(timeout=15_000)
    assert page.locator("#ops-mobilisation-totals").inner_text().startswith("Ⅲ级响应")
    assert set(_column(page, GAPS, "missing")) <= {"网格员", "楼门长", "网格员、楼门长"}
    href = page.locator("#ops-print-link").get_attribute("href")
    assert href.startswith("/print/calllist?level=III")
    assert page.errors == []


def test_clicking_a_ranking_row_opens_that_community(page, server: str) -> None:
    _open_drawer(page, server)
    first = _column(page, RANKING, "name")[0]
    _cell(page, RANKING, "name").first.click()
    # the drawer's click opens the drill-down (a community query and its charts): allow a
    # busy 2-core machine running the whole suite the same time as the other panel tests
    page.locator("#drill-panel.gc-open").wait_for(timeout=20_000)
    expect(page.locator(".gc-drill-name")).to_have_text(first, timeout=20_000)
    assert page.errors == []


def test_the_drawer_follows_the_language_switch(page, server: str) -> None:
    _open_drawer(page, server)
    page.locator(".gc-lang").get_by_text("English").click()
    expect(page.locator(".gc-ops-button")).to_have_text("Operations", timeout=20_000)
    expect(page.locator(f'{RANKING} th[data-dash-column="solve_rate"]')).to_contain_text(
        "Solve rate", timeout=20_000)
    # the places are named as the English map names them (pinyin), not in Chinese
    expect(_cell(page, RANKING, "name").first).not_to_have_text(
        re.compile("[\u4e00-\u9fff]"), timeout=20_000)
    names = _column(page, RANKING, "name")
    assert names and all(re.fullmatch(r"[A-Za-z0-9 ()]+", name) for name in names), names
    assert any(name.endswith((" Community", " Village")) for name in names), names
    assert page.errors == []
