"""Mobilisation roster: fielding, gaps and call lists equal brute-force SQL; the routes mask."""

from __future__ import annotations

import math

import psycopg
import pytest

from geo.errors import BadParameter
from geo.mobilisation import (
    LEVEL_ROLES,
    TEAM,
    call_list,
    fielding,
    fielding_totals,
    gaps,
    grid_point,
    parse_level,
    per_role_counts,
)
from geo.regions import UnknownRegion
from tests.clients import api_client

pytestmark = pytest.mark.db

CENTRE = (39.748, 116.555)
EDGE = (39.70, 116.62)  # the town's south-east: neighbours come from one side only


def _brute_on_duty(conn) -> dict[tuple[str, str], int]:
    rows = conn.execute(
        "SELECT grid_code, role, count(*) FROM staff WHERE on_duty GROUP BY 1, 2 "
        "UNION ALL SELECT grid_code, 'team', count(*) FROM resources WHERE kind = 'team' "
        "GROUP BY 1").fetchall()
    return {(grid, role): n for grid, role, n in rows}


@pytest.mark.parametrize("level", ["I", "II", "III"])
def test_fielding_per_grid_equals_sql_over_the_staff_table(demo_conn, level):
    rows = fielding(demo_conn, level)
    assert len(rows) == demo_conn.execute("SELECT count(*) FROM grids").fetchone()[0]
    brute = _brute_on_duty(demo_conn)
    shares = LEVEL_ROLES[level]
    for row in rows:
        for role in (*shares, "volunteer", "grid_worker"):
            n = brute.get((row["code"], role), 0)
            assert row["on_duty"].get(role, 0) == n
            if role in shares:
                assert row["called"].get(role, 0) == math.ceil(round(n * shares[role], 9))
        assert row["total_called"] == sum(row["called"].values())
        assert set(row["called"]) <= set(shares)


def test_level_i_calls_everyone_on_duty_and_iii_only_workers_and_heads(demo_conn):
    everyone = fielding_totals(fielding(demo_conn, "I"))
    on_duty = demo_conn.execute("SELECT count(*) FROM staff WHERE on_duty").fetchone()[0]
    teams = demo_conn.execute("SELECT count(*) FROM resources WHERE kind = 'team'").fetchone()[0]
    assert sum(everyone["called"].values()) == on_duty + teams
    lightest = fielding_totals(fielding(demo_conn, "III"))["called"]
    assert set(lightest) == {"grid_worker", "building_head"}
    middle = fielding_totals(fielding(demo_conn, "II"))["called"]
    assert sum(lightest.values()) < sum(middle.values()) < sum(everyone["called"].values())


def test_gaps_are_the_grids_without_an_on_duty_worker_or_head(demo_conn):
    found = {r["code"]: r for r in gaps(demo_conn)}
    brute = dict(demo_conn.execute(
        "SELECT g.code, array_remove(ARRAY["
        " CASE WHEN NOT EXISTS (SELECT 1 FROM staff s WHERE s.grid_code = g.code"
        "   AND s.role = 'grid_worker' AND s.on_duty) THEN 'grid_worker' END,"
        " CASE WHEN NOT EXISTS (SELECT 1 FROM staff s WHERE s.grid_code = g.code"
        "   AND s.role = 'building_head' AND s.on_duty) THEN 'building_head' END], NULL) "
        "FROM grids g").fetchall())
    brute = {code: missing for code, missing in brute.items() if missing}
    assert brute, "the demo town should have some gaps"
    assert {code: row["missing"] for code, row in found.items()} == brute


