"""The phone app's routes: household visits (idempotent, validated, scoped to my grids, the
freshness reflects them), reveal (audited), photos (checked by content, cleaned, kept outside the
web root, seen only by who may see the ticket), the sign-in landing."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from PIL import Image

from dashboard.app import close_app, create_app
from dashboard.settings import Settings
from geo.users import add_user
from tests.clients import PASSWORD, api_client, sign_in

pytestmark = pytest.mark.db

WORKER = "phone-worker"


@pytest.fixture
def town(demo_db_url: str) -> dict:
    """A grid with a building of households, another grid's household, a grid worker."""
    with psycopg.connect(demo_db_url) as conn:
        grid, building, household = conn.execute(
            "SELECT b.grid_code, b.code, h.code FROM households h"
            " JOIN buildings b ON b.code = h.building_code"
            " WHERE EXISTS (SELECT 1 FROM persons p WHERE p.household_code = h.code)"
            " ORDER BY h.code LIMIT 1").fetchone()
        other = conn.execute(
            "SELECT h.code, b.code, b.grid_code FROM households h"
            " JOIN buildings b ON b.code = h.building_code"
            " WHERE b.grid_code <> %s ORDER BY h.code LIMIT 1", [grid]).fetchone()
        add_user(conn, WORKER, PASSWORD, "gridworker", grids=(grid,))
        conn.commit()
    return {"url": demo_db_url, "grid": grid, "building": building, "household": household,
            "other_household": other[0], "other_building": other[1], "other_grid": other[2]}


@contextmanager
def worker(settings: Settings, url: str, home) -> Iterator[object]:
    app = create_app(settings.model_copy(update={"home": home}), database_url=url)
    try:
        client = app.server.test_client()
        assert sign_in(client, WORKER) == 303
        yield client
    finally:
        close_app(app)


COUNTS = {"members": 4, "registered": 1, "floating": 3, "renters": True, "elderly": 1,
          "children": 1, "vulnerable": 0}


def test_a_grid_worker_lands_on_the_phone_app(settings, town, tmp_path):
    app = create_app(settings.model_copy(update={"home": tmp_path}), database_url=town["url"])
    try:
        client = app.server.test_client()
        page = client.get("/login").get_data(as_text=True)
        from tests.clients import login_form
        answer = client.post("/login", data=login_form(page, WORKER))
        assert answer.status_code == 303 and answer.headers["Location"] == "/m/"
        shell = client.get("/m/")
        assert shell.status_code == 200 and b"/m/app.js" in shell.data
        assert "geolocation=(self)" in shell.headers["Permissions-Policy"]
        assert client.get("/m/sw.js").status_code == 200
    finally:
        close_app(app)
    with api_client(settings, town["url"], "commander") as commander:
        assert commander.get("/m/").status_code == 403  # not a grid worker
        assert commander.post("/api/visits", json={}).status_code == 403


def test_a_visit_writes_the_counts_once_and_the_freshness_shows_it(settings, town, tmp_path):
    key = str(uuid.uuid4())
    body = {"client_id": key, "household": town["household"], "counts": COUNTS,
            "note": "入户核实"}
    with worker(settings, town["url"], tmp_path) as client:
        first = client.post("/api/visits", json=body)
        assert first.status_code == 201, first.get_json()
        again = client.post("/api/visits", json=body)
        assert again.status_code == 200
        assert again.get_json()["visit"] == first.get_json()["visit"]
        forms = client.get(f"/api/m/buildings/{town['building']}").get_json()
    with psycopg.connect(town["url"]) as conn:
        row = conn.execute("SELECT members, registered, floating, renters, elderly, children,"
                           " vulnerable, updated_at > now() - interval '1 minute',"
                           " visited_at IS NOT NULL FROM households WHERE code = %s",
                           [town["household"]]).fetchone()
        assert row == (4, 1, 3, True, 1, 1, 0, True, True)
        assert conn.execute("SELECT count(*) FROM household_visits WHERE household_code = %s",
                            [town["household"]]).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'visit'"
                            " AND username = %s", [WORKER]).fetchone()[0] == 1
    mine = next(h for h in forms["households"] if h["code"] == town["household"])
    assert mine["members"] == 4 and mine["visited_at"]
    with api_client(settings, town["url"], "commander") as commander:
        rows = commander.get("/api/freshness").get_json()["rows"]
        grid = next(r for r in rows if r["code"] == town["grid"])
        assert grid["newest"] == mine["updated_at"]
        drill = commander.get(f"/api/regions/building/{town['building']}").get_json()
        assert drill["newest_update"] == mine["updated_at"]


