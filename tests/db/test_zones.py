"""Zone proposals, publication, lifting, export: counts match independent SQL."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import psycopg
import pytest

from geo.errors import BadParameter
from geo.timewindow import TOWN_TZ
from geo.zones import ZoneRequest, propose_zones, publish_zones, published_plans
from tests.clients import api_client, username

pytestmark = pytest.mark.db


def _request(conn, **kw) -> ZoneRequest:
    until = conn.execute("SELECT max(reported_at) + interval '1 second' FROM cases").fetchone()[0]
    return ZoneRequest(since=until - timedelta(days=14), until=until, **kw)


def _independent_counts(conn, geometry: dict, exclude: list[dict]):
    # buildings whose point on surface lies in this zone and in no more severe one
    return conn.execute(
        "WITH z AS (SELECT ST_GeomFromGeoJSON(%s) AS g), "
        "ex AS (SELECT ST_GeomFromGeoJSON(x) AS g FROM unnest(%s::text[]) x) "
        "SELECT count(h.*), coalesce(sum(h.members), 0) FROM buildings b "
        "LEFT JOIN households h ON h.building_code = b.code, z "
        "WHERE ST_Intersects(z.g, ST_PointOnSurface(b.geom)) "
        "AND NOT EXISTS (SELECT 1 FROM ex WHERE ST_Intersects(ex.g, ST_PointOnSurface(b.geom)))",
        [json.dumps(geometry), [json.dumps(e) for e in exclude]]).fetchone()


@pytest.mark.parametrize("mode", ["grid", "buffer"])
def test_zone_counts_equal_an_independent_count(demo_conn, mode):
    zones = propose_zones(demo_conn, _request(demo_conn, mode=mode, buffer_m=300))
    assert [z["level"] for z in zones] == ["containment", "control", "prevention"]
    before: list[dict] = []
    for zone in zones:
        households, residents = _independent_counts(demo_conn, zone["geometry"], before)
        assert (zone["households"], zone["residents"]) == (households, residents), zone["level"]
        before.append(zone["geometry"])
    assert zones[0]["residents"] > 0
    assert all(s["needed"] >= 0 for z in zones for s in z["supplies"])


def test_prevention_surrounds_the_control_zone_on_every_side(demo_conn):
    # issue #12: the 防范区 is a ring around the 管控区, not one grid to one side. Every point
    # within the ring's width of the inner zones (inside the town) is in one of the zones.
    zones = propose_zones(demo_conn, _request(demo_conn, mode="grid"))
    geoms = [json.dumps(z["geometry"]) for z in zones]
    uncovered = demo_conn.execute(
        "WITH z AS (SELECT ST_GeomFromGeoJSON(g) AS g, i FROM unnest(%s::text[]) "
        "WITH ORDINALITY AS t(g, i)), "
        "inner_zones AS (SELECT ST_Union(g) AS g FROM z WHERE i < 3), "
        "ring AS (SELECT ST_Intersection(ST_Buffer(inner_zones.g::geography, 450)::geometry, "
        "(SELECT ST_Union(geom) FROM towns)) AS g FROM inner_zones) "
        "SELECT ST_Area(ST_Difference(ring.g, (SELECT ST_Union(g) FROM z))::geography) "
        "FROM ring", [geoms]).fetchone()[0]
    assert uncovered < 1000  # m²: only slivers of the buffer's polygon approximation


def test_removing_every_case_building_empties_the_containment(demo_conn):
    request = _request(demo_conn)
    active = [r[0] for r in demo_conn.execute(
        "SELECT DISTINCT building_code FROM cases WHERE reported_at >= %s AND reported_at < %s "
        "AND (released_at IS NULL OR released_at >= %s) "
        "AND category IN ('confirmed', 'asymptomatic')",
        [request.since, request.until, request.until])]
    zones = propose_zones(demo_conn, _request(demo_conn, remove_buildings=tuple(active)))
    assert zones == []


def test_adding_a_building_seals_it(demo_conn):
    code = demo_conn.execute("SELECT code FROM buildings WHERE compound_code IS NULL "
                             "ORDER BY code LIMIT 1").fetchone()[0]
    zones = propose_zones(demo_conn, _request(demo_conn, add_buildings=(code,)))
    inside = demo_conn.execute(
        "SELECT ST_Intersects(ST_GeomFromGeoJSON(%s), ST_PointOnSurface(geom)) FROM buildings "
        "WHERE code = %s", [json.dumps(zones[0]["geometry"]), code]).fetchone()[0]
    assert inside


@pytest.mark.parametrize(("kw", "name"), [({"mode": "circle"}, "mode"),
                                          ({"buffer_m": 1}, "buffer_m"), ({"days": 0}, "days")])
def test_bad_requests_are_named(demo_conn, kw, name):
    with pytest.raises(BadParameter) as err:
        propose_zones(demo_conn, _request(demo_conn, **kw))
    assert err.value.parameter == name


def test_publishing_stores_a_new_version_each_time(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        request = _request(conn)
        first = publish_zones(conn, request, "110112104", "指挥中心值班员")
        second = publish_zones(conn, request, "110112104", "指挥中心值班员")
        assert (first["version"], second["version"]) == (1, 2)
        rows = conn.execute("SELECT p.version, z.level, z.residents FROM zones z "
                            "JOIN zone_plans p ON p.code = z.plan_code ORDER BY 1, 2").fetchall()
        proposed = {z["level"]: z["residents"] for z in propose_zones(conn, request)}
        assert {(v, level) for v, level, _ in rows} == {
            (v, level) for v in (1, 2) for level in proposed}
        assert all(residents == proposed[level] for _, level, residents in rows)
        with pytest.raises(BadParameter):
            publish_zones(conn, request, "110112104", " ")


def test_zone_api_proposes_and_publishes(settings, demo_db_url):
    with api_client(settings, demo_db_url) as client:
        proposal = client.get("/api/zones?mode=buffer&buffer_m=200&days=7")
        assert proposal.status_code == 200
        levels = [f["id"] for f in proposal.get_json()["features"]]
        assert levels[0] == "containment"
        assert client.get("/api/zones?mode=circle").get_json()["parameter"] == "mode"
        assert client.get("/api/zones?buffer_m=abc").status_code == 400
        assert client.get("/api/zones?days=2x").get_json()["parameter"] == "days"
        assert client.get("/api/zones?since=yesterday").get_json()["parameter"] == "since"
        published = client.post("/api/zones/publish", json={"published_by": "值班员"})
        assert published.status_code == 201 and published.get_json()["version"] == 1
        unnamed = client.post("/api/zones/publish", json={})  # signed by the user alone
        assert unnamed.status_code == 201 and unnamed.get_json()["version"] == 2
        assert client.post("/api/zones/publish", json={"published_by": "值班员",
                                                        "days": 0}).status_code == 400


def _add_case(conn, code: str, zone_code: str, reported_at) -> None:
    """A confirmed case at a point inside the stored zone `zone_code`."""
    conn.execute(
        "INSERT INTO cases (code, town_code, category, reported_at, h3_cell, geom) "
        "SELECT %s, town_code, 'confirmed', %s, 0, ST_PointOnSurface(geom) FROM zones "
        "WHERE code = %s", [code, reported_at, zone_code])


def test_a_plan_lifts_after_its_days_without_a_case_in_containment_or_control(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        plan = publish_zones(conn, _request(conn), "110112104", "值班员")
        (first,) = published_plans(conn)
        last = first["last_case_at"]
        assert first["code"] == plan["code"] and first["current"] and last is not None
        # as if published at the last case: the 14 quiet days start there
        conn.execute("UPDATE zone_plans SET published_at = %s", [last])
        day = timedelta(days=1)

        def status(now):
            (row,) = published_plans(conn, now=now)
            return row["status"], row["lifted_on"]

        assert status(last + 13 * day) == ("active", None)
        assert status(last + 14 * day + timedelta(seconds=1)) == (
            "lifted", (last + 14 * day).astimezone(TOWN_TZ).date())
        # a new case in the control zone restarts the clock; one in prevention does not
        _add_case(conn, "T-NEW-1", f"{plan['code']}-control", last + 10 * day)
        _add_case(conn, "T-NEW-2", f"{plan['code']}-prevention", last + 20 * day)
        assert status(last + 14 * day + timedelta(seconds=1)) == ("active", None)
        assert status(last + 24 * day + timedelta(seconds=1)) == (
            "lifted", (last + 24 * day).astimezone(TOWN_TZ).date())
        # a case reported after `now` is not known yet
        _add_case(conn, "T-NEW-3", f"{plan['code']}-containment", last + 30 * day)
        assert status(last + 24 * day + timedelta(seconds=1))[0] == "lifted"


def test_published_plans_and_the_zones_layer_report_lifting(settings, demo_db_url):
    with api_client(settings, demo_db_url) as client:
        for who in ("甲", "乙"):
            assert client.post("/api/zones/publish",
                               json={"published_by": who}).status_code == 201
        plans = client.get("/api/zones/published").get_json()["plans"]
        assert [(p["version"], p["published_by"], p["current"]) for p in plans] == [
            (2, f"{username('commander')}（乙）", True),
            (1, f"{username('commander')}（甲）", False)]
        assert {p["status"] for p in plans} == {"active"}
        assert [z["level"] for z in plans[0]["zones"]] == [
            "containment", "control", "prevention"]
        layer = client.get("/api/layers/zones?bbox=116.3,39.6,116.8,39.9&zoom=13").get_json()
        drawn = {f["properties"]["zone_class"] for f in layer["features"]}
        assert drawn == {"containment", "control", "prevention"}
        assert {f["properties"]["version"] for f in layer["features"]} == {2}

        # age the outbreak: every case and both publications two months back
        with psycopg.connect(demo_db_url) as conn:
            conn.execute("UPDATE cases SET reported_at = reported_at - interval '60 days', "
                         "released_at = released_at - interval '60 days'")
            conn.execute("UPDATE zone_plans SET published_at = published_at - "
                         "interval '60 days'")
        plans = client.get("/api/zones/published").get_json()["plans"]
        assert {p["status"] for p in plans} == {"lifted"}
        assert all(p["lifted_on"] for p in plans)
        layer = client.get("/api/layers/zones?bbox=116.3,39.6,116.8,39.9&zoom=13").get_json()
        assert {f["properties"]["zone_class"] for f in layer["features"]} == {"lifted"}


def test_a_published_plan_exports_as_geojson_and_xlsx(settings, demo_db_url):
    from openpyxl import load_workbook

    with api_client(settings, demo_db_url) as client:
        code = client.post("/api/zones/publish", json={"published_by": "值班员"}).get_json()["code"]
        with psycopg.connect(demo_db_url) as conn:
            stored = conn.execute("SELECT level, residents, households FROM zones "
                                  "WHERE plan_code = %s", [code]).fetchall()
        by_level = {level: (residents, households) for level, residents, households in stored}

        answer = client.get(f"/api/zones/{code}/export.geojson")
        assert answer.status_code == 200 and answer.mimetype == "application/geo+json"
        features = json.loads(answer.data)["features"]
        assert [f["properties"]["level"] for f in features] == [
            "containment", "control", "prevention"]
        for f in features:
            props = f["properties"]
            assert (props["residents"], props["households"]) == by_level[props["level"]]
            assert props["plan_published_by"] == f"{username('commander')}（值班员）"
            assert props["plan_status"] == "active"
            assert f["geometry"]["type"] == "MultiPolygon"
            assert isinstance(props["area_km2"], float) and props["supplies"]

        answer = client.get(f"/api/zones/{code}/export.xlsx")
        assert answer.status_code == 200
        sheet = load_workbook(io.BytesIO(answer.data)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert header[:2] == ("区域编码", "区域类别") and "常住人口" in header
        assert "口罩(只)需求" in header and "需设卡口" in header
        names = {"封控区": "containment", "管控区": "control", "防范区": "prevention"}
        got = {names[row[1]]: (row[header.index("常住人口")], row[header.index("户数")])
               for row in rows[1:]}
        assert got == by_level
        english = client.get(f"/api/zones/{code}/export.xlsx?lang=en")
        assert "Residents" in next(load_workbook(io.BytesIO(english.data)).worksheets[0]
                                   .iter_rows(values_only=True))

        assert client.get("/api/zones/110112104-ZP9999/export.xlsx").status_code == 404
        assert client.get("/api/zones/no%20such%20plan/export.geojson").status_code == 404
        bad = client.get(f"/api/zones/{code}/export.csv")
        assert bad.status_code == 400 and bad.get_json()["parameter"] == "fmt"


def test_the_zones_box_proposes_for_the_page_window_and_publishes_it(settings, demo_db_url):
    from dashboard.zones.callbacks import propose_view, publish_view
    from geo.database import open_pool

    pool = open_pool(demo_db_url, settings)
    try:
        with pool.connection() as conn:
            request = _request(conn)
        window = {"since": request.since.date().isoformat(),
                  "until": request.until.date().isoformat()}
        geojson, _, stored, shown, viewport = propose_view(window, "grid", 300, 14, "zh", pool)
        assert [f["properties"]["zone_class"] for f in geojson["features"]] == [
            "containment", "control", "prevention"]
        assert shown.endswith("gc-open") and viewport["transition"] == "flyToBounds"
        assert publish_view({"since": "x"}, "值班员", "110112104", "zh", pool)[1] is None
        note, code = publish_view(stored, "值班员", "110112104", "zh", pool)
        assert "第 1 版" in note and code == "110112104-ZP0001"
        with pool.connection() as conn:
            (plan,) = published_plans(conn)
            zones = {z["level"]: z["residents"] for z in plan["zones"]}
        assert zones == {f["id"]: f["properties"]["residents"] for f in geojson["features"]}
        assert plan["params"]["since"] == stored["since"] and plan["published_by"] == "值班员"
        _, message, stored, _, _ = propose_view(window, "grid", None, 14, "zh", pool)
        assert stored is None and "buffer_m" in str(message)
    finally:
        pool.close()


# --- adjustments by compound (add_compounds / remove_compounds) ---

def _compound_residents(conn, code: str) -> int:
    return conn.execute("SELECT coalesce(sum(h.members), 0) FROM households h "
                        "JOIN buildings b ON b.code = h.building_code "
                        "WHERE b.compound_code = %s", [code]).fetchone()[0]


def _assert_independent(conn, zones: list[dict]) -> None:
    before: list[dict] = []
    for zone in zones:
        households, residents = _independent_counts(conn, zone["geometry"], before)
        assert (zone["households"], zone["residents"]) == (households, residents), zone["level"]
        before.append(zone["geometry"])


def _far_compound(conn, containment: dict) -> str:
    """A compound with residents whose outline lies away from the proposed containment."""
    return conn.execute(
        "SELECT p.code FROM compounds p WHERE EXISTS (SELECT 1 FROM buildings b "
        "JOIN households h ON h.building_code = b.code WHERE b.compound_code = p.code) "
        "AND NOT ST_DWithin(p.geom::geography, ST_GeomFromGeoJSON(%s)::geography, 50) "
        "ORDER BY p.code LIMIT 1", [json.dumps(containment)]).fetchone()[0]


@pytest.mark.parametrize("mode", ["grid", "buffer"])
def test_adding_a_compound_seals_all_its_buildings(demo_conn, mode):
    plain = propose_zones(demo_conn, _request(demo_conn, mode=mode))
    code = _far_compound(demo_conn, plain[0]["geometry"])
    zones = propose_zones(demo_conn, _request(demo_conn, mode=mode, add_compounds=(code,)))
    _assert_independent(demo_conn, zones)
    outside = demo_conn.execute(
        "SELECT count(*) FROM buildings WHERE compound_code = %s AND NOT ST_Intersects("
        "ST_GeomFromGeoJSON(%s), ST_PointOnSurface(geom))",
        [code, json.dumps(zones[0]["geometry"])]).fetchone()[0]
    assert outside == 0
    assert zones[0]["residents"] == plain[0]["residents"] + _compound_residents(demo_conn, code)


def test_removing_a_case_compound_unseals_it(demo_conn):
    request = _request(demo_conn)
    code = demo_conn.execute(
        "SELECT b.compound_code FROM cases c JOIN buildings b ON b.code = c.building_code "
        "WHERE c.reported_at >= %s AND c.reported_at < %s AND b.compound_code IS NOT NULL "
        "AND (c.released_at IS NULL OR c.released_at >= %s) "
        "AND c.category IN ('confirmed', 'asymptomatic') ORDER BY 1 LIMIT 1",
        [request.since, request.until, request.until]).fetchone()[0]
    plain = propose_zones(demo_conn, request)
    zones = propose_zones(demo_conn, _request(demo_conn, remove_compounds=(code,)))
    _assert_independent(demo_conn, zones)
    inside = demo_conn.execute(
        "SELECT count(*) FROM buildings WHERE compound_code = %s AND ST_Intersects("
        "ST_GeomFromGeoJSON(%s), ST_PointOnSurface(geom))",
        [code, json.dumps(zones[0]["geometry"])]).fetchone()[0]
    assert inside == 0 and zones[0]["residents"] < plain[0]["residents"]
    # a building added by code is sealed although its compound is removed (a gated compound
    # is then sealed as a whole again)
    one = demo_conn.execute("SELECT code FROM buildings WHERE compound_code = %s "
                            "ORDER BY code LIMIT 1", [code]).fetchone()[0]
    kept = propose_zones(demo_conn, _request(demo_conn, remove_compounds=(code,),
                                             add_buildings=(one,)))
    assert demo_conn.execute(
        "SELECT ST_Intersects(ST_GeomFromGeoJSON(%s), ST_PointOnSurface(geom)) FROM buildings "
        "WHERE code = %s", [json.dumps(kept[0]["geometry"]), one]).fetchone()[0]


@pytest.mark.parametrize("name", ["add_compounds", "remove_compounds", "add_buildings",
                                  "remove_buildings"])
def test_unknown_codes_are_refused_by_name(demo_conn, name):
    with pytest.raises(BadParameter) as err:
        propose_zones(demo_conn, _request(demo_conn, **{name: ("NO-SUCH-1", "NO-SUCH-2")}))
    assert err.value.parameter == name and "NO-SUCH-1, NO-SUCH-2" in str(err.value)


def test_publishing_stores_the_adjusted_proposal(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        plain = propose_zones(conn, _request(conn))
        code = _far_compound(conn, plain[0]["geometry"])
        request = _request(conn, add_compounds=(code,))
        proposed = {z["level"]: (z["residents"], z["households"])
                    for z in propose_zones(conn, request)}
        plan = publish_zones(conn, request, "110112104", "值班员")
        stored = conn.execute("SELECT level, residents, households FROM zones "
                              "WHERE plan_code = %s", [plan["code"]]).fetchall()
        params = conn.execute("SELECT params FROM zone_plans WHERE code = %s",
                              [plan["code"]]).fetchone()[0]
    assert {level: (r, h) for level, r, h in stored} == proposed
    assert proposed["containment"][0] > plain[0]["residents"]
    assert params["add_compounds"] == [code] and params["remove_compounds"] == []


def test_zone_api_takes_compound_adjustments(settings, demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        request = _request(conn)
        plain = propose_zones(conn, request)
        code = _far_compound(conn, plain[0]["geometry"])
        adjusted = propose_zones(conn, _request(conn, add_compounds=(code,)))
    window = {"since": request.since.isoformat(), "until": request.until.isoformat()}
    with api_client(settings, demo_db_url) as client:
        answer = client.get("/api/zones", query_string={**window, "add_compounds": code})
        got = {f["id"]: f["properties"]["residents"] for f in answer.get_json()["features"]}
        assert got == {z["level"]: z["residents"] for z in adjusted}
        bad = client.get("/api/zones", query_string={**window, "add_compounds": f"{code},X-9"})
        assert bad.status_code == 400 and bad.get_json()["parameter"] == "add_compounds"
        assert "X-9" in bad.get_json()["message"]
        gone = client.get("/api/zones", query_string={**window, "remove_compounds": "X-9"})
        assert gone.get_json()["parameter"] == "remove_compounds"
        for junk in ("\x00", "x" * 65, ",".join(f"c{i}" for i in range(201))):
            answer = client.get("/api/zones", query_string={**window, "add_compounds": junk})
            assert answer.status_code == 400, junk[:10]
        published = client.post("/api/zones/publish",
                                json={**window, "add_compounds": code, "published_by": "值班员"})
        assert published.status_code == 201
    with psycopg.connect(demo_db_url) as conn:
        stored = dict(conn.execute("SELECT level, residents FROM zones WHERE plan_code = %s",
                                   [published.get_json()["code"]]).fetchall())
    assert stored == got


def test_the_zones_box_publishes_exactly_the_adjusted_proposal_it_shows(settings, demo_db_url):
    from dashboard.zones.callbacks import propose_view, publish_view
    from geo.database import open_pool

    pool = open_pool(demo_db_url, settings)
    try:
        with pool.connection() as conn:
            request = _request(conn)
            code = _far_compound(conn, propose_zones(conn, request)[0]["geometry"])
        window = {"since": request.since.isoformat(), "until": request.until.isoformat()}
        geojson, _, stored, _, _ = propose_view(window, "grid", 300, 14, "zh", pool,
                                                adjust={"add_compounds": (code,)})
        assert stored["add_compounds"] == [code] and stored["add_buildings"] == []
        assert set(stored["centre"]) == {"lat", "lng"}
        _, plan_code = publish_view(stored, "值班员", "110112104", "zh", pool)
        with pool.connection() as conn:
            (plan,) = published_plans(conn)
        assert plan["code"] == plan_code and plan["params"]["add_compounds"] == [code]
        assert {z["level"]: z["residents"] for z in plan["zones"]} == {
            f["id"]: f["properties"]["residents"] for f in geojson["features"]}
        _, message, stored, _, _ = propose_view(window, "grid", 300, 14, "zh", pool,
                                                adjust={"remove_compounds": ("NOPE-1",)})
        assert stored is None and "NOPE-1" in str(message)
    finally:
        pool.close()
