"""Zone proposals: counts equal an independent SQL over the same geometry; adjustments work."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from geo.features import BadParameter
from geo.zones import ZoneRequest, propose_zones, publish_zones

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
    import psycopg

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
    from dashboard.app import close_app, create_app

    app = create_app(settings, database_url=demo_db_url)
    client = app.server.test_client()
    try:
        proposal = client.get("/api/zones?mode=buffer&buffer_m=200&days=7")
        assert proposal.status_code == 200
        levels = [f["id"] for f in proposal.get_json()["features"]]
        assert levels[0] == "containment"
        assert client.get("/api/zones?mode=circle").get_json()["parameter"] == "mode"
        assert client.get("/api/zones?buffer_m=abc").status_code == 400
        published = client.post("/api/zones/publish", json={"published_by": "值班员"})
        assert published.status_code == 201 and published.get_json()["version"] == 1
        assert client.post("/api/zones/publish", json={}).status_code == 400
    finally:
        close_app(app)