def test_a_visit_breaking_the_form_rules_writes_nothing(settings, town, tmp_path):
    bad = dict(COUNTS, registered=2)  # 2 + 3 ≠ 4
    with worker(settings, town["url"], tmp_path) as client:
        answer = client.post("/api/visits", json={"client_id": str(uuid.uuid4()),
                                                  "household": town["household"],
                                                  "counts": bad})
        assert answer.status_code == 400
        problem = answer.get_json()["problems"][0]
        assert problem["field"] == "members" and "registered 2 + floating 3" in problem["reason"]
        negative = client.post("/api/visits", json={"client_id": str(uuid.uuid4()),
                                                    "household": town["household"],
                                                    "counts": dict(COUNTS, elderly=-1)})
        assert negative.status_code == 400
        assert client.post("/api/visits", json={"client_id": "not-a-uuid",
                                                "household": town["household"],
                                                "counts": COUNTS}).status_code == 400
        junk = [("/api/visits", [1, 2]), ("/api/visits", {"client_id": str(uuid.uuid4()),
                                                          "household": town["household"],
                                                          "counts": "many"}),
                ("/api/reports", {"client_id": str(uuid.uuid4()), "category": "noise",
                                  "text": "x", "lat": "north", "lng": 116.5}),
                ("/api/reports", {"client_id": str(uuid.uuid4()), "category": "noise",
                                  "text": "x", "lat": 39.7, "lng": 116.5, "photos": ["x"]}),
                ("/api/m/tickets/TK0/actions", {"client_id": str(uuid.uuid4()),
                                                "action": "verify", "version": 1})]
        for url, body in junk:
            answer = client.post(url, json=body)
            assert answer.status_code == 400, (url, body, answer.get_json())
            assert answer.get_json()["message"]
        assert client.get("/api/m/buildings?lat=nan&lng=1").status_code == 400
        assert client.get("/api/photos/not-a-uuid").status_code == 400
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT count(*) FROM household_visits").fetchone()[0] == 0


def test_buildings_and_households_outside_my_grids_are_refused(settings, town, tmp_path):
    with worker(settings, town["url"], tmp_path) as client:
        assert client.get(f"/api/m/buildings/{town['other_building']}").status_code == 403
        visit = client.post("/api/visits", json={"client_id": str(uuid.uuid4()),
                                                 "household": town["other_household"],
                                                 "counts": COUNTS})
        assert visit.status_code == 403
        assert client.post(f"/api/m/households/{town['other_household']}/reveal"
                           ).status_code == 403
        near = client.get("/api/m/buildings?lat=39.748&lng=116.555").get_json()["buildings"]
        assert near and {b["grid_code"] for b in near} == {town["grid"]}
        assert client.get("/api/m/buildings?lat=99&lng=1").status_code == 400


def test_households_are_masked_until_the_worker_reveals_one(settings, town, tmp_path):
    with worker(settings, town["url"], tmp_path) as client:
        forms = client.get(f"/api/m/buildings/{town['building']}").get_json()
        masked = next(h for h in forms["households"] if h["code"] == town["household"])
        revealed = client.post(f"/api/m/households/{town['household']}/reveal").get_json()
    with psycopg.connect(town["url"]) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM persons WHERE household_code = %s ORDER BY code",
            [town["household"]])]
        assert conn.execute("SELECT target FROM audit_log WHERE action = 'reveal'"
                            ).fetchone()[0] == f"household:{town['household']}"
    assert [p["name"] for p in revealed["persons"]] == names
    assert all(p["name"] != n and "*" in p["name"]
               for p, n in zip(masked["persons"], names, strict=True) if len(n) > 1)


def _jpeg(size=(64, 48), gps=True) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 44.0, 52.0), 3: "E", 4: (116.0, 33.0, 18.0)}
        exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_checked_by_content_cleaned_and_kept_outside_the_web_root(
        settings, town, tmp_path):
    home = tmp_path / "home"
    key = str(uuid.uuid4())
    original = _jpeg()
    assert b"PhoneMaker" in original
    with worker(settings, town["url"], home) as client:
        ok = client.post("/api/m/photos", data={"client_id": key,
                                                "photo": (io.BytesIO(original), "a.jpg")})
        assert ok.status_code == 201, ok.get_json()
        replay = client.post("/api/m/photos", data={"client_id": key,
                                                    "photo": (io.BytesIO(original), "a.jpg")})
        assert replay.status_code == 200
        not_image = client.post("/api/m/photos", data={
            "client_id": str(uuid.uuid4()), "photo": (io.BytesIO(b"%PDF-1.4 hello"), "x.jpg")})
        assert not_image.status_code == 400 and "JPEG or PNG" in not_image.get_json()["message"]
        broken = client.post("/api/m/photos", data={
            "client_id": str(uuid.uuid4()),
            "photo": (io.BytesIO(original[:200]), "cut.jpg")})
        assert broken.status_code == 400
        noise = Image.effect_noise((1400, 1400), 90).convert("RGB")
        big = io.BytesIO()
        noise.save(big, "PNG")
        assert big.tell() > 1_048_576
        too_big = client.post("/api/m/photos", data={
            "client_id": str(uuid.uuid4()), "photo": (io.BytesIO(big.getvalue()), "big.png")})
        assert too_big.status_code == 413 and "MB" in too_big.get_json()["message"]
        mine = client.get(f"/api/photos/{key}")
        assert mine.status_code == 200 and mine.mimetype == "image/jpeg"
        stored = mine.data
    kept = sorted(p.name for p in (home / "photos").iterdir())
    assert kept == [f"{key}.jpg"]  # nothing kept of the refused uploads
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT count(*) FROM phone_photos").fetchone()[0] == 1
    with api_client(settings, town["url"], "commander") as commander:
        # not yet part of a ticket: only its uploader sees it
        assert commander.get(f"/api/photos/{key}").status_code == 403