def test_taking_a_grid_worker_off_duty_opens_a_gap(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        grid, worker = conn.execute(
            "SELECT grid_code, code FROM staff WHERE role = 'grid_worker' AND on_duty "
            "AND grid_code NOT IN (SELECT grid_code FROM staff WHERE role = 'grid_worker' "
            "AND NOT on_duty) ORDER BY code LIMIT 1").fetchone()
        assert "grid_worker" not in {r["code"]: r["missing"] for r in gaps(conn)}.get(grid, [])
        conn.execute("UPDATE staff SET on_duty = false WHERE grid_code = %s "
                     "AND role = 'grid_worker'", [grid])
        after = {r["code"]: r for r in gaps(conn)}
        assert "grid_worker" in after[grid]["missing"]
        assert after[grid]["grid_workers_on_duty"] == 0 and after[grid]["grid_workers"] >= 1
        assert worker


def _brute_nearest(conn, role: str, lat: float, lng: float, k: int) -> list[tuple[str, int]]:
    if role == TEAM:
        query = ("SELECT code, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), "
                 "4326)::geography) AS d FROM resources WHERE kind = 'team' "
                 "ORDER BY d, code LIMIT %s")
        args = [lng, lat, k]
    else:
        query = ("SELECT code, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(%s, %s), "
                 "4326)::geography) AS d FROM staff WHERE role = %s AND on_duty "
                 "ORDER BY d, code LIMIT %s")
        args = [lng, lat, role, k]
    return [(code, round(d)) for code, d in conn.execute(query, args).fetchall()]


@pytest.mark.parametrize("level", ["I", "II", "III"])
@pytest.mark.parametrize("point", [CENTRE, EDGE], ids=["centre", "edge"])
def test_call_list_is_the_nearest_on_duty_per_role_by_brute_force(demo_conn, level, point):
    lat, lng = point
    rows = call_list(demo_conn, level, lat, lng, 7)
    counts = per_role_counts(level, 7)
    assert [r["role"] for r in rows] == [role for role in
                                          ("grid_worker", "building_head", "street_head",
                                           "party_member", "volunteer", TEAM)
                                          if role in counts for _ in range(counts[role])]
    for role, k in counts.items():
        found = [(r["code"], int(r["metres"])) for r in rows if r["role"] == role]
        assert found == _brute_nearest(demo_conn, role, lat, lng, k)


def test_a_level_ii_call_list_asks_half_the_volunteers(demo_conn):
    assert per_role_counts("II", 7) == {"grid_worker": 7, "building_head": 7, "street_head": 7,
                                        "volunteer": 4, "party_member": 4}
    assert per_role_counts("III", 1) == {"grid_worker": 1, "building_head": 1}


def test_grid_point_lies_inside_its_grid(demo_conn):
    code = demo_conn.execute("SELECT code FROM grids ORDER BY code LIMIT 1").fetchone()[0]
    lat, lng = grid_point(demo_conn, code)
    inside = demo_conn.execute(
        "SELECT ST_Contains(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) FROM grids "
        "WHERE code = %s", [lng, lat, code]).fetchone()[0]
    assert inside
    with pytest.raises(UnknownRegion):
        grid_point(demo_conn, "no-such-grid")


@pytest.mark.parametrize(("level", "lat", "lng", "n", "name"), [
    ("IV", 39.7, 116.5, 5, "level"), ("", 39.7, 116.5, 5, "level"),
    ("II", "north", 116.5, 5, "lat"), ("II", 39.7, None, 5, "lng"),
    ("II", 39.7, 116.5, 0, "n"), ("II", 39.7, 116.5, 10_000, "n"),
])
def test_call_list_bad_parameters_are_named(demo_conn, level, lat, lng, n, name):
    with pytest.raises(BadParameter) as err:
        call_list(demo_conn, level, lat, lng, n)
    assert err.value.parameter == name


def test_levels_are_read_as_roman_or_arabic():
    assert [parse_level(v) for v in ("i", "2", " III ")] == ["I", "II", "III"]


def test_mobilisation_api_masks_names_and_phones(settings, shared_demo_url, demo_conn):
    with api_client(settings, shared_demo_url, role="commander") as client:
        answer = client.get(f"/api/mobilisation?level=II&lat={CENTRE[0]}&lng={CENTRE[1]}&n=3"
                            "&fielding=1")
        assert answer.status_code == 200
        body = answer.get_json()
    assert body["level"] == "II" and len(body["fielding"]) == 300
    assert body["totals"]["called"]["volunteer"] < body["totals"]["on_duty"]["volunteer"]
    people = [r for r in body["call_list"] if r["role"] != TEAM]
    assert people and len(people) == 3 + 3 + 3 + 2 + 2
    clear = dict(demo_conn.execute("SELECT code, phone FROM staff WHERE code = ANY(%s)",
                                   [[r["code"] for r in people]]).fetchall())
    for row in people:
        assert "*" in row["name"]
        assert row["phone"] != clear[row["code"]] and "****" in row["phone"]
        assert row["phone"][-4:] == clear[row["code"]][-4:]


def test_mobilisation_api_by_grid_gaps_and_bad_input(settings, shared_demo_url, demo_conn):
    grid = demo_conn.execute("SELECT code FROM grids ORDER BY code LIMIT 1").fetchone()[0]
    with api_client(settings, shared_demo_url, role="commander") as client:
        by_grid = client.get(f"/api/mobilisation?level=III&grid={grid}&n=2").get_json()
        assert by_grid["grid"] == grid and by_grid["centre"]["lat"] > 39
        assert [r["role"] for r in by_grid["call_list"]] == ["grid_worker"] * 2 + [
            "building_head"] * 2
        assert by_grid["fielding"] is None  # the call list alone unless fielding=1
        plain = client.get("/api/mobilisation?level=I").get_json()
        assert plain["call_list"] == [] and plain["centre"] is None
        assert len(plain["fielding"]) == 300 and plain["totals"]["called"]["team"] > 0
        gaps_answer = client.get("/api/mobilisation/gaps")
        assert gaps_answer.status_code == 200
        assert len(gaps_answer.get_json()["rows"]) == len(gaps(demo_conn))
        bad = client.get("/api/mobilisation?level=IV")
        assert bad.status_code == 400 and bad.get_json()["parameter"] == "level"
        assert client.get("/api/mobilisation?level=I&lat=95&lng=116").status_code == 400
        assert client.get("/api/mobilisation?level=I&grid=nope").status_code == 404


def test_roster_routes_need_a_signed_in_user(settings, shared_demo_url):
    with api_client(settings, shared_demo_url, role=None) as client:
        assert client.get("/api/mobilisation?level=I").status_code == 401
        assert client.get("/api/mobilisation/gaps").status_code == 401


def test_printable_call_list_is_masked_html_with_chinese_headers(settings, shared_demo_url,
                                                                  demo_conn):
    with api_client(settings, shared_demo_url, role="community") as client:
        page = client.get(f"/print/calllist?level=II&lat={CENTRE[0]}&lng={CENTRE[1]}&n=2")
        assert page.status_code == 200 and page.mimetype == "text/html"
        text = page.get_data(as_text=True)
        bad = client.get("/print/calllist?level=V")
        assert bad.status_code == 400 and "level" in bad.get_data(as_text=True)
    for words in ("应急动员调度名单", "响应级别：Ⅱ级", "生成时间", "姓名", "联系电话",
                  "@media print"):
        assert words in text
    names, phones = zip(*demo_conn.execute(
        "SELECT name, phone FROM staff WHERE on_duty").fetchall(), strict=True)
    assert not any(f"<td>{phone}</td>" in text for phone in phones)
    assert not any(f"<td>{name}</td>" in text for name in names if len(name) > 1)
    # two of each role, half (rounded up) of the volunteers and party members: every phone masked
    assert text.count("****") == 2 + 2 + 2 + 1 + 1
