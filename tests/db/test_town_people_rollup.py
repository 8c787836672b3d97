"""Residents per town (migration 062, the KPI bar's population figures) stay exact: the
town_people rollup equals the households summed in their buildings' towns after a demo load,
an import, a household visit over the API and direct INSERT/UPDATE/DELETE/TRUNCATE of
households and buildings (moves between buildings and towns, orphaned and re-adopted
households, failed and rolled-back statements); the KPIs read it and equal the raw SQL."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.rows import dict_row

from dashboard.app import close_app, create_app
from geo.kpis import kpis
from geo.timewindow import TOWN_TZ
from geo.users import add_user
from tests.clients import PASSWORD, api_client, sign_in
from tests.db.import_town import import_csv, import_demo_households

pytestmark = pytest.mark.db

ORACLE = Path(__file__).parent / "oracle"
OTHER_TOWN = "110112999"

# The rollup recomputed from the households, independently of the triggers' delta SQL.
RAW = """
SELECT b.town_code, count(*) AS households, sum(h.members) AS residents,
       sum(h.registered) AS registered, sum(h.floating) AS floating
FROM households h JOIN buildings b ON b.code = h.building_code
GROUP BY b.town_code ORDER BY b.town_code
"""
STORED = ("SELECT town_code, households, residents, registered, floating FROM town_people "
          "ORDER BY town_code")


def assert_exact(conn: psycopg.Connection) -> None:
    """The rollup equals the raw sums; the KPIs (every town and each) equal the raw SQL."""
    cur = conn.cursor(row_factory=dict_row)
    stored = cur.execute(STORED).fetchall()
    assert stored == cur.execute(RAW).fetchall()
    oracle = (ORACLE / "kpis_scan.sql").read_text(encoding="utf-8")
    until = datetime.now(TOWN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    window = (until - timedelta(days=30), until)
    for town in (None, *(r["town_code"] for r in stored), "000000000"):
        expected = cur.execute(oracle, {"since": window[0], "until": window[1],
                                        "town_code": town}).fetchone()
        got = kpis(conn, window, town)
        assert {k: got[k] for k in expected} == expected, town


def _sums(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(STORED).fetchall()


def test_rollup_is_exact_after_a_demo_load_and_direct_writes(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        assert _sums(conn) and _sums(conn)[0][2] == 165_238  # the demo town's residents
        assert_exact(conn)  # the demo load (deferred triggers, one refresh)
        conn.execute("INSERT INTO towns (code, town_code, name, geom) SELECT %s, %s, '测试镇', "
                     "geom FROM towns LIMIT 1", [OTHER_TOWN, OTHER_TOWN])
        # counts change; a no-op update; a visit date only
        conn.execute("UPDATE households SET members = members + 2, floating = floating + 2 "
                     "WHERE code IN (SELECT code FROM households ORDER BY code LIMIT 50)")
        conn.execute("UPDATE households SET updated_at = now() WHERE code IN "
                     "(SELECT code FROM households ORDER BY code DESC LIMIT 500)")
        conn.execute("UPDATE households SET room = room")
        assert_exact(conn)
        # buildings move to another town, with their households
        conn.execute("UPDATE buildings SET town_code = %s WHERE code IN (SELECT building_code "
                     "FROM households GROUP BY 1 ORDER BY 1 LIMIT 40)", [OTHER_TOWN])
        assert_exact(conn)
        # households move to a building of the other town and back to one of the first
        there = conn.execute("SELECT code FROM buildings WHERE town_code = %s ORDER BY code "
                             "LIMIT 1", [OTHER_TOWN]).fetchone()[0]
        here = conn.execute("SELECT code FROM buildings WHERE town_code <> %s ORDER BY code "
                            "LIMIT 1", [OTHER_TOWN]).fetchone()[0]
        conn.execute("UPDATE households SET building_code = %s WHERE code IN (SELECT code "
                     "FROM households WHERE building_code <> %s ORDER BY code DESC LIMIT 30)",
                     [there, there])
        conn.execute("UPDATE households SET building_code = %s, members = 1, registered = 1, "
                     "floating = 0 WHERE code IN (SELECT code FROM households WHERE "
                     "building_code = %s ORDER BY code LIMIT 5)", [here, there])
        assert_exact(conn)
        # new households, deleted households (their persons first)
        conn.execute("INSERT INTO households (code, town_code, building_code, room, members, "
                     "registered, floating) SELECT 'NEW-' || code, town_code, building_code, "
                     "'99', 3, 1, 2 FROM households ORDER BY code LIMIT 20")
        doomed = "SELECT code FROM households WHERE code NOT LIKE 'NEW-%' ORDER BY code LIMIT 25"
        conn.execute(f"DELETE FROM persons WHERE household_code IN ({doomed})")
        conn.execute(f"DELETE FROM household_visits WHERE household_code IN ({doomed})")
        conn.execute(f"DELETE FROM households WHERE code IN ({doomed})")
        assert_exact(conn)
        # a statement that fails changes nothing; nor does a rolled-back one
        before = _sums(conn)
        with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
            conn.execute("UPDATE households SET members = members + 1")  # registered+floating
        with pytest.raises(RuntimeError), conn.transaction():
            conn.execute("UPDATE households SET members = 0, registered = 0, floating = 0")
            assert _sums(conn)[0][2] == 0
            raise RuntimeError("roll back")
        assert _sums(conn) == before
        assert_exact(conn)
        conn.commit()


def test_orphaned_households_leave_and_rejoin_with_their_building(demo_db_url):
    """Imports write with session_replication_role = replica (no foreign-key checks): a
    building may go while its households stay, or arrive after them, and be renamed."""
    with psycopg.connect(demo_db_url) as conn:
        building = conn.execute("SELECT building_code FROM households GROUP BY 1 "
                                "ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
        conn.execute("SET session_replication_role = replica")
        conn.execute("CREATE TEMP TABLE kept AS SELECT * FROM buildings WHERE code = %s",
                     [building])
        conn.execute("DELETE FROM buildings WHERE code = %s", [building])
        assert_exact(conn)
        conn.execute("INSERT INTO buildings SELECT * FROM kept")
        assert_exact(conn)
        conn.execute("UPDATE buildings SET code = code || '-R' WHERE code = %s", [building])
        assert_exact(conn)
        conn.execute("UPDATE buildings SET code = %s, town_code = %s WHERE code = %s",
                     [building, OTHER_TOWN, building + "-R"])
        assert_exact(conn)
        conn.execute("SET session_replication_role = origin")
        conn.execute("TRUNCATE households CASCADE")
        assert _sums(conn) == []
        assert_exact(conn)
        conn.commit()


def test_rollup_is_exact_after_an_import(demo_db_url, tmp_path):
    with psycopg.connect(demo_db_url) as conn:
        before = _sums(conn)[0][2]
        moved = conn.execute("SELECT members FROM households ORDER BY code LIMIT 1"
                             ).fetchone()[0]
    import_demo_households(demo_db_url, tmp_path)  # +3, +2, and the first now 4 people
    with psycopg.connect(demo_db_url) as conn:
        assert _sums(conn)[0][2] == before + 3 + 2 + 4 - moved
        assert_exact(conn)


def test_a_household_visit_moves_the_kpi_residents_at_once(settings, demo_db_url, tmp_path):
    with psycopg.connect(demo_db_url) as conn:
        grid, household, members = conn.execute(
            "SELECT b.grid_code, h.code, h.members FROM households h JOIN buildings b "
            "ON b.code = h.building_code ORDER BY h.code LIMIT 1").fetchone()
        add_user(conn, "people-worker", PASSWORD, "gridworker", grids=(grid,))
        conn.commit()
    with api_client(settings, demo_db_url) as commander:
        before = commander.get("/api/kpis").get_json()["residents"]
    app = create_app(settings.model_copy(update={"home": tmp_path}), database_url=demo_db_url)
    try:
        client = app.server.test_client()
        assert sign_in(client, "people-worker") == 303
        counts = {"members": members + 7, "registered": 0, "floating": members + 7,
                  "renters": True, "elderly": 0, "children": 0, "vulnerable": 0}
        answer = client.post("/api/visits", json={"client_id": str(uuid.uuid4()),
                                                  "household": household, "counts": counts})
        assert answer.status_code == 201, answer.get_json()
    finally:
        close_app(app)
    with api_client(settings, demo_db_url) as commander:
        after = commander.get("/api/kpis").get_json()
    assert after["residents"] == before + 7
    with psycopg.connect(demo_db_url) as conn:
        assert_exact(conn)


# The coverage share as it was computed per request, from every populated H3 cell.
RAW_COVERAGE = """
SELECT round(sum(residents) FILTER (WHERE depot_ok AND clinic_ok)::numeric
             / nullif(sum(residents), 0), 3)
