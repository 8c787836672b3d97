"""The 接诉即办 API on the demo town (real PostGIS): intake, idempotency, the 400s and 409s,
steps and their rights, scope, the 20-way race, the change feed."""

from __future__ import annotations

import threading
import uuid

import pytest

from geo.chinacrs import wgs84_to_gcj02
from tests.clients import username
from tests.db.tickets_fixtures import (
    app_clients,
    bearer,
    count,
    point_in_grid,
    ticket_app_world,
)

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def world(admin_url, demo_template, settings):
    with ticket_app_world(admin_url, demo_template, settings) as world:
        yield world


def _push(world, **fields):
    lat, lng = (None, None) if "lat" in fields else point_in_grid(world["url"], None,
                                                                   world["grid_a"])
    body = {"source": "hotline", "category": "noise", "text": "楼下夜间施工噪音扰民",
            "lat": lat, "lng": lng, **fields}
    return world["anon"].post("/api/tickets", json=body, headers=bearer(world["token"]))


def test_a_push_is_idempotent_and_a_different_repeat_is_a_409(world):
    ext = f"BJ12345-{uuid.uuid4().hex[:8]}"
    first = _push(world, external_id=ext, address="马驹桥镇某小区3号楼")
    assert first.status_code == 201, first.get_json()
    ticket = first.get_json()
    assert ticket["status"] == "received" and ticket["version"] == 1
    assert ticket["grid_code"] == world["grid_a"] and ticket["due_at"] > ticket["received_at"]
    assert [h["action"] for h in ticket["history"]] == ["receive"]
    again = _push(world, external_id=ext, address="马驹桥镇某小区3号楼")
    assert again.status_code == 200 and again.get_json()["code"] == ticket["code"]
    assert count(world["url"], "SELECT count(*) FROM incidents WHERE external_id = %s",
                 [ext]) == 1
    differs = _push(world, external_id=ext, text="另一件事")
    assert differs.status_code == 409 and differs.get_json()["parameter"] == "text"
    assert "text" in differs.get_json()["message"]


@pytest.mark.parametrize(("fields", "parameter"), [
    ({"category": "no_such_category"}, "category"),
    ({"lat": 31.23, "lng": 121.47}, "location"),          # Shanghai: outside the town
    ({"lat": None, "lng": None}, "lat"),
    ({"text": "长" * 2001}, "text"),
    ({"source": "fax"}, "source"),
    ({"urgency": "whenever"}, "urgency"),
    ({"crs": "mars"}, "crs"),
])
def test_a_bad_push_is_a_400_naming_the_field(world, fields, parameter):
    answer = _push(world, **fields)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["parameter"] == parameter


def test_gcj02_points_are_converted_to_wgs84(world):
    lat, lng = point_in_grid(world["url"], None, world["grid_a"])
    glng, glat = (float(v[0]) for v in wgs84_to_gcj02([lng], [lat]))
    answer = _push(world, lat=glat, lng=glng, crs="gcj02")
    assert answer.status_code == 201
    ticket = answer.get_json()
    assert abs(ticket["lat"] - lat) < 1e-5 and abs(ticket["lng"] - lng) < 1e-5


def _act(client, code, action, version, **extra):
    return client.post(f"/api/tickets/{code}/actions",
                       json={"action": action, "version": version, **extra})


