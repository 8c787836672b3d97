"""Reads that cost what they return stay exact: the per-grid freshness rollup equals the raw
SQL after a demo load, an import and direct writes; paging; H3 child ranges; health counts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import h3.api.basic_int as h3i
import psycopg
import pytest
from psycopg.rows import dict_row

from dashboard.settings import Settings
from geo.operations import grid_freshness
from geo.regions import region_record
from geo.timewindow import TOWN_TZ, parse_window
from tests.clients import api_client
from tests.db.import_town import import_demo_households

pytestmark = pytest.mark.db

# The reference the rollup must equal, row for row (the per-request query it replaced).
RAW_FRESHNESS = (Path(__file__).parent / "oracle" / "grid_freshness_scan.sql").read_text(
    encoding="utf-8")


def _assert_rollup_is_exact(conn: psycopg.Connection) -> None:
    now = datetime.now(TOWN_TZ)
    raw = conn.cursor(row_factory=dict_row).execute(
        RAW_FRESHNESS, {"now": now, "stale_days": 90}).fetchall()
    assert grid_freshness(conn, now, 90) == raw


def test_freshness_rollup_equals_raw_sql_after_demo_load_and_direct_writes(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        _assert_rollup_is_exact(conn)  # the demo load (deferred triggers, one recompute)
        grid, other = [r[0] for r in conn.execute(
            "SELECT DISTINCT grid_code FROM buildings ORDER BY 1 LIMIT 2")]
        conn.execute("UPDATE households SET updated_at = now() - interval '2 years' "
                     "WHERE building_code IN (SELECT code FROM buildings WHERE grid_code = %s)",
                     [grid])
        _assert_rollup_is_exact(conn)
        conn.execute("UPDATE households SET members = 0, registered = 0, floating = 0 "
                     "WHERE code IN (SELECT h.code FROM households h JOIN buildings b "
                     "ON b.code = h.building_code WHERE b.grid_code = %s LIMIT 3)", [other])
        conn.execute("DELETE FROM persons WHERE household_code IN (SELECT h.code FROM households"
                     " h JOIN buildings b ON b.code = h.building_code WHERE b.grid_code = %s"
                     " LIMIT 5)", [other])
        conn.execute("DELETE FROM households WHERE code IN (SELECT h.code FROM households h "
                     "JOIN buildings b ON b.code = h.building_code WHERE b.grid_code = %s "
                     "AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.household_code = h.code)"
                     " LIMIT 5)", [other])
        _assert_rollup_is_exact(conn)
        # a building (with its households) moves to another grid
        conn.execute("UPDATE buildings SET grid_code = %s WHERE code = (SELECT min(code) FROM "
                     "buildings WHERE grid_code = %s)", [other, grid])
        conn.execute("UPDATE units SET kind = 'other' WHERE code = (SELECT min(code) FROM units)")
        _assert_rollup_is_exact(conn)
        conn.commit()


def test_freshness_rollup_equals_raw_sql_after_an_import(demo_db_url, tmp_path):
    building = import_demo_households(demo_db_url, tmp_path)
    with psycopg.connect(demo_db_url) as conn:
        assert conn.execute("SELECT count(*) FROM households WHERE building_code = %s "
                            "AND code IN ('NEW-1', 'NEW-2')", [building]).fetchone()[0] == 2
        _assert_rollup_is_exact(conn)


def test_freshness_pages_add_up_to_every_grid(settings: Settings, shared_demo_url):
    with api_client(settings, shared_demo_url) as client:
        first = client.get("/api/freshness?stale_days=90&limit=120").get_json()
        assert first["total"] == 300 and first["limit"] == 120 and first["next_offset"] == 120
        rows = list(first["rows"])
        offset = first["next_offset"]
        while offset is not None:
            page = client.get(f"/api/freshness?stale_days=90&limit=120&offset={offset}"
                              ).get_json()
            rows += page["rows"]
            offset = page["next_offset"]
        whole = client.get("/api/freshness?stale_days=90").get_json()
        assert [r["code"] for r in rows] == [r["code"] for r in whole["rows"]]
        assert len(rows) == 300 and len({r["code"] for r in rows}) == 300
        assert whole["stale_total"] == sum(r["stale"] for r in whole["rows"])
        for bad in ("limit=0", "limit=5000", "offset=-1", "limit=x"):
            answer = client.get(f"/api/freshness?{bad}")
            assert answer.status_code == 400
            assert answer.get_json()["parameter"] == bad.split("=")[0]


def test_ranking_pages_add_up_to_the_whole_ranking(settings: Settings, shared_demo_url):
    from geo.operations import hotline_performance

    window = "since=2026-01-01&until=2026-12-31"
    with psycopg.connect(shared_demo_url) as conn:
        town = conn.execute("SELECT code FROM towns ORDER BY code LIMIT 1").fetchone()[0]
    with api_client(settings, shared_demo_url) as client:
        whole = client.get(f"/api/performance?level=grid&{window}").get_json()
        assert whole["total"] == 300 and whole["limit"] == 500 and whole["offset"] == 0
        assert whole["next_offset"] is None and len(whole["rows"]) == 300
        rows, offset = [], 0
        while offset is not None:
            page = client.get(f"/api/performance?level=grid&{window}&limit=70&offset={offset}"
                              ).get_json()
            assert page["total"] == 300 and len(page["rows"]) <= 70
            rows += page["rows"]
            offset = page["next_offset"]
        assert rows == whole["rows"]
        assert [r["code"] for r in rows] != sorted(r["code"] for r in rows)  # ranked, not by code
        communities = client.get(f"/api/performance?{window}&town={town}&limit=7&offset=56"
                                 ).get_json()
        assert communities["total"] == 60 and communities["next_offset"] is None
        assert len(communities["rows"]) == 4
        past = client.get(f"/api/performance?level=grid&{window}&offset=900").get_json()
        assert past["rows"] == [] and past["total"] == 300 and past["next_offset"] is None
        for bad in ("limit=0", "limit=1001", "offset=-1", "limit=x", "offset=1e3"):
            answer = client.get(f"/api/performance?{bad}")
            assert answer.status_code == 400
            assert answer.get_json()["parameter"] == bad.split("=")[0]
    with psycopg.connect(shared_demo_url) as conn:
        first = hotline_performance(conn, "grid", parse_window("2026-01-01", "2026-12-31"),
                                    None, 70, 0)
    assert [r["code"] for r in first] == [r["code"] for r in rows[:70]]


def _sorted_in_python(rows: list[dict], column: str, descending: bool) -> list[str]:
    """The codes of the whole ranking (best first) sorted on `column` as the server must:
    values first (turned round when descending), empty values last, ties best first."""
    def value(row):
        if column == "trend":
            now, before = row["solve_rate"], row["previous_solve_rate"]
            return None if now is None or before is None else now - before
        return row[column]
    present = [r for r in rows if value(r) is not None]
    # sorted() is stable: the rows' own order (the ranking's) breaks ties
    present = sorted(present, key=lambda r: -value(r) if descending else value(r))
    return [r["code"] for r in present] + [r["code"] for r in rows if value(r) is None]


@pytest.mark.parametrize("column", ["tickets", "solve_rate", "satisfaction_rate", "overdue",
                                    "trend", "response_rate"])
def test_ranking_sorted_on_the_server_pages_the_whole_sorted_ranking(shared_demo_url, column):
    from geo.operations import hotline_performance

    window = parse_window("2026-01-01", "2026-12-31")
    with psycopg.connect(shared_demo_url) as conn:
        whole = hotline_performance(conn, "community", window)
        for descending in (False, True):
            pages = []
            for offset in range(0, 60, 15):
                pages += hotline_performance(conn, "community", window, None, 15, offset,
                                             column, descending)
            assert len(pages) == 60
            assert [r["code"] for r in pages] == _sorted_in_python(whole, column, descending)
            by_code = {r["code"]: r for r in whole}
            for row in pages:  # the same figures as the best-first ranking
                assert by_code[row["code"]] == row


def test_ranking_sort_parameters_on_the_route(settings: Settings, shared_demo_url):
    window = "since=2026-01-01&until=2026-12-31"
    with api_client(settings, shared_demo_url) as client:
        page = client.get(f"/api/performance?{window}&sort=tickets&order=desc&limit=15"
                          ).get_json()
        tickets = [r["tickets"] for r in page["rows"]]
        assert len(tickets) == 15 and tickets == sorted(tickets, reverse=True)
        assert page["sort"] == "tickets" and page["order"] == "desc" and page["total"] == 60
        names = client.get(f"/api/performance?{window}&sort=name&limit=60").get_json()["rows"]
        assert len(names) == 60 and len({r["code"] for r in names}) == 60
        for bad in ("sort=top_categories", "sort=x", "order=up", "sort=code%3B"):
            answer = client.get(f"/api/performance?{window}&{bad}")
            assert answer.status_code == 400
            assert answer.get_json()["parameter"] == bad.split("=")[0]


def test_h3_child_ranges_hold_exactly_the_cells_descendants(shared_demo_url):
    with psycopg.connect(shared_demo_url) as conn:
        cells = [r[0] for r in conn.execute(
            "SELECT cell FROM h3_cells WHERE res IN (7, 8, 9, 10) ORDER BY cell LIMIT 400")]
        for cell in cells[::20]:
            low, high = conn.execute("SELECT h3_child_min(%s, 11), h3_child_max(%s, 11)",
                                     [cell, cell]).fetchone()
            children = h3i.cell_to_children(cell, 11)
            assert low <= min(children) and max(children) <= high
            for neighbour in h3i.grid_ring(cell, 1):
                for child in h3i.cell_to_children(neighbour, 11)[:40]:
                    assert not low <= child <= high
        # the ranges select the same buildings as h3_parent, for every res-9 cell of the town
        mismatched = conn.execute(
            "SELECT count(*) FROM h3_cells c WHERE c.res = 9 AND "
            "(SELECT count(*) FROM buildings b WHERE b.h3_cell BETWEEN h3_child_min(c.cell, 11)"
            " AND h3_child_max(c.cell, 11)) <> "
            "(SELECT count(*) FROM buildings b WHERE h3_parent(b.h3_cell, 9) = c.cell)"
        ).fetchone()[0]
        assert mismatched == 0


def test_h3_drill_down_finds_its_buildings_by_index(shared_demo_url):
    with psycopg.connect(shared_demo_url) as conn:
        cell = conn.execute("SELECT h3_parent(h3_cell, 9) FROM buildings GROUP BY 1 "
                            "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        expected = conn.execute("SELECT count(*) FROM buildings WHERE h3_parent(h3_cell, 9) = %s",
                                [cell]).fetchone()[0]
        now = datetime.now(TOWN_TZ)
        record = region_record(conn, "h3", h3i.int_to_str(cell), (now.replace(year=2020), now))
        assert record["buildings"] == expected > 0
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT code FROM buildings WHERE h3_cell BETWEEN h3_child_min(%(c)s, 11) "
            "AND h3_child_max(%(c)s, 11) AND h3_parent(h3_cell, 9) = %(c)s", {"c": cell}))
        assert "Seq Scan" not in plan and "buildings_h3_idx" in plan


def test_healthz_counts_small_tables_exactly_and_big_ones_by_statistics(settings,
                                                                       shared_demo_url):
    with psycopg.connect(shared_demo_url) as conn:
        exact = {t: conn.execute(psycopg.sql.SQL("SELECT count(*) FROM {}").format(
            psycopg.sql.Identifier(t))).fetchone()[0]
            for t in ("towns", "communities", "grids", "compounds", "buildings", "households")}
    # row counts are for signed-in users (an anonymous probe gets status and data_as_of only)
    with api_client(settings, shared_demo_url) as client:
        body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    estimated = set(body["counts_estimated"])
    assert "households" in estimated  # ~94 k rows: the statistics answer
    for table, n in exact.items():
        if table in estimated:
            assert abs(body["counts"][table] - n) <= 0.1 * n, table
        else:
            assert body["counts"][table] == n, table


def test_mobilisation_gap_pages_add_up_to_every_gap_grid(settings: Settings, shared_demo_url):
    from geo.mobilisation import gaps

    with psycopg.connect(shared_demo_url) as conn:
        every = gaps(conn)
    assert len(every) > 10
    with api_client(settings, shared_demo_url) as client:
        rows, offset = [], 0
        while offset is not None:
            page = client.get(f"/api/mobilisation/gaps?limit=7&offset={offset}").get_json()
            assert page["total"] == len(every) and len(page["rows"]) <= 7
            rows += page["rows"]
            offset = page["next_offset"]
        assert client.get("/api/mobilisation/gaps?limit=0").get_json()["parameter"] == "limit"
    assert [r["code"] for r in rows] == [r["code"] for r in every]