def _inside(url: str, grid: str) -> tuple[float, float]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom) p"
                            " FROM grids WHERE code = %s) s", [grid]).fetchone()


def test_a_report_becomes_one_patrol_ticket_with_its_photos(settings, town, tmp_path):
    lat, lng = _inside(town["url"], town["grid"])
    photo_id = str(uuid.uuid4())
    report = {"client_id": str(uuid.uuid4()), "category": "sanitation", "text": "垃圾堆积",
              "lat": lat, "lng": lng, "accuracy": 12, "photos": [photo_id]}
    with worker(settings, town["url"], tmp_path) as client:
        assert client.post("/api/reports", json=report).status_code == 400  # photo not sent
        assert client.post("/api/m/photos", data={
            "client_id": photo_id, "photo": (io.BytesIO(_jpeg()), "a.jpg")}).status_code == 201
        first = client.post("/api/reports", json=report)
        assert first.status_code == 201, first.get_json()
        again = client.post("/api/reports", json=report)
        assert again.status_code == 200
        code = first.get_json()["ticket"]["code"]
        assert again.get_json()["ticket"]["code"] == code
        assert first.get_json()["ticket"]["source"] == "patrol"
        far_lat, far_lng = _inside(town["url"], town["other_grid"])
        far = client.post("/api/reports", json=dict(report, client_id=str(uuid.uuid4()),
                                                     photos=[], lat=far_lat, lng=far_lng))
        assert far.status_code == 403  # outside my grids
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT count(*), min(grid_code), min(source) FROM incidents"
                            " WHERE client_id = %s", [report["client_id"]]).fetchone() == \
            (1, town["grid"], "patrol")
        assert conn.execute("SELECT ticket_code FROM phone_photos WHERE client_id = %s",
                            [photo_id]).fetchone()[0] == code
    with api_client(settings.model_copy(update={"home": tmp_path}), town["url"],
                    "commander") as commander:
        assert commander.get(f"/api/photos/{photo_id}").status_code == 200  # sees the ticket
    with api_client(settings.model_copy(update={"home": tmp_path}), town["url"],
                    "community") as community:
        from tests.clients import SCOPED_COMMUNITY
        with psycopg.connect(town["url"]) as conn:
            mine = conn.execute("SELECT community_code FROM grids WHERE code = %s",
                                [town["grid"]]).fetchone()[0]
        expected = 200 if mine == SCOPED_COMMUNITY else 403
        assert community.get(f"/api/photos/{photo_id}").status_code == expected


def test_my_tasks_are_the_tickets_dispatched_to_me_and_steps_are_idempotent(
        settings, town, tmp_path):
    lat, lng = _inside(town["url"], town["grid"])
    with psycopg.connect(town["url"]) as conn:
        staff = conn.execute("SELECT worker_code FROM grids WHERE code = %s",
                             [town["grid"]]).fetchone()[0]
    with api_client(settings, town["url"], "commander") as commander:
        made = commander.post("/api/tickets", json={
            "source": "hotline", "category": "noise", "text": "夜间施工噪音", "lat": lat,
            "lng": lng, "external_id": "phone-test-1"}).get_json()
        sent = commander.post(f"/api/tickets/{made['code']}/actions", json={
            "action": "dispatch", "version": made["version"], "assignee": staff})
        assert sent.status_code == 200, sent.get_json()
    with worker(settings, town["url"], tmp_path) as client:
        tasks = client.get("/api/m/tasks").get_json()["tasks"]
        assert made["code"] in [t["code"] for t in tasks]
        dues = [t["due_at"] for t in tasks if t["due_state"] != "overdue"]
        assert dues == sorted(dues)
        one = client.get(f"/api/m/tasks/{made['code']}").get_json()["task"]
        assert one["status"] == "dispatched" and one["history"]
        step = {"client_id": str(uuid.uuid4()), "action": "accept", "version": one["version"]}
        first = client.post(f"/api/m/tickets/{made['code']}/actions", json=step)
        assert first.status_code == 201, first.get_json()
        replay = client.post(f"/api/m/tickets/{made['code']}/actions", json=step)
        assert replay.status_code == 200 and replay.get_json() == first.get_json()
        stale = client.post(f"/api/m/tickets/{made['code']}/actions",
                            json=dict(step, client_id=str(uuid.uuid4()), action="start"))
        assert stale.status_code == 409  # version moved on
    with psycopg.connect(town["url"]) as conn:
        assert conn.execute("SELECT status, version FROM incidents WHERE code = %s",
                            [made["code"]]).fetchone() == ("accepted", one["version"] + 1)