def test_the_chain_with_rights_scope_and_409s(world):
    ticket = _push(world).get_json()
    code = ticket["code"]
    suggestion = ticket["suggested_assignee"]
    assert suggestion["grid_code"] == world["grid_a"] and "*" in suggestion["name"]
    worker_a, worker_b = world["client"]("worker-a"), world["client"]("worker-b")
    # a grid worker may not dispatch; a department token may not act
    assert _act(worker_a, code, "dispatch", 1, assignee=suggestion["code"]).status_code == 403
    refused = world["anon"].post(f"/api/tickets/{code}/actions", headers=bearer(world["token"]),
                                 json={"action": "dispatch", "version": 1})
    assert refused.status_code == 403
    done = _act(world["commander"], code, "dispatch", 1, assignee=suggestion["code"])
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["status"] == "dispatched" and body["version"] == 2
    assert body["assignee"]["code"] == suggestion["code"] and "*" in body["assignee"]["name"]
    stale = _act(world["commander"], code, "dispatch", 1, assignee=suggestion["code"])
    assert stale.status_code == 409
    assert "dispatched" in stale.get_json()["message"] and "version 2" in stale.get_json()[
        "message"]
    assert stale.get_json()["current_version"] == 2
    illegal = _act(world["commander"], code, "verify", 2)
    assert illegal.status_code == 409 and illegal.get_json()["current_status"] == "dispatched"
    # the other grid's worker: 403, and the ticket is not in its list
    assert _act(worker_b, code, "accept", 2).status_code == 403
    assert worker_b.get(f"/api/tickets/{code}").status_code == 403
    assert code not in {t["code"] for t in worker_b.get("/api/tickets?limit=500")
                        .get_json()["tickets"]}
    assert code in {t["code"] for t in worker_a.get(f"/api/tickets?grid={world['grid_a']}")
                    .get_json()["tickets"]}
    for action, version, expected in (("accept", 2, "accepted"), ("start", 3, "in_progress"),
                                      ("submit", 4, "submitted")):
        moved = _act(worker_a, code, action, version)
        assert moved.status_code == 200, moved.get_json()
        assert moved.get_json()["status"] == expected
    assert _act(worker_a, code, "verify", 5).status_code == 403  # not the worker's step
    rejected = _act(world["commander"], code, "reject", 5)
    assert rejected.status_code == 400 and rejected.get_json()["parameter"] == "note"
    assert _act(world["commander"], code, "reject", 5, note="现场仍有噪音").get_json()[
        "status"] == "in_progress"
    assert _act(worker_a, code, "submit", 6).status_code == 200
    closed = _act(world["commander"], code, "verify", 7, satisfied=True).get_json()
    assert closed["status"] == "closed" and closed["solved_at"] and closed["satisfied"] is True
    reopened = _act(world["commander"], code, "reopen", 8, note="回访不满意").get_json()
    assert reopened["status"] == "in_progress" and reopened["satisfied"] is False
    history = world["commander"].get(f"/api/tickets/{code}").get_json()["history"]
    assert [h["action"] for h in history] == ["receive", "dispatch", "accept", "start",
                                              "submit", "reject", "submit", "verify", "reopen"]
    assert [h["version"] for h in history] == list(range(1, 10))
    assert history[5]["note"] == "现场仍有噪音" and history[5]["actor"] == username("commander")
    assert history[2]["role"] == "gridworker" and history[2]["from_status"] == "dispatched"
    audited = count(world["url"], "SELECT count(*) FROM audit_log WHERE action = "
                    "'ticket_action' AND target = %s", [code])
    assert audited == 8  # every step answered 200 was audited, dispatch to reopen


def test_return_goes_back_to_the_dispatcher(world):
    ticket = _push(world).get_json()
    code, worker = ticket["code"], ticket["suggested_assignee"]["code"]
    _act(world["commander"], code, "dispatch", 1, assignee=worker)
    back = _act(world["client"]("worker-a"), code, "return", 2, note="不属于本网格")
    assert back.status_code == 200 and back.get_json()["status"] == "returned"
    assert back.get_json()["assignee"] is None


def test_community_staff_act_inside_their_communities_only(world):
    community = world["client"](username("community"))
    ticket = _push(world).get_json()  # grid A lies in the community user's community
    worker = ticket["suggested_assignee"]["code"]
    assert _act(community, ticket["code"], "dispatch", 1, assignee=worker).status_code == 200
    with __import__("psycopg").connect(world["url"]) as conn:
        lng, lat = conn.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grids g "
            "WHERE g.community_code = '110112104002' ORDER BY g.code LIMIT 1) x").fetchone()
    outside = _push(world, lat=lat, lng=lng).get_json()
    assert _act(community, outside["code"], "dispatch", 1, assignee=worker).status_code == 403
    assert community.get(f"/api/tickets/{outside['code']}").status_code == 403


