"""The tickets-per-grid-and-day rollup (migration 060) stays exact after every kind of write,
and the KPIs and the 12345 ranking read from it answer exactly what the scan of every ticket
of the window answered (tests/db/oracle/*_scan.sql: the queries before the rollup)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from psycopg.rows import dict_row

from dashboard.cli import import_cmd as cli_import
from dashboard.settings import Settings
from geo.database import connect
from geo.kpis import kpis
from geo.operations import hotline_performance
from geo.ticket_days import whole_days
from geo.ticket_store import act
from geo.tickets import Actor
from geo.timewindow import TOWN_TZ
from tests.db.import_town import incident_rows
from tests.db.tickets_fixtures import bearer, point_in_grid, ticket_app_world

pytestmark = pytest.mark.db

ORACLE = Path(__file__).parent / "oracle"
COMMANDER = Actor("test-commander", "commander", frozenset({"dispatch"}))

# The rollup recomputed from the tickets, independently of the trigger's delta SQL.
RAW_DAILY = """
WITH t AS (  -- every ticket in its grid ('' = none) and in its town's total ('*')
    SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, source, town_code,
           coalesce(grid_code, '') AS grid_code, category, responded_at, response_due_at,
           status, solved_at, satisfied
    FROM incidents
    UNION ALL
    SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date, source, town_code, '*', category,
           responded_at, response_due_at, status, solved_at, satisfied
    FROM incidents
), cats AS (
    SELECT day, source, town_code, grid_code, jsonb_object_agg(category, n) AS categories
    FROM (SELECT day, source, town_code, grid_code, category, count(*) AS n
          FROM t GROUP BY 1, 2, 3, 4, 5) c
    GROUP BY 1, 2, 3, 4
)
SELECT day, source, town_code, grid_code, count(*) AS tickets,
       count(*) FILTER (WHERE responded_at <= response_due_at) AS responded_in_time,
       count(*) FILTER (WHERE status = 'closed') AS closed,
       count(*) FILTER (WHERE solved_at IS NOT NULL) AS solved,
       count(*) FILTER (WHERE satisfied) AS satisfied,
       count(*) FILTER (WHERE satisfied IS NOT NULL) AS rated,
       cats.categories
FROM t JOIN cats USING (day, source, town_code, grid_code)
GROUP BY 1, 2, 3, 4, cats.categories
ORDER BY 1, 2, 3, 4
"""
STORED_DAILY = """
SELECT day, source, town_code, grid_code, tickets, responded_in_time, closed, solved,
       satisfied, rated, categories
