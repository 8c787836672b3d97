"""building_people (migration 066: each building's point on surface and household figures, read
by the zone proposal) equals the raw aggregate after a demo load, an import and every kind of
direct write, and the proposal then still equals the old query."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from geo.importing.pipeline import run_import
from geo.zones import ZoneRequest
from tests.db.test_zone_proposal_oracle import _new, _oracle

pytestmark = pytest.mark.db

# What the proposal computed per building before the rollup (its LATERAL over households).
RAW = """
SELECT b.code, b.town_code, ST_AsEWKB(ST_PointOnSurface(b.geom)) AS point,
       count(h.code) AS households, coalesce(sum(h.members), 0) AS residents,
       coalesce(sum(h.elderly), 0) AS elderly, coalesce(sum(h.children), 0) AS children,
       count(h.code) FILTER (WHERE h.vulnerable > 0) AS vulnerable_households
FROM buildings b LEFT JOIN households h ON h.building_code = b.code
GROUP BY b.code ORDER BY b.code
"""
STORED = """
SELECT building_code, town_code, ST_AsEWKB(point), households, residents, elderly, children,
       vulnerable_households
FROM building_people ORDER BY building_code
"""


def _assert_exact(conn: psycopg.Connection) -> int:
    raw = conn.execute(RAW).fetchall()
    assert conn.execute(STORED).fetchall() == raw
    return len(raw)


def _assert_proposal_unchanged(conn: psycopg.Connection) -> None:
    first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                               ).fetchone()
    request = ZoneRequest(since=first, until=last + timedelta(seconds=1), mode="buffer")
    old = _oracle(conn, request)
    assert old and _new(conn, request) == old


def _case_building(conn: psycopg.Connection) -> str:
    """A building holding a case of the outbreak, with households: its figures count."""
    return conn.execute(
        "SELECT c.building_code FROM cases c WHERE c.category = 'confirmed' AND EXISTS "
        "(SELECT 1 FROM households h WHERE h.building_code = c.building_code) "
        "ORDER BY c.reported_at DESC LIMIT 1").fetchone()[0]


def test_rollup_equals_raw_sql_after_demo_load_and_direct_writes(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        assert _assert_exact(conn) > 10_000  # the demo load: deferred triggers, one refresh
        building = _case_building(conn)
        # a form edit: members, elderly, children, vulnerable of one household
        conn.execute("UPDATE households SET members = members + 3, floating = floating + 3, "
                     "elderly = elderly + 1, children = 2, vulnerable = 1 WHERE code = "
                     "(SELECT min(code) FROM households WHERE building_code = %s)", [building])
        _assert_exact(conn)
        # a household moves to another building (both buildings change)
        other = conn.execute("SELECT code FROM buildings WHERE code <> %s ORDER BY code LIMIT 1",
                             [building]).fetchone()[0]
        conn.execute("UPDATE households SET building_code = %s WHERE code = "
                     "(SELECT max(code) FROM households WHERE building_code = %s)",
                     [other, building])
        _assert_exact(conn)
        # new households, then deleted ones (without persons)
        conn.execute("INSERT INTO households (code, town_code, building_code, room, members, "
                     "registered, floating, elderly, children, vulnerable) "
                     "SELECT 'T-' || g, '110112104', %s, 'r' || g, g, g, 0, 1, 0, g %% 2 "
                     "FROM generate_series(1, 4) g", [building])
        _assert_exact(conn)
        conn.execute("DELETE FROM households WHERE code IN ('T-1', 'T-3')")
        _assert_exact(conn)
        # a building redrawn elsewhere: its point moves
        conn.execute("UPDATE buildings SET geom = ST_Translate(geom, 0.003, 0.001) "
                     "WHERE code = %s", [other])
        _assert_exact(conn)
        # a new building, then deleted
        conn.execute("INSERT INTO buildings (code, town_code, address, grid_code, use, floors, "
                     "rooms, h3_cell, geom) SELECT 'B-NEW', town_code, 'x', grid_code, use, "
                     "floors, rooms, h3_cell, ST_Translate(geom, 0.0005, 0) FROM buildings "
                     "WHERE code = %s", [building])
        _assert_exact(conn)
        _assert_proposal_unchanged(conn)
        conn.execute("DELETE FROM buildings WHERE code = 'B-NEW'")
        _assert_exact(conn)
        # the import path skips ordinary triggers (replica role): these fire ALWAYS
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE households SET members = 0, registered = 0, floating = 0 "
                     "WHERE building_code = %s", [building])
        conn.execute("SET session_replication_role = origin")
        _assert_exact(conn)
        _assert_proposal_unchanged(conn)
        conn.commit()


def test_a_failed_or_rolled_back_write_leaves_the_rollup_as_it_was(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        building = _case_building(conn)
        before = conn.execute(STORED).fetchall()
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE households SET members = -1 WHERE building_code = %s",
                         [building])
        conn.rollback()
        assert conn.execute(STORED).fetchall() == before
        conn.execute("UPDATE households SET members = members + 1, registered = registered + 1"
                     " WHERE building_code = %s", [building])
        assert conn.execute(STORED).fetchall() != before  # seen inside the transaction
        conn.rollback()
        assert conn.execute(STORED).fetchall() == before
        _assert_exact(conn)


def test_rollup_equals_raw_sql_after_truncating(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        conn.execute("TRUNCATE households CASCADE")
        assert _assert_exact(conn) > 10_000  # every building, no household
        assert conn.execute("SELECT sum(households) FROM building_people").fetchone()[0] == 0
        conn.execute("TRUNCATE buildings CASCADE")
        assert _assert_exact(conn) == 0


def test_rollup_equals_raw_sql_after_an_import(demo_db_url, tmp_path):
    with psycopg.connect(demo_db_url) as conn:
        case_building = _case_building(conn)
        moved = conn.execute("SELECT code FROM households WHERE building_code <> %s "
                             "ORDER BY code LIMIT 1", [case_building]).fetchone()[0]
    # two new households in the case building and a known one moved into it (its old
    # building loses it): three buildings' figures change in one import
    rows = [("户编号", "楼栋编码", "房间号", "户籍人口", "流动人口"),
            ("ZP-1", case_building, "1101", "0", "3"),
            ("ZP-2", case_building, "1102", "1", "1"),
            (moved, case_building, "1103", "2", "2")]
    csv_path = tmp_path / "zone-households.csv"
    csv_path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    assert not run_import(demo_db_url, "households", csv_path, town_code="110112104").problems
    with psycopg.connect(demo_db_url) as conn:
        _assert_exact(conn)
        _assert_proposal_unchanged(conn)
