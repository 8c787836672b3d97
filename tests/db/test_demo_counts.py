"""The demo town matches Majuqiao's public figures and the generator's targets."""

from __future__ import annotations

import psycopg
import pytest

pytestmark = pytest.mark.db

RESIDENTS = 165_238
REGISTERED = 58_120


def _one(conn: psycopg.Connection, query: str):
    return conn.execute(query).fetchone()[0]


@pytest.mark.parametrize(("query", "low", "high"), [
    ("SELECT count(*) FROM towns", 1, 1),
    ("SELECT count(*) FROM communities WHERE kind = 'community'", 10, 10),
    ("SELECT count(*) FROM communities WHERE kind = 'village'", 45, 55),
    ("SELECT count(*) FROM grids", 270, 330),
    ("SELECT count(*) FROM buildings", 18_000, 22_000),
    ("SELECT count(*) FROM compounds", 130, 170),
    ("SELECT count(*) FROM compounds WHERE management = 'three_no'", 20, 170),
    ("SELECT count(*) FROM compounds WHERE management = 'three_no' AND caretaker_branch", 1, 170),
    ("SELECT count(*) FROM units", 2_500, 3_500),
    ("SELECT count(*) FROM units WHERE kind = 'shop_five_small'", 500, 3_500),
    ("SELECT count(*) FROM incidents", 13_000, 17_000),
    ("SELECT count(*) FROM cases", 200, 600),
    ("SELECT count(*) FROM resources", 400, 600),
    ("SELECT count(*) FROM staff", 1_600, 2_400),
    ("SELECT count(*) FROM context_features", 6, 40),
])
def test_row_counts_are_within_targets(demo_conn, query, low, high):
    assert low <= _one(demo_conn, query) <= high


def test_residents_and_registered_match_the_census(demo_conn):
    members, registered, floating = demo_conn.execute(
        "SELECT sum(members), sum(registered), sum(floating) FROM households").fetchone()
    assert abs(members - RESIDENTS) <= RESIDENTS * 0.01
    assert abs(registered - REGISTERED) <= REGISTERED * 0.01
    assert floating > registered  # 人口倒挂: floating residents outnumber registered ones


def test_one_person_row_per_resident(demo_conn):
    persons, registered = demo_conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE registered) FROM persons").fetchone()
    assert persons == _one(demo_conn, "SELECT sum(members) FROM households")
    assert registered == _one(demo_conn, "SELECT sum(registered) FROM households")


def test_town_area_is_about_82_km2(demo_conn):
    area = _one(demo_conn, "SELECT ST_Area(geom::geography) / 1e6 FROM towns")
    assert 80 <= area <= 85


def test_incidents_cover_the_last_365_days(demo_conn):
    oldest, newest = demo_conn.execute(
        "SELECT now() - min(received_at), now() - max(received_at) FROM incidents").fetchone()
    assert 360 <= oldest.days <= 366
    assert newest.days <= 3


def test_outbreak_lies_in_the_last_60_days(demo_conn):
    age = _one(demo_conn, "SELECT now() - min(reported_at) FROM cases")
    assert age.days <= 61
    kinds = {r[0] for r in demo_conn.execute("SELECT DISTINCT category FROM cases")}
    assert kinds == {"confirmed", "asymptomatic", "close_contact", "secondary_contact"}


def test_every_grid_has_a_grid_worker_of_its_own(demo_conn):
    orphans = _one(demo_conn, """
        SELECT count(*) FROM grids g LEFT JOIN staff s ON s.code = g.worker_code
        WHERE s.code IS NULL OR s.role <> 'grid_worker' OR s.grid_code <> g.code""")
    assert orphans == 0


def test_villages_are_rental_dense(demo_conn):
    share = _one(demo_conn, """
        SELECT sum(h.floating)::float / sum(h.members)
        FROM households h JOIN buildings b ON b.code = h.building_code
        WHERE b.use IN ('rental', 'mixed')""")
    assert share > 0.6