FROM coverage_cells WHERE %(t)s::text IS NULL OR town_code = %(t)s
"""


def _coverage_is_exact(conn: psycopg.Connection) -> float:
    now = datetime.now(TOWN_TZ)
    for town in (None, "110112104", "000000000"):
        raw = conn.execute(RAW_COVERAGE, {"t": town}).fetchone()[0]
        assert kpis(conn, (now - timedelta(days=1), now), town)["coverage_share"] == raw, town
    return conn.execute(RAW_COVERAGE, {"t": None}).fetchone()[0]


def test_coverage_share_follows_coverage_cells_after_an_import(demo_db_url, tmp_path):
    with psycopg.connect(demo_db_url) as conn:
        before = _coverage_is_exact(conn)  # the demo load
        assert 0 < before < 1
        # a depot and a clinic on the uncovered cell with the most residents
        lng, lat = conn.execute(
            "SELECT ST_X(ST_Centroid(c.geom)), ST_Y(ST_Centroid(c.geom)) FROM coverage_cells v "
            "JOIN h3_cells c ON c.cell = v.cell WHERE NOT (v.depot_ok AND v.clinic_ok) "
            "ORDER BY v.residents DESC LIMIT 1").fetchone()
    import_csv(demo_db_url, tmp_path, "resources", "资源编码,资源类型,名称,服务半径,经度,纬度\n"
               f"R-NEW-1,物资库,新物资库,800,{lng},{lat}\nR-NEW-2,诊所,新诊所,800,{lng},{lat}\n")
    with psycopg.connect(demo_db_url) as conn:
        assert _coverage_is_exact(conn) > before