def test_twenty_simultaneous_dispatches_have_exactly_one_winner(world):
    ticket = _push(world).get_json()
    code, worker = ticket["code"], ticket["suggested_assignee"]["code"]
    clients = [world["client"](username("commander")) for _ in range(20)]
    start = threading.Barrier(20)
    answers: list[int] = []

    def dispatch(client):
        start.wait()
        answers.append(_act(client, code, "dispatch", 1, assignee=worker).status_code)

    threads = [threading.Thread(target=dispatch, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200] + [409] * 19
    assert count(world["url"], "SELECT count(*) FROM ticket_events WHERE ticket_code = %s "
                 "AND action = 'dispatch'", [code]) == 1
    assert count(world["url"], "SELECT version FROM incidents WHERE code = %s", [code]) == 2


def test_a_grid_workers_phone_report_is_idempotent_on_its_client_id(world):
    worker = world["client"]("worker-a")
    lat, lng = point_in_grid(world["url"], None, world["grid_a"])
    body = {"source": "patrol", "category": "sanitation", "text": "垃圾堆放",
            "lat": lat, "lng": lng, "client_id": str(uuid.uuid4())}
    first = worker.post("/api/tickets", json=body)
    assert first.status_code == 201 and first.get_json()["source"] == "patrol"
    again = worker.post("/api/tickets", json=body)
    assert again.status_code == 200 and again.get_json()["code"] == first.get_json()["code"]
    lat_b, lng_b = point_in_grid(world["url"], None, world["grid_b"])
    elsewhere = worker.post("/api/tickets", json={**body, "client_id": str(uuid.uuid4()),
                                                  "lat": lat_b, "lng": lng_b})
    assert elsewhere.status_code == 403


def test_the_change_feed_starts_now_and_returns_every_change_in_order(world):
    feed = world["commander"].get("/api/tickets/changes").get_json()
    assert feed["changes"] == [] and isinstance(feed["cursor"], int)
    start = feed["cursor"]
    ticket = _push(world).get_json()
    _act(world["commander"], ticket["code"], "dispatch", 1,
         assignee=ticket["suggested_assignee"]["code"])
    page = world["commander"].get(f"/api/tickets/changes?after={start}").get_json()
    mine = [c for c in page["changes"] if c["code"] == ticket["code"]]
    assert [(c["status"], c["version"]) for c in mine] == [("received", 1), ("dispatched", 2)]
    assert [c["id"] for c in page["changes"]] == sorted(c["id"] for c in page["changes"])
    assert page["cursor"] >= mine[-1]["id"]
    assert world["commander"].get(f"/api/tickets/changes?after={page['cursor']}"
                                  ).get_json()["changes"] == []
    one = world["commander"].get(f"/api/tickets/changes?after={start}&limit=1").get_json()
    assert len(one["changes"]) == 1 and one["cursor"] == one["changes"][0]["id"]
    wall = world["client"](None)
    from tests.clients import WALL_TOKEN
    wall_feed = wall.get(f"/api/tickets/changes?after={start}&token={WALL_TOKEN}")
    assert wall_feed.status_code == 200
    assert not {"address", "text", "assignee"} & set(wall_feed.get_json()["changes"][0])
    assert world["anon"].get("/api/tickets/changes", headers=bearer(world["token"])
                             ).status_code == 403


def test_batch_dispatch_sends_each_ticket_to_its_suggested_worker(world):
    codes = [_push(world).get_json()["code"] for _ in range(3)]
    moved = _act(world["commander"], codes[0], "dispatch", 1,
                 assignee=world["commander"].get(f"/api/tickets/{codes[0]}").get_json()[
                     "suggested_assignee"]["code"])
    assert moved.status_code == 200
    answer = world["commander"].post("/api/tickets/batch",
                                     json={"codes": codes + ["NO-SUCH-TICKET"]})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["dispatched"] == 3  # a dispatched ticket may be dispatched again (reassigned)
    assert [r["ok"] for r in body["results"]] == [True, True, True, False]
    for code in codes:
        ticket = world["commander"].get(f"/api/tickets/{code}").get_json()
        assert ticket["status"] == "dispatched"
        assert ticket["assignee"]["code"] == ticket["suggested_assignee"]["code"]
    assert world["client"]("worker-a").post("/api/tickets/batch",
                                            json={"codes": codes}).status_code == 403
    assert world["commander"].post("/api/tickets/batch", json={"codes": []}
                                   ).get_json()["parameter"] == "codes"


def test_a_push_is_the_first_request_a_fresh_server_sees(world, settings):
    lat, lng = point_in_grid(world["url"], None, world["grid_a"])
    with app_clients(world["url"], settings) as fresh:  # Dash checks its layout on request 1
        answer = fresh["client"](None).post(
            "/api/tickets", headers=bearer(world["token"]),
            json={"source": "hotline", "category": "noise", "text": "首个请求",
                  "lat": lat, "lng": lng})
    assert answer.status_code == 201, answer.get_data(as_text=True)[:300]


def test_list_items_carry_the_same_suggestion_and_history_as_one_ticket(world):
    code = _push(world).get_json()["code"]
    listed = {t["code"]: t for t in world["commander"].get(
        f"/api/tickets?grid={world['grid_a']}&status=received&limit=50").get_json()["tickets"]}
    one = world["commander"].get(f"/api/tickets/{code}").get_json()
    assert listed[code]["suggested_assignee"] == one["suggested_assignee"]
    assert listed[code]["history"] == one["history"]
    assert {"status", "version", "due_at", "assignee", "grid_code"} <= set(listed[code])
    page = world["commander"].get("/api/tickets?limit=2").get_json()
    rest = world["commander"].get(f"/api/tickets?limit=2&cursor={page['next_cursor']}"
                                  ).get_json()
    assert not {t["code"] for t in page["tickets"]} & {t["code"] for t in rest["tickets"]}
    assert [t["received_at"] for t in page["tickets"] + rest["tickets"]] == sorted(
        (t["received_at"] for t in page["tickets"] + rest["tickets"]), reverse=True)
