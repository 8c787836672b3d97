"""Drill-down records and KPIs equal independent SQL over the same tables."""

from datetime import timedelta

import pytest

from geo.errors import BadParameter
from geo.kpis import kpis
from geo.regions import UnknownRegion, region_record


def _window(conn):
    until = conn.execute("SELECT max(reported_at) + interval '1 second' FROM cases").fetchone()[0]
    return until - timedelta(days=30), until


def test_grid_record_equals_an_independent_count(demo_conn):
    code = demo_conn.execute(
        "SELECT grid_code FROM buildings GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    expected = demo_conn.execute(
        "SELECT count(*), sum(h.members), sum(h.floating), sum(h.elderly) FROM households h "
        "JOIN buildings b ON b.code = h.building_code WHERE b.grid_code = %s", [code]).fetchone()
    record = region_record(demo_conn, "grid", code, _window(demo_conn))
    assert (record["households"], record["residents"], record["floating"],
            record["elderly"]) == expected
    assert [p["kind"] for p in record["parents"]] == ["town", "community"]
    assert {r["kind"] for r in record["resources"]} >= {"depot", "clinic"}
    assert all(r["metres"] is not None for r in record["resources"] if r["kind"] == "depot")


def test_community_record_counts_its_grids_buildings(demo_conn):
    code = demo_conn.execute("SELECT code FROM communities ORDER BY code LIMIT 1").fetchone()[0]
    expected = demo_conn.execute(
        "SELECT count(*) FROM buildings b JOIN grids g ON g.code = b.grid_code "
        "WHERE g.community_code = %s", [code]).fetchone()[0]
    assert region_record(demo_conn, "community", code, _window(demo_conn))["buildings"] == expected


def test_building_record_has_the_full_breadcrumb(demo_conn):
    code = demo_conn.execute(
        "SELECT code FROM buildings WHERE compound_code IS NOT NULL LIMIT 1").fetchone()[0]
    record = region_record(demo_conn, "building", code, _window(demo_conn))
    assert [p["kind"] for p in record["parents"]] == ["town", "community", "grid", "compound"]


def test_h3_record_counts_buildings_by_cell(demo_conn):
    cell, n = demo_conn.execute(
        "SELECT h3_parent(h3_cell, 9), count(*) FROM buildings GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    record = region_record(demo_conn, "h3", format(cell, "x"), _window(demo_conn))
    assert record["buildings"] == n


def test_unknown_region_and_bad_codes(demo_conn):
    with pytest.raises(UnknownRegion):
        region_record(demo_conn, "grid", "no-such-grid", _window(demo_conn))
    with pytest.raises(BadParameter):
        region_record(demo_conn, "h3", "zz-not-hex", _window(demo_conn))
    with pytest.raises(BadParameter):
        region_record(demo_conn, "planet", "x", _window(demo_conn))


def test_kpis_equal_sql_over_the_tables(demo_conn):
    window = _window(demo_conn)
    figures = kpis(demo_conn, window)
    residents, three_no = demo_conn.execute(
        "SELECT (SELECT sum(members) FROM households), "
        "(SELECT count(*) FROM compounds WHERE management = 'three_no')").fetchone()
    assert figures["residents"] == residents
    assert figures["three_no_compounds"] == three_no
    received = demo_conn.execute(
        "SELECT count(*) FROM incidents WHERE received_at >= %s AND received_at < %s",
        list(window)).fetchone()[0]
    assert figures["tickets_received"] == received
    assert 0 <= figures["coverage_share"] <= 1
    assert 0 <= figures["responded_24h_share"] <= 1
