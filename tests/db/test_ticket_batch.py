"""Batch dispatch (POST /api/tickets/batch) on the demo town, real PostGIS: a drawn polygon
selects the waiting tickets inside it and the caller's scope; each ticket is dispatched in its
own version-checked step (one history row each); stale versions come back as 409 results with
the current state, tickets outside a community user's communities as 403 results, and hostile
polygons as 400s naming `polygon`, with nothing written."""

from __future__ import annotations

import psycopg
import pytest

from tests.clients import username
from tests.db.tickets_fixtures import (
    bearer,
    count,
    point_in_grid,
    ticket_app_world,
)

pytestmark = pytest.mark.db
D = 0.0004  # half the side of the test squares, in degrees (about 35 m)


@pytest.fixture(scope="module")
def world(admin_url, demo_template, settings):
    with ticket_app_world(admin_url, demo_template, settings) as world:
        url = world["url"]
        with psycopg.connect(url) as conn:  # a point in a grid of the community user's 2nd village
            lng, lat = conn.execute(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grids g "
                "WHERE g.community_code = '110112104002' ORDER BY g.code LIMIT 1) x").fetchone()
        yield {**world, "outside": (lat, lng),
               "inside": point_in_grid(url, None, world["grid_a"]),
               "community": world["client"](username("community"))}


def _push(world, where: tuple[float, float]) -> dict:
    lat, lng = where
    answer = world["anon"].post("/api/tickets", headers=bearer(world["token"]), json={
        "source": "hotline", "category": "noise", "text": "夜间噪音", "lat": lat, "lng": lng})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _square(where: tuple[float, float], d: float = D) -> dict:
    lat, lng = where
    return {"type": "Polygon", "coordinates": [[[lng - d, lat - d], [lng + d, lat - d],
                                                [lng + d, lat + d], [lng - d, lat + d],
                                                [lng - d, lat - d]]]}


def _events(world, code: str) -> int:
    return count(world["url"], "SELECT count(*) FROM ticket_events WHERE ticket_code = %s",
                 [code])


def _state(world, code: str) -> tuple:
    with psycopg.connect(world["url"]) as conn:
        return conn.execute("SELECT status, version, assignee FROM incidents WHERE code = %s",
                            [code]).fetchone()


def test_a_polygon_selects_the_waiting_tickets_inside_it_and_dispatches_each_once(world):
    inside = [_push(world, world["inside"]) for _ in range(3)]
    outside = _push(world, world["outside"])
    taken = inside[2]  # dispatched already: not waiting, so not selected
    assert world["commander"].post(f"/api/tickets/{taken['code']}/actions", json={
        "action": "dispatch", "version": 1,
        "assignee": taken["suggested_assignee"]["code"]}).status_code == 200
    square = _square(world["inside"])
    preview = world["commander"].post("/api/tickets/batch",
                                      json={"polygon": square, "dry_run": True}).get_json()
    selected = {t["code"]: t for t in preview["selected"]}
    assert {t["code"] for t in inside[:2]} <= set(selected)
    assert taken["code"] not in selected and outside["code"] not in selected
    assert all(t["status"] in ("received", "returned") for t in selected.values())
    assert preview["total"] == len(selected)
    assert _state(world, inside[0]["code"])[0] == "received"  # a dry run writes nothing
    # a Feature (as the map's draw control sends it) works as well as a bare Polygon
    answer = world["commander"].post("/api/tickets/batch", json={
        "polygon": {"type": "Feature", "properties": {}, "geometry": square}})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["dispatched"] == len(selected) and body["refused"] == 0
    for ticket in inside[:2]:
        status, version, assignee = _state(world, ticket["code"])
        assert (status, version) == ("dispatched", 2)
        assert assignee == ticket["suggested_assignee"]["code"]
        assert _events(world, ticket["code"]) == 2  # receive + one dispatch
    assert _state(world, outside["code"])[:2] == ("received", 1)
    assert _state(world, taken["code"])[:2] == ("dispatched", 2)
    again = world["commander"].post("/api/tickets/batch", json={"polygon": square}).get_json()
    assert again["selected"] == 0 and again["results"] == []