FROM ticket_daily ORDER BY 1, 2, 3, 4
"""


def _windows(conn: psycopg.Connection) -> list[tuple[datetime, datetime]]:
    """Whole-day windows, windows with partial days at both ends, a window inside one day,
    a window longer than the data, and one ending in the future."""
    newest = conn.execute("SELECT max(received_at) FROM incidents").fetchone()[0] or (
        datetime.now(TOWN_TZ))
    end = newest.astimezone(TOWN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    end += timedelta(days=1)
    return [
        (end - timedelta(days=30), end),
        (end - timedelta(days=60), end - timedelta(days=7)),
        (end - timedelta(days=30, hours=5, minutes=13), end - timedelta(hours=7, seconds=5)),
        (end - timedelta(days=3, hours=20), end - timedelta(days=3, hours=2)),
        (end - timedelta(days=2000), end + timedelta(days=3, hours=4)),
        (datetime.now(TOWN_TZ) - timedelta(days=30), datetime.now(TOWN_TZ)),
    ]


def assert_exact(conn: psycopg.Connection) -> None:
    """The rollup equals the tickets; the KPIs and ranking equal the window scans."""
    cur = conn.cursor(row_factory=dict_row)
    stored = cur.execute(STORED_DAILY).fetchall()
    raw = cur.execute(RAW_DAILY).fetchall()
    assert stored == raw
    kpi_scan, ranking_scan = ((ORACLE / f).read_text(encoding="utf-8")
                              for f in ("kpis_scan.sql", "hotline_performance_scan.sql"))
    towns = [r[0] for r in conn.execute("SELECT code FROM towns ORDER BY code")]
    for since, until in _windows(conn):
        for town in (None, *towns[:1]):
            expected = cur.execute(kpi_scan, {"since": since, "until": until,
                                              "town_code": town}).fetchone()
            got = kpis(conn, (since, until), town)
            assert {k: got[k] for k in expected} == expected, (since, until, town)
        for level in ("grid", "community"):
            expected = cur.execute(ranking_scan, {"level": level, "since": since,
                                                  "until": until}).fetchall()
            assert hotline_performance(conn, level, (since, until)) == expected, (level, since)
            # pages (categories and repeat callers computed per page) add up to the whole
            paged = [row for offset in range(0, len(expected), 41)
                     for row in hotline_performance(conn, level, (since, until), None, 41,
                                                    offset)]
            assert paged == expected, (level, since, "paged")


def test_whole_days_cut_windows_at_town_midnight():
    day = datetime(2026, 5, 1, tzinfo=TOWN_TZ)
    assert whole_days(day, day + timedelta(days=2)) == (
        day, day + timedelta(days=2), day.date(), (day + timedelta(days=2)).date())
    # partial days at both ends: only the whole days between them
    since, until = day + timedelta(hours=9), day + timedelta(days=3, hours=2)
    assert whole_days(since, until) == (day + timedelta(days=1), day + timedelta(days=3),
                                        (day + timedelta(days=1)).date(),
                                        (day + timedelta(days=3)).date())
    # no whole day inside: the whole window is an edge, the day range is empty
    fs, fu, lo, hi = whole_days(since, since + timedelta(hours=20))
    assert fs == fu == since + timedelta(hours=20) and lo == hi
    # a UTC time is cut at Beijing midnight (16:00 UTC), not UTC midnight
    utc = datetime.fromisoformat("2026-05-01T16:00:00+00:00")
    assert whole_days(utc, utc + timedelta(days=1))[2].isoformat() == "2026-05-02"


def test_rollup_is_exact_after_a_demo_load_and_direct_writes(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        assert conn.execute("SELECT count(*) FROM ticket_daily").fetchone()[0] > 0
        assert_exact(conn)  # the demo load (deferred triggers, one refresh)
        grid = conn.execute("SELECT grid_code FROM incidents WHERE grid_code IS NOT NULL "
                            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        other = conn.execute("SELECT code FROM grids WHERE code <> %s ORDER BY code LIMIT 1",
                             [grid]).fetchone()[0]
        # close open tickets, reopen closed ones, rate, recategorise, move grid and day
        conn.execute("UPDATE incidents SET status = 'closed', solved_at = received_at "
                     "+ interval '3 days', satisfied = true WHERE code IN (SELECT code FROM "
                     "incidents WHERE solved_at IS NULL ORDER BY code LIMIT 40)")
        conn.execute("UPDATE incidents SET status = 'in_progress', solved_at = NULL, "
                     "satisfied = NULL WHERE code IN (SELECT code FROM incidents WHERE "
                     "status = 'closed' ORDER BY code DESC LIMIT 40)")
        conn.execute("UPDATE incidents SET category = 'heating', grid_code = %s "
                     "WHERE grid_code = %s", [other, grid])
        conn.execute("UPDATE incidents SET received_at = received_at - interval '1 day', "
                     "grid_code = NULL WHERE code IN (SELECT code FROM incidents ORDER BY "
                     "code LIMIT 25)")
        conn.execute("UPDATE incidents SET updated_at = now()")  # no figure moves
        assert_exact(conn)
        conn.execute("DELETE FROM incidents WHERE code IN (SELECT code FROM incidents "
                     "WHERE source = 'hotline' ORDER BY code LIMIT 300)")
        conn.execute("INSERT INTO incidents (code, town_code, source, category, status, "
                     "received_at, h3_cell, geom, grid_code) SELECT 'X' || code, town_code, "
                     "source, 'road', 'received', received_at + interval '1 hour', h3_cell, "
                     "geom, grid_code FROM incidents ORDER BY code LIMIT 50")
        assert_exact(conn)
        conn.execute("TRUNCATE incidents CASCADE")
        assert conn.execute("SELECT count(*) FROM ticket_daily").fetchone()[0] == 0
        assert_exact(conn)
        conn.rollback()


def test_a_failed_statement_leaves_the_rollup_as_it_was(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        before = conn.execute(STORED_DAILY).fetchall()
        with pytest.raises(psycopg.errors.CheckViolation):
            # the second row breaks a CHECK: the statement, and its delta, roll back
            conn.execute("UPDATE incidents SET status = CASE WHEN code = (SELECT max(code) "
                         "FROM incidents) THEN 'bogus' ELSE 'closed' END")
        conn.rollback()
        assert conn.execute(STORED_DAILY).fetchall() == before


def test_rollup_is_exact_after_an_incidents_import(demo_db_url, monkeypatch, tmp_path):
    with psycopg.connect(demo_db_url) as conn:
        town = conn.execute("SELECT code FROM towns ORDER BY code LIMIT 1").fetchone()[0]
    monkeypatch.setattr(cli_import, "get_settings",
                        lambda: Settings(database_url=demo_db_url, town_code=town))
    path = tmp_path / "incidents.csv"
    rows = incident_rows(5)
    rows["受理时间"] = [(datetime.now(TOWN_TZ) - timedelta(days=d)).strftime("%Y-%m-%d %H:%M")
                    for d in (1, 2, 2, 9, 40)]
    rows["办结时间"] = [(datetime.now(TOWN_TZ) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
                    ] * 5
    rows.to_csv(path, index=False)
    with psycopg.connect(demo_db_url) as conn:
        before = kpis(conn, (datetime.now(TOWN_TZ) - timedelta(days=60),
                             datetime.now(TOWN_TZ)))["tickets_received"]
    result = CliRunner().invoke(cli_import.import_, ["incidents", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    with psycopg.connect(demo_db_url) as conn:
        after = kpis(conn, (datetime.now(TOWN_TZ) - timedelta(days=60),
                            datetime.now(TOWN_TZ)))["tickets_received"]
        assert after == before + 5
        assert_exact(conn)
    # the same file again changes nothing; the rows re-imported with a new status move
    rows["办理状态"] = "received"
    rows["办结时间"] = None
    rows.to_csv(path, index=False)
    result = CliRunner().invoke(cli_import.import_, ["incidents", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    with psycopg.connect(demo_db_url) as conn:
        assert_exact(conn)


@pytest.fixture
def ticket_world(admin_url, demo_template, settings):
    with ticket_app_world(admin_url, demo_template, settings) as world:
        yield world


def _act(client, code, action, version, **extra):
    answer = client.post(f"/api/tickets/{code}/actions",
                         json={"action": action, "version": version, **extra})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_ticket_steps_move_the_figures_at_once(ticket_world, settings):
    """A push over the API and every step (dispatch … close, reopen) through the API and
    geo.ticket_store: the KPIs and the ranking move with the step, and stay exact."""
    w = ticket_world
    lat, lng = point_in_grid(w["url"], None, w["grid_a"])
    pushed = w["anon"].post("/api/tickets", headers=bearer(w["token"]), json={
        "source": "hotline", "category": "noise", "text": "楼下夜间施工噪音扰民",
        "lat": lat, "lng": lng})
    assert pushed.status_code == 201, pushed.get_json()
    code = pushed.get_json()["code"]
    window = (datetime.now(TOWN_TZ) - timedelta(days=30), datetime.now(TOWN_TZ)
              + timedelta(minutes=5))

    def figures():
        with connect(w["url"], settings) as conn:
            assert_exact(conn)
            k = kpis(conn, window)
            row = next(r for r in hotline_performance(conn, "grid", window)
                       if r["code"] == w["grid_a"])
            return k, row

    k0, g0 = figures()
    worker = w["client"]("worker-a")
    with connect(w["url"], settings) as conn:  # dispatch through geo.ticket_store
        ticket = act(conn, code, "dispatch", 1, COMMANDER, datetime.now(TOWN_TZ),
                     assignee=pushed.get_json()["suggested_assignee"]["code"])
        conn.commit()
    assert ticket["status"] == "dispatched"
    _act(worker, code, "accept", 2)
    k1, g1 = figures()
    # accepted (signed for) within the response limit: the grid's response rate rises at once
    assert g1["tickets"] == g0["tickets"] and g1["response_rate"] > (g0["response_rate"] or 0)
    assert k1["open_tickets"] == k0["open_tickets"]
    _act(worker, code, "start", 3)
    _act(worker, code, "submit", 4)
    closed = _act(w["commander"], code, "verify", 5, satisfied=True)
    assert closed["status"] == "closed"
    k2, g2 = figures()
    assert g2["solve_rate"] > g1["solve_rate"] and k2["open_tickets"] == k1["open_tickets"] - 1
    assert k2["solved_share"] >= k1["solved_share"]
    assert g2["satisfaction_rate"] is not None
    reopened = _act(w["commander"], code, "reopen", 6, note="回访不满意")
    assert reopened["status"] == "in_progress" and reopened["satisfied"] is False
    k3, g3 = figures()
    assert k3["open_tickets"] == k1["open_tickets"] and g3["solve_rate"] == g1["solve_rate"]
    assert g3["satisfaction_rate"] < g2["satisfaction_rate"]
    _act(worker, code, "submit", 7)
    # inside one transaction, before commit: the step is already in the figures
    with connect(w["url"], settings) as conn:
        conn.execute("SELECT 1")  # an open transaction: the step takes a savepoint inside it
        act(conn, code, "verify", 8, COMMANDER, datetime.now(TOWN_TZ), satisfied=True)
        assert kpis(conn, window)["open_tickets"] == k3["open_tickets"] - 1
        assert_exact(conn)
        conn.rollback()
    assert figures()[0]["open_tickets"] == k3["open_tickets"]



def test_the_ranking_of_one_town_is_the_whole_ranking_cut_to_its_areas(demo_db_url, settings):
    """At city scale a town screen ranks its own grids: `town` keeps exactly that town's rows
    of the whole ranking, in the same order, with the same figures."""
    from tests.clients import api_client

    with psycopg.connect(demo_db_url) as conn:
        town = conn.execute("SELECT code FROM towns").fetchone()[0]
        community = conn.execute("SELECT min(code) FROM communities").fetchone()[0]
        # a second town: one community with its grids and tickets moves to it
        conn.execute("INSERT INTO towns (code, town_code, name, name_en, district, "
                     "resident_population, registered_population, geom) SELECT '110199001', "
                     "'110199001', '合成1号镇', 'Synthetic 1', district, resident_population, "
                     "registered_population, geom FROM towns WHERE code = %s", [town])
        conn.execute("UPDATE communities SET town_code = '110199001' WHERE code = %s",
                     [community])
        conn.execute("UPDATE grids SET town_code = '110199001' WHERE community_code = %s",
                     [community])
        conn.execute("UPDATE incidents SET town_code = '110199001' WHERE grid_code IN "
                     "(SELECT code FROM grids WHERE community_code = %s)", [community])
        conn.commit()
        assert_exact(conn)
        end = datetime.now(TOWN_TZ)
        for window in ((end - timedelta(days=30), end), (end - timedelta(days=400), end)):
            for level, table in (("grid", "grids"), ("community", "communities")):
                whole = hotline_performance(conn, level, window)
                for code in (town, "110199001"):
                    mine = {r[0] for r in conn.execute(
                        f"SELECT code FROM {table} WHERE town_code = %s", [code])}
                    cut = hotline_performance(conn, level, window, code)
                    assert cut == [r for r in whole if r["code"] in mine], (level, code)
                    assert cut and len(cut) < len(whole)
    with api_client(settings, demo_db_url) as client:
        answer = client.get("/api/performance?level=grid&town=110199001")
        assert answer.status_code == 200 and answer.get_json()["town"] == "110199001"
        assert {r["code"][:9] for r in answer.get_json()["rows"]} == {community[:9]}
        for bad in ("999999999", "11019900", "1101990011", "abc", "１１０１９９００１",
                    "110199001' OR '1'='1"):
            refused = client.get("/api/performance", query_string={"town": bad})
            assert refused.status_code == 400, bad
            assert refused.get_json()["parameter"] == "town"
