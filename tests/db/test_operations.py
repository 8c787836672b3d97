"""Operations: 12345 rates equal SQL, freshness flags aged grids, nearest = brute force."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
import pytest

from geo.errors import BadParameter
from geo.operations import grid_freshness, hotline_performance, nearest
from geo.timewindow import TOWN_TZ
from tests.clients import api_client

pytestmark = pytest.mark.db


def _window(conn, days=30):
    until = conn.execute("SELECT max(received_at) FROM incidents").fetchone()[0]
    return until - timedelta(days=days), until


def test_hotline_rates_per_community_equal_sql(demo_conn):
    since, until = _window(demo_conn)
    rows = {r["code"]: r for r in hotline_performance(demo_conn, "community", (since, until))}
    assert len(rows) == 60
    expected = demo_conn.execute(
        "SELECT g.community_code, count(*), "
        # issue #14: a response counts within the ticket's response limit (was 24 h for all)
        "count(*) FILTER (WHERE responded_at <= response_due_at), "
        "count(*) FILTER (WHERE solved_at < %(u)s) "
        "FROM incidents i JOIN grids g ON g.code = i.grid_code "
        "WHERE source = 'hotline' AND received_at >= %(s)s AND received_at < %(u)s GROUP BY 1",
        {"s": since, "u": until}).fetchall()
    assert expected
    for community, tickets, responded, solved in expected:
        row = rows[community]
        assert row["tickets"] == tickets
        assert float(row["response_rate"]) == pytest.approx(responded / tickets, abs=0.0006)
        assert float(row["solve_rate"]) == pytest.approx(solved / tickets, abs=0.0006)
        assert len(row["top_categories"]) <= 3


def test_previous_window_is_the_trend_baseline(demo_conn):
    since, until = _window(demo_conn)
    rows = hotline_performance(demo_conn, "grid", (since, until))
    previous = demo_conn.execute(
        "SELECT count(*) FROM incidents WHERE source = 'hotline' "
        "AND received_at >= %s AND received_at < %s", [since - (until - since), since]).fetchone()
    assert sum(r["previous_tickets"] for r in rows) == previous[0]


def test_freshness_flags_grids_whose_data_is_aged_on_purpose(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        grid = conn.execute("SELECT grid_code FROM buildings b JOIN households h "
                            "ON h.building_code = b.code LIMIT 1").fetchone()[0]
        now = datetime.now(TOWN_TZ)
        before = {r["code"]: r for r in grid_freshness(conn, now, stale_days=400)}
        assert not before[grid]["stale"]
        conn.execute("UPDATE households SET updated_at = now() - interval '2 years' "
                     "WHERE building_code IN (SELECT code FROM buildings WHERE grid_code = %s)",
                     [grid])
        after = {r["code"]: r for r in grid_freshness(conn, now, stale_days=400)}
        assert after[grid]["stale"]
        assert float(after[grid]["median_age_days"]) >= 700
        assert sum(r["stale"] for r in after.values()) == sum(
            r["stale"] for r in before.values()) + 1


@pytest.mark.parametrize("kind", ["volunteer", "grid_worker", "depot", "clinic"])
def test_nearest_matches_a_brute_force_distance_check(demo_conn, kind):
    lat, lng = 39.748, 116.555
    table = "staff" if kind in ("volunteer", "grid_worker") else "resources"
    column = "role" if table == "staff" else "kind"
    brute = demo_conn.execute(
        psycopg.sql.SQL(
            "SELECT code, ST_Distance(geom::geography, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography) AS d FROM {} WHERE {} = %s "
            "ORDER BY d, code LIMIT 5").format(psycopg.sql.Identifier(table),
                                                psycopg.sql.Identifier(column)),
        [lng, lat, kind]).fetchall()
    found = nearest(demo_conn, kind, lat, lng, 5)
    assert [r["code"] for r in found] == [code for code, _ in brute]
    assert [float(r["metres"]) for r in found] == [round(d) for _, d in brute]


@pytest.mark.parametrize(("kind", "lat", "lng", "n", "name"), [
    ("spaceship", 39.7, 116.5, 5, "kind"), ("depot", "x", 116.5, 5, "lat"),
    ("depot", 39.7, 500, 5, "lng"), ("depot", 39.7, 116.5, 0, "n"),
])
def test_nearest_bad_parameters_are_named(demo_conn, kind, lat, lng, n, name):
    with pytest.raises(BadParameter) as err:
        nearest(demo_conn, kind, lat, lng, n)
    assert err.value.parameter == name


def test_operations_api_answers_and_refuses_bad_input(settings, shared_demo_url):
    with api_client(settings, shared_demo_url, role="commander") as client:
        ranking = client.get("/api/performance?level=grid")
        assert ranking.status_code == 200 and len(ranking.get_json()["rows"]) == 300
        assert client.get("/api/performance?level=planet").get_json()["parameter"] == "level"
        fresh = client.get("/api/freshness?stale_days=30")
        assert fresh.status_code == 200 and len(fresh.get_json()["rows"]) == 300
        assert client.get("/api/freshness?stale_days=-1").status_code == 400
        near = client.get("/api/roster/nearest?kind=clinic&lat=39.748&lng=116.555&n=3")
        assert [r["kind"] for r in near.get_json()["rows"]] == ["clinic"] * 3
        assert client.get("/api/roster/nearest?kind=clinic&lat=91&lng=116").status_code == 400


def test_nearest_route_masks_staff_names_but_not_resource_names(settings, shared_demo_url,
                                                                demo_conn):
    with api_client(settings, shared_demo_url, role="commander") as client:
        people = client.get("/api/roster/nearest?kind=volunteer&lat=39.748&lng=116.555&n=4")
        depots = client.get("/api/roster/nearest?kind=depot&lat=39.748&lng=116.555&n=2")
    rows = people.get_json()["rows"]
    clear = dict(demo_conn.execute("SELECT code, name FROM staff WHERE code = ANY(%s)",
                                   [[r["code"] for r in rows]]).fetchall())
    assert len(rows) == 4
    for row in rows:
        assert row["name"] != clear[row["code"]] and "*" in row["name"]
        assert row["name"][0] == clear[row["code"]][0]
    for row in depots.get_json()["rows"]:
        assert "*" not in row["name"]


def test_overdue_repeats_and_top_categories_equal_sql(demo_conn):
    # A window ending mid-history: tickets answered late, after `until`, were overdue then.
    since, until = _window(demo_conn)
    since, until = since - timedelta(days=7), until - timedelta(days=7)
    rows = {r["code"]: r for r in hotline_performance(demo_conn, "grid", (since, until))}
    window = {"s": since, "u": until}
    # issue #14: overdue = open at `until` past the solve limit, or unanswered past the
    # response limit (was: no response 24 h after receipt)
    overdue = dict(demo_conn.execute(
        "SELECT grid_code, count(*) FROM incidents WHERE source = 'hotline' "
        "AND received_at >= %(s)s AND received_at < %(u)s "
        "AND (solved_at IS NULL OR solved_at >= %(u)s) AND (due_at < %(u)s OR "
        "((responded_at IS NULL OR responded_at >= %(u)s) AND response_due_at < %(u)s)) "
        "GROUP BY 1", window).fetchall())
    repeats = dict(demo_conn.execute(
        "SELECT grid_code, count(*) FROM (SELECT grid_code, building_code FROM incidents "
        "WHERE source = 'hotline' AND received_at >= %(s)s AND received_at < %(u)s "
        "AND building_code IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) r GROUP BY 1",
        window).fetchall())
    top = demo_conn.execute(
        "SELECT grid_code, category, count(*) FROM incidents WHERE source = 'hotline' "
        "AND received_at >= %(s)s AND received_at < %(u)s GROUP BY 1, 2 "
        "ORDER BY 1, 3 DESC, 2", window).fetchall()
    firsts: dict[str, tuple[str, int]] = {}
    for grid, category, n in top:
        firsts.setdefault(grid, (category, n))
    assert sum(overdue.values()) > 0 and sum(repeats.values()) > 0
    for code, row in rows.items():
        assert row["overdue"] == overdue.get(code, 0)
        assert row["repeat_buildings"] == repeats.get(code, 0)
        if code in firsts:
            assert (row["top_categories"][0]["category"], row["top_categories"][0]["n"]) == \
                firsts[code]
        else:
            assert row["top_categories"] == []


def test_freshness_and_hotline_layers_colour_grids_from_the_data(settings, demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        grid = conn.execute("SELECT b.grid_code FROM buildings b JOIN households h "
                            "ON h.building_code = b.code ORDER BY 1 LIMIT 1").fetchone()[0]
        conn.execute("UPDATE households SET updated_at = now() - interval '400 days' "
                     "WHERE building_code IN (SELECT code FROM buildings WHERE grid_code = %s)",
                     [grid])
        until = conn.execute("SELECT max(received_at) FROM incidents").fetchone()[0]
        since = until - timedelta(days=30)
        tickets, solved = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE solved_at < %(u)s) FROM incidents "
            "WHERE source = 'hotline' AND grid_code = %(g)s AND received_at >= %(s)s "
            "AND received_at < %(u)s", {"g": grid, "s": since, "u": until}).fetchone()
    bbox = "116.4,39.6,116.7,39.9"
    with api_client(settings, demo_db_url, role="commander") as client:
        fresh = client.get(f"/api/layers/freshness?bbox={bbox}&zoom=13").get_json(force=True)
        props = {f["id"]: f["properties"] for f in fresh["features"]}
        assert props[grid]["age_class"] == "stale" and props[grid]["median_age_days"] >= 399
        assert len(props) == 300
        window = f"since={since.isoformat()}&until={until.isoformat()}".replace("+", "%2B")
        rated = client.get(f"/api/layers/hotline?bbox={bbox}&zoom=13&{window}").get_json(
            force=True)
        row = {f["id"]: f["properties"] for f in rated["features"]}[grid]
        assert row["tickets"] == tickets
        if tickets:
            assert row["solve_rate"] == pytest.approx(solved / tickets, abs=0.0006)