def test_stale_versions_are_refused_with_the_current_state_and_the_rest_go_on(world):
    first, second = _push(world, world["inside"]), _push(world, world["inside"])
    chosen = first["suggested_assignee"]["code"]
    # someone dispatches `second` after the dispatcher looked at it (version 1)
    assert world["commander"].post(f"/api/tickets/{second['code']}/actions", json={
        "action": "dispatch", "version": 1, "assignee": chosen}).status_code == 200
    answer = world["commander"].post("/api/tickets/batch", json={
        "tickets": [{"code": first["code"], "version": 1},
                    {"code": second["code"], "version": 1},
                    {"code": "NO-SUCH-TICKET", "version": 1},
                    {"code": first["code"], "version": 2}],
        "assignee": chosen, "note": "片区集中派遣"})
    assert answer.status_code == 200
    body = answer.get_json()
    ok, stale, missing, twice = body["results"]
    assert ok["ok"] and ok["status"] == "dispatched" and ok["version"] == 2
    assert ok["assignee"] == chosen
    assert not stale["ok"] and stale["http"] == 409
    assert stale["current_status"] == "dispatched" and stale["current_version"] == 2
    assert "dispatched" in stale["error"] and "version 2" in stale["error"]
    assert not missing["ok"] and missing["http"] == 404
    assert not twice["ok"] and twice["http"] == 400
    assert (body["dispatched"], body["refused"]) == (1, 3)
    assert _events(world, second["code"]) == 2  # the refused one gained no history row
    with psycopg.connect(world["url"]) as conn:
        note = conn.execute("SELECT note FROM ticket_events WHERE ticket_code = %s "
                            "ORDER BY id DESC LIMIT 1", [first["code"]]).fetchone()[0]
        audited = conn.execute("SELECT detail->>'batch' FROM audit_log WHERE action = "
                               "'ticket_action' AND target LIKE %s ORDER BY id DESC LIMIT 1",
                               [f"%{first['code']}%"]).fetchone()
    assert note == "片区集中派遣" and audited == ("4",)


def test_community_staff_batch_only_inside_their_communities(world):
    mine, theirs = _push(world, world["inside"]), _push(world, world["outside"])
    both = {"type": "Polygon", "coordinates": [[
        [min(world["inside"][1], world["outside"][1]) - D,
         min(world["inside"][0], world["outside"][0]) - D],
        [max(world["inside"][1], world["outside"][1]) + D,
         min(world["inside"][0], world["outside"][0]) - D],
        [max(world["inside"][1], world["outside"][1]) + D,
         max(world["inside"][0], world["outside"][0]) + D],
        [min(world["inside"][1], world["outside"][1]) - D,
         max(world["inside"][0], world["outside"][0]) + D],
        [min(world["inside"][1], world["outside"][1]) - D,
         min(world["inside"][0], world["outside"][0]) - D]]]}
    preview = world["community"].post("/api/tickets/batch",
                                      json={"polygon": both, "dry_run": True}).get_json()
    codes = {t["code"] for t in preview["selected"]}
    assert mine["code"] in codes and theirs["code"] not in codes
    assert theirs["code"] in {t["code"] for t in world["commander"].post(
        "/api/tickets/batch", json={"polygon": both, "dry_run": True}).get_json()["selected"]}
    answer = world["community"].post("/api/tickets/batch", json={
        "tickets": [{"code": theirs["code"], "version": 1},
                    {"code": mine["code"], "version": 1}]}).get_json()
    refused, done = answer["results"]
    assert not refused["ok"] and refused["http"] == 403
    assert done["ok"] and done["status"] == "dispatched"
    assert _state(world, theirs["code"])[:2] == ("received", 1)
    assert _events(world, theirs["code"]) == 1
    # neither a grid worker nor a department token dispatches
    assert world["client"]("worker-a").post("/api/tickets/batch", json={
        "codes": [mine["code"]]}).status_code == 403
    assert world["anon"].post("/api/tickets/batch", headers=bearer(world["token"]), json={
        "codes": [mine["code"]]}).status_code == 403


