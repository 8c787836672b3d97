"""Place search (查房知人) and the KPI extents over the demo town, and GET /api/search."""

from __future__ import annotations

import psycopg
import pytest
from flask.testing import FlaskClient

from geo.errors import BadParameter
from geo.kpi_extent import kpi_extent
from geo.search import region_bounds, search
from geo.timewindow import parse_window

pytestmark = pytest.mark.db


def _inside(bounds, lng: float, lat: float) -> bool:
    west, south, east, north = bounds
    return west <= lng <= east and south <= lat <= north


def test_a_building_address_fragment_finds_that_building(demo_conn: psycopg.Connection):
    code, address, lng, lat = demo_conn.execute(
        "SELECT code, address, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
        "FROM buildings WHERE address LIKE '%%号楼' ORDER BY code LIMIT 1").fetchone()
    hits = search(demo_conn, address, limit=50)
    assert hits[0] == {**hits[0], "kind": "building", "code": code, "label": address}
    assert _inside(hits[0]["bounds"], lng, lat)
    fragment = address[-5:]  # the tail of an address ("…12号楼") matches several buildings
    hits = search(demo_conn, fragment, limit=50)
    assert hits and all(fragment in h["label"] for h in hits)


def test_a_grid_code_finds_that_grid_first(demo_conn: psycopg.Connection):
    code, name = demo_conn.execute(
        "SELECT code, name FROM grids ORDER BY code OFFSET 7 LIMIT 1").fetchone()
    hits = search(demo_conn, code)
    assert (hits[0]["kind"], hits[0]["code"], hits[0]["label"]) == ("grid", code, name)
    assert search(demo_conn, code.lower())[0]["code"] == code  # case does not matter


def test_a_community_name_ranks_the_community_before_its_grids(demo_conn: psycopg.Connection):
    code, name = demo_conn.execute(
        "SELECT code, name FROM communities ORDER BY code LIMIT 1").fetchone()
    hits = search(demo_conn, name)
    assert (hits[0]["kind"], hits[0]["code"]) == ("community", code)
    partial = search(demo_conn, name[:3])
    assert partial[0]["kind"] == "community"
    assert len(partial) <= 10


def test_an_unknown_string_and_wildcards_find_nothing(demo_conn: psycopg.Connection):
    assert search(demo_conn, "不存在的地方zz") == []
    assert search(demo_conn, "%") == []  # a typed % is a character, not "everything"
    assert search(demo_conn, "_") == []


def test_bad_queries_raise_bad_parameter(demo_conn: psycopg.Connection):
    for q in ("", "   ", "x" * 101):
        with pytest.raises(BadParameter):
            search(demo_conn, q)


def test_region_bounds_contain_the_region(demo_conn: psycopg.Connection):
    code, lng, lat = demo_conn.execute(
        "SELECT code, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
        "FROM compounds ORDER BY code LIMIT 1").fetchone()
    assert _inside(region_bounds(demo_conn, "compound", code), lng, lat)
    assert region_bounds(demo_conn, "grid", "NO-SUCH") is None
    assert region_bounds(demo_conn, "h3", "8931aa") is None


def test_kpi_extents_cover_their_rows_and_fall_back_to_the_town(demo_conn: psycopg.Connection):
    until = demo_conn.execute("SELECT max(reported_at) FROM cases").fetchone()[0]
    window = parse_window(None, until.date().isoformat())
    town = kpi_extent(demo_conn, "residents", window)
    cases = kpi_extent(demo_conn, "active_cases", window)
    three_no = kpi_extent(demo_conn, "three_no_compounds", window)
    assert (cases[2] - cases[0]) < (town[2] - town[0])  # cases sit in part of the town
    for lng, lat in demo_conn.execute(
            "SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
            "FROM compounds WHERE management = 'three_no'"):
        assert _inside(three_no, lng, lat)
    empty = parse_window("2001-01-01", "2001-01-31")
    assert kpi_extent(demo_conn, "active_cases", empty) == town
    with pytest.raises(BadParameter):
        kpi_extent(demo_conn, "nonsense", window)


def test_search_api_answers_hits_and_400_for_a_bad_q(client: FlaskClient,
                                                     demo_conn: psycopg.Connection):
    code = demo_conn.execute("SELECT code FROM grids ORDER BY code LIMIT 1").fetchone()[0]
    body = client.get(f"/api/search?q={code}").get_json()
    assert body["results"][0]["code"] == code
    assert len(body["results"][0]["bounds"]) == 4
    for query in ("", "?q=", "?q=%20%20", "?q=" + "x" * 101):
        response = client.get("/api/search" + query)
        assert response.status_code == 400
        assert response.get_json()["parameter"] == "q"
