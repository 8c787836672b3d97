"""H3 aggregates in the database: cell totals equal table totals, privacy, coverage distances."""

import json
from datetime import datetime, timedelta

import pytest

from geo.errors import BadParameter
from geo.params import parse_res
from geo.privacy import PRIVACY_MIN_COUNT
from geo.timewindow import TOWN_TZ
from layers.metrics import METRICS

WORLD = (-180.0, -89.0, 180.0, 89.0)


def _window(conn):
    until = conn.execute("SELECT max(reported_at) + interval '1 second' FROM cases").fetchone()[0]
    return until - timedelta(days=30), until


def _features(conn, metric, res, window=None, min_count=0):
    return json.loads(METRICS[metric].collection(conn, res, WORLD, window, min_count=min_count))[
        "features"]


@pytest.mark.parametrize("res", [7, 8, 9, 10])
def test_population_cells_add_up_to_the_households_table(demo_conn, res):
    total = demo_conn.execute("SELECT sum(members), sum(floating) FROM households").fetchone()
    feats = _features(demo_conn, "population", res)
    assert sum(f["properties"]["residents"] for f in feats) == total[0]
    assert sum(f["properties"]["floating"] for f in feats) == total[1]
    assert len({f["id"] for f in feats}) == len(feats)


def test_floating_ratio_value_is_floating_over_registered(demo_conn):
    for f in _features(demo_conn, "floating_ratio", 8):
        p = f["properties"]
        if p["registered"]:
            assert p["value"] == pytest.approx(p["floating"] / p["registered"], abs=0.006)


def test_case_and_ticket_cells_add_up_to_the_window(demo_conn):
    since, until = _window(demo_conn)
    cases = demo_conn.execute(
        "SELECT count(*) FROM cases WHERE reported_at >= %s AND reported_at < %s",
        [since, until]).fetchone()[0]
    tickets = demo_conn.execute(
        "SELECT count(*) FROM incidents WHERE received_at >= %s AND received_at < %s",
        [since, until]).fetchone()[0]
    assert cases > 0 and tickets > 0
    for res in (7, 9):
        assert sum(f["properties"]["value"] for f in _features(
            demo_conn, "cases", res, (since, until))) == cases
        assert sum(f["properties"]["value"] for f in _features(
            demo_conn, "tickets", res, (since, until))) == tickets


def test_small_counts_are_suppressed_for_public_roles(demo_conn):
    feats = _features(demo_conn, "population", 10, min_count=PRIVACY_MIN_COUNT)
    raw = {f["id"]: f["properties"]["residents"] for f in _features(demo_conn, "population", 10)}
    small = [f for f in feats if raw[f["id"]] < PRIVACY_MIN_COUNT]
    for f in small:
        assert f["properties"]["value"] is None and f["properties"]["label"] == "<5"
        assert "residents" not in f["properties"]


def test_coverage_cells_distances_match_a_brute_force_check(demo_conn):
    rows = demo_conn.execute(
        "SELECT cell, depot_m, depot_ok, clinic_m FROM coverage_cells ORDER BY cell LIMIT 40"
    ).fetchall()
    assert rows
    for cell, depot_m, depot_ok, clinic_m in rows:
        brute = demo_conn.execute(
            "SELECT min(ST_Distance(r.geom::geography, ST_Centroid(c.geom)::geography)) "
            "FILTER (WHERE r.kind = 'depot'), "
            "min(ST_Distance(r.geom::geography, ST_Centroid(c.geom)::geography)) "
            "FILTER (WHERE r.kind = 'clinic') FROM resources r, h3_cells c WHERE c.cell = %s",
            [cell]).fetchone()
        assert depot_m == pytest.approx(brute[0], abs=0.5)
        assert clinic_m == pytest.approx(brute[1], abs=0.5)
        assert depot_ok == (depot_m <= 500)  # every demo depot reaches 500 m


def test_coverage_value_is_the_population_weighted_share(demo_conn):
    expected = dict(demo_conn.execute(
        "SELECT h3_parent(cell, 8), round((coalesce(sum(residents) FILTER (WHERE depot_ok), 0) "
        "+ coalesce(sum(residents) FILTER (WHERE clinic_ok), 0))::numeric "
        "/ (2.0 * sum(residents)), 3) "
        "FROM coverage_cells GROUP BY 1").fetchall())
    feats = _features(demo_conn, "coverage", 8)
    assert len(feats) == len(expected)
    for f in feats:
        assert f["properties"]["value"] == pytest.approx(
            float(expected[int(f["id"], 16)]), abs=0.001)
    assert any(f["properties"]["value"] < 1 for f in feats), "the demo town has coverage gaps"


def test_every_populated_cell_is_in_the_coverage_view(demo_conn):
    populated, covered = demo_conn.execute(
        "SELECT (SELECT count(*) FROM household_cells WHERE residents > 0), "
        "(SELECT count(*) FROM coverage_cells)").fetchone()
    assert populated == covered > 0


def test_windowed_metric_needs_a_window(demo_conn):
    with pytest.raises(BadParameter):
        METRICS["cases"].collection(demo_conn, 8, WORLD)


@pytest.mark.parametrize("text", ["6", "11", "x", "8.5"])
def test_bad_res_is_refused(text):
    with pytest.raises(BadParameter) as err:
        parse_res(text)
    assert err.value.parameter == "res"


def test_window_timezone_is_the_towns():
    assert datetime(2026, 1, 1, tzinfo=TOWN_TZ).utcoffset() == timedelta(hours=8)