@pytest.mark.parametrize(("body", "parameter"), [
    ({"polygon": {"type": "Point", "coordinates": [116.5, 39.7]}}, "polygon"),
    ({"polygon": {"type": "Polygon", "coordinates": [[[116.5, 39.7], [116.6, 39.7],
                                                       [116.6, 39.8], [116.5, 39.8]]]}},
     "polygon"),  # not closed
    ({"polygon": {"type": "Polygon", "coordinates": [[[116.5, 39.7], [116.6, 39.8],
                                                       [116.6, 39.7], [116.5, 39.8],
                                                       [116.5, 39.7]]]}},
     "polygon"),  # a bow tie: self-intersecting
    ({"polygon": {"type": "Polygon", "coordinates": [[["116.5", 39.7], [116.6, 39.7],
                                                       [116.6, 39.8], [116.5, 39.7]]]}},
     "polygon"),
    ({"polygon": {"type": "Polygon", "coordinates": [[[1e999, 39.7], [116.6, 39.7],
                                                       [116.6, 39.8], [1e999, 39.7]]]}},
     "polygon"),
    ({"polygon": {"type": "Polygon", "coordinates": [[[116.5 + i * 1e-5, 39.7]
                                                       for i in range(1001)]
                                                      + [[116.5, 39.7]]]}}, "polygon"),
    ({"polygon": "POLYGON((116.5 39.7, 116.6 39.7, 116.6 39.8, 116.5 39.7))"}, "polygon"),
    ({"codes": ["A"], "polygon": {"type": "Polygon", "coordinates": []}}, "body"),
    ({}, "body"),
    ({"tickets": [{"code": "A", "version": "1"}]}, "tickets"),
    ({"tickets": [{"code": "A", "version": 1}] * 201}, "tickets"),
    ({"codes": "A,B"}, "codes"),
])
def test_hostile_batch_bodies_are_400s_naming_the_field(world, body, parameter):
    before = count(world["url"], "SELECT count(*) FROM ticket_events")
    answer = world["commander"].post("/api/tickets/batch", json=body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["parameter"] == parameter
    assert count(world["url"], "SELECT count(*) FROM ticket_events") == before


def test_an_unknown_assignee_refuses_each_ticket_and_writes_nothing(world):
    ticket = _push(world, world["inside"])
    body = world["commander"].post("/api/tickets/batch", json={
        "tickets": [{"code": ticket["code"], "version": 1}],
        "assignee": "'; DROP TABLE incidents; --"}).get_json()
    assert body["results"][0]["http"] == 400 and body["results"][0]["parameter"] == "assignee"
    assert _state(world, ticket["code"])[:2] == ("received", 1)
    assert _events(world, ticket["code"]) == 1


def test_the_map_list_of_a_cluster_keeps_to_the_callers_communities(world):
    """The cluster codes come from the browser: the panel's list (geo.ticket_batch.listed)
    shows only the tickets inside the caller's scope, whatever codes it is sent."""
    from datetime import datetime

    from geo.ticket_batch import listed
    from geo.tickets import Actor
    from geo.timewindow import TOWN_TZ

    mine, theirs = _push(world, world["inside"]), _push(world, world["outside"])
    community = Actor("c", "community", frozenset({"dispatch"}), communities=("110112104001",),
                      scoped_communities=True)
    town = Actor("t", "commander", frozenset({"dispatch"}))
    codes = [theirs["code"], mine["code"], "'; DROP TABLE incidents; --", "x" * 5000]
    with psycopg.connect(world["url"]) as conn:
        now = datetime.now(TOWN_TZ)
        assert [t["code"] for t in listed(conn, community, codes, now)] == [mine["code"]]
        both = listed(conn, town, codes, now)
    assert {t["code"] for t in both} == {mine["code"], theirs["code"]}
    assert {"code", "version", "status", "category", "due_at", "due_state"} <= set(both[0])
