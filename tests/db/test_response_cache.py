"""The in-process answer cache on the demo town (real PostGIS, the real app): a kept answer is
the answer, a committed write (through the app or from another connection) is seen at once,
no scope is served to another, personal data never passes through it; and the data version it
is keyed on moves with every committed write to the data and with nothing else."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg
import pytest
from flask import g, jsonify
from flask.testing import FlaskClient

from dashboard.auth.principal import current
from dashboard.response_cache import response_cache, shared_answer
from dashboard.settings import Settings
from dashboard.state import HELD_READ, read_connection
from geo import audit
from geo.data_version import data_version, untracked_tables
from geo.timewindow import TOWN_TZ
from geo.users import add_user
from tests.clients import OTHER_COMMUNITY, PASSWORD, SCOPED_COMMUNITY, username
from tests.db.tickets_fixtures import app_clients, bearer, point_in_grid, seed_ticket_actors

pytestmark = pytest.mark.db

TODAY = datetime.now(TOWN_TZ).date()
WINDOW = f"since={(TODAY - timedelta(days=30)).isoformat()}&until={TODAY.isoformat()}"


def marked_paths(conn: psycopg.Connection) -> list[str]:
    """One request of every route that uses the cache."""
    w, s, e, n = conn.execute("SELECT ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x) FROM "
                              "(SELECT ST_Extent(geom) AS x FROM grids) t").fetchone()
    cx, cy = (w + e) / 2, (s + n) / 2
    small = f"{cx - 0.01:.5f},{cy - 0.005:.5f},{cx + 0.01:.5f},{cy + 0.005:.5f}"
    whole = f"{w:.5f},{s:.5f},{e:.5f},{n:.5f}"
    return [f"/api/h3/population?res=8&bbox={whole}",
            f"/api/h3/tickets?res=8&bbox={whole}&{WINDOW}",
            f"/api/layers/grids?bbox={whole}&zoom=11",
            f"/api/layers/buildings?bbox={small}&zoom=16",
            f"/api/kpis?{WINDOW}",
            f"/api/performance?level=grid&{WINDOW}",
            "/api/freshness?stale_days=90",
            "/api/mobilisation/gaps"]


def _scope_echo():
    """A test route on the cache that answers with its caller's scope: the answer the cache
    must never hand to a caller of another scope."""
    who = current()
    with read_connection() as conn:
        pid = conn.info.backend_pid
        held = conn is g.get(HELD_READ)
    return jsonify({"communities": list(who.communities), "role": who.role, "pid": pid,
                    "same_connection": held})


@contextmanager
def app_over(url: str, settings: Settings, **changes) -> Iterator[dict]:
    """The real app over `url` (with the scope-echo route) and a factory of signed-in clients."""
    with app_clients(url, settings.model_copy(update=changes)) as apps:
        server = apps["app"].server  # no request yet: routes may still be added
        server.add_url_rule("/api/test-scope-echo", "scope_echo", shared_answer()(_scope_echo))
        yield {**apps, "cache": response_cache(server)}


@pytest.fixture(scope="module")
def town(admin_url, demo_template, settings):
    """A clone of the demo town with a second community user and the ticket actors."""
    from geo.database import connect, drop_database
    from tests.conftest import _clone

    name, url = _clone(admin_url, demo_template, settings)
    actors = seed_ticket_actors(url, settings)
    with connect(url, settings) as conn:
        add_user(conn, "test-community-other", PASSWORD, "community", (OTHER_COMMUNITY,))
        conn.commit()
        paths = marked_paths(conn)
    yield {"url": url, "paths": paths, **actors}
    drop_database(admin_url, name)


def version_of(url: str) -> int:
    with psycopg.connect(url) as conn:
        return data_version(conn)


def body(answer) -> bytes:
    data = answer.get_data()
    return gzip.decompress(data) if answer.headers.get("Content-Encoding") == "gzip" else data


# -- the data version ------------------------------------------------------------------------

def test_every_table_but_the_bookkeeping_ones_carries_the_version_trigger(town):
    with psycopg.connect(town["url"]) as conn:
        assert untracked_tables(conn) == []


def test_a_committed_write_moves_the_version_once_and_a_rolled_back_one_not_at_all(town):
    url = town["url"]
    before = version_of(url)
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE staff SET on_duty = on_duty WHERE code = "
                     "(SELECT min(code) FROM staff)")
        conn.execute("UPDATE units SET name = name WHERE code = (SELECT min(code) FROM units)")
        assert version_of(url) == before  # not yet committed: nobody else sees it
    assert version_of(url) == before + 1  # two statements, one transaction, one step
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM staff WHERE code = (SELECT min(code) FROM staff)")
        conn.rollback()
    assert version_of(url) == before + 1
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE ticket_callbacks CASCADE")
    assert version_of(url) == before + 2


def test_sessions_audit_and_sign_ins_do_not_move_the_version(town, settings):
    url = town["url"]
    before = version_of(url)
    with psycopg.connect(url) as conn:
        audit.record(conn, "tests", "admin", "drilldown", "grid/x", {})
    with app_over(url, settings) as apps:
        apps["client"](username("official")).get("/healthz")
    assert version_of(url) == before


def test_two_writers_never_wait_for_each_other_on_the_version(town):
    url = town["url"]
    before = version_of(url)
    with psycopg.connect(url) as first, psycopg.connect(url) as second:
        first.execute("UPDATE staff SET on_duty = on_duty WHERE code = "
                      "(SELECT min(code) FROM staff)")  # holds a slot until it commits
        second.execute("SET lock_timeout = '2s'")
        second.execute("UPDATE resources SET name = name WHERE code = "
                       "(SELECT min(code) FROM resources)")
        second.commit()  # did not wait for the first writer's slot
        assert version_of(url) == before + 1
        first.commit()
    assert version_of(url) == before + 2


# -- answers ---------------------------------------------------------------------------------

def test_a_kept_answer_is_byte_for_byte_the_answer_without_the_cache(town, settings):
    headers = {"Accept-Encoding": "gzip"}
    with app_over(town["url"], settings) as cached, \
            app_over(town["url"], settings, response_cache_mb=0) as plain:
        assert plain["cache"] is None
        official, reference = cached["client"](username("official")), \
            plain["client"](username("official"))
        for path in town["paths"]:
            first = official.get(path, headers=headers)
            hits = cached["cache"].hits
            second = official.get(path, headers=headers)
            assert cached["cache"].hits == hits + 1, path  # the second came from memory
            truth = reference.get(path, headers=headers)
            assert first.status_code == second.status_code == truth.status_code == 200, path
            assert body(second) == body(first) == body(truth), path
            for name in ("Content-Type", "Content-Encoding", "Cache-Control", "ETag"):
                assert second.headers.get(name) == truth.headers.get(name), (path, name)
            assert second.headers.get("Content-Security-Policy")  # the guard's headers too


def test_a_kept_answer_answers_304_to_the_browser_that_holds_it(town, settings):
    path = town["paths"][0]
    with app_over(town["url"], settings) as apps:
        official = apps["client"](username("official"))
        first = official.get(path, headers={"Accept-Encoding": "gzip"})
        etag = first.headers["ETag"]
        again = official.get(path, headers={"Accept-Encoding": "gzip",
                                            "If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == etag
        other = official.get(path, headers={"Accept-Encoding": "gzip",
                                            "If-None-Match": '"not-this-one"'})
        assert other.status_code == 200 and body(other) == body(first)


def test_a_ticket_pushed_through_the_app_shows_in_the_next_kpis(town, settings):
    path = f"/api/kpis?since={TODAY.isoformat()}&until={TODAY.isoformat()}"
    with app_over(town["url"], settings) as apps:
        official, anon = apps["client"](username("official")), apps["client"](None)
        before = official.get(path).get_json()
        assert official.get(path).get_json() == before  # kept
        lat, lng = point_in_grid(town["url"], settings, town["grid_a"])
        pushed = anon.post("/api/tickets", headers=bearer(town["token"]), json={
            "source": "hotline", "category": "noise", "text": "夜间施工噪音", "lat": lat,
            "lng": lng})
        assert pushed.status_code == 201, pushed.get_json()
        after = official.get(path).get_json()
        assert after != before
        assert after == apps["client"](username("official")).get(path).get_json()


def test_a_write_from_another_connection_shows_at_once(town, settings):
    """Another worker process or an import writes: the version moves, the kept answer is not
    served again."""
    with app_over(town["url"], settings) as apps:
        official = apps["client"](username("official"))
        before = official.get("/api/mobilisation/gaps?limit=1").get_json()
        with psycopg.connect(town["url"]) as conn:
            grid = conn.execute("SELECT g.code FROM grids g WHERE EXISTS (SELECT 1 FROM staff "
                                "s WHERE s.grid_code = g.code AND s.on_duty AND s.role = "
                                "'grid_worker') ORDER BY 1 LIMIT 1").fetchone()[0]
            conn.execute("UPDATE staff SET on_duty = false WHERE grid_code = %s "
                         "AND role = 'grid_worker'", [grid])
        after = official.get("/api/mobilisation/gaps?limit=1").get_json()
        assert after["total"] == before["total"] + 1


def test_no_caller_is_served_an_answer_made_for_another_scope(town, settings):
    with app_over(town["url"], settings) as apps:
        mine = apps["client"](username("community"))
        theirs = apps["client"]("test-community-other")
        official = apps["client"](username("official"))
        for _ in range(2):  # the second round is answered from memory, each its own
            assert mine.get("/api/test-scope-echo").get_json()["communities"] == \
                [SCOPED_COMMUNITY]
            assert theirs.get("/api/test-scope-echo").get_json()["communities"] == \
                [OTHER_COMMUNITY]
            answer = official.get("/api/test-scope-echo").get_json()
            assert answer["communities"] == [] and answer["role"] == "official"
        assert apps["cache"].hits >= 3
        # the version and the answer were read on one connection
        assert answer["same_connection"] is True


def test_answers_that_follow_the_clock_are_recomputed_after_the_ttl_and_others_are_not(
        town, settings):
    fixed = f"/api/kpis?{WINDOW}"
    open_ended = "/api/kpis"  # the last 30 days up to now
    freshness = "/api/freshness?stale_days=90"  # days up to now, always
    with app_over(town["url"], settings, response_cache_ttl_s=1) as apps:
        official, cache = apps["client"](username("official")), apps["cache"]
        for path in (fixed, open_ended, freshness):
            official.get(path)
        hits = cache.hits
        for path in (fixed, open_ended, freshness):
            official.get(path)
        assert cache.hits == hits + 3
        time.sleep(1.3)
        hits, misses = cache.hits, cache.misses
        official.get(fixed)
        assert cache.hits == hits + 1  # only the data moves it
        official.get(open_ended)
        official.get(freshness)
        assert cache.hits == hits + 1 and cache.misses == misses + 2


def test_personal_answers_and_refusals_never_enter_the_cache(town, settings):
    with app_over(town["url"], settings) as apps, psycopg.connect(town["url"]) as conn:
        official = apps["client"](username("official"))
        grid, lat, lng = conn.execute(
            "SELECT code, ST_Y(ST_PointOnSurface(geom)), ST_X(ST_PointOnSurface(geom)) "
            "FROM grids ORDER BY code LIMIT 1").fetchone()
        whole = town["paths"][2].split("bbox=")[1].split("&")[0]
        cache = apps["cache"]
        for path in (f"/api/regions/grid/{grid}",
                     f"/api/roster/nearest?kind=volunteer&lat={lat}&lng={lng}&n=5",
                     f"/api/layers/cases?bbox={whole}&zoom=11",
                     "/api/kpis?since=not-a-date",
                     "/api/layers/no-such-layer?bbox=1,1,2,2&zoom=11"):
            for _ in range(2):
                answer = official.get(path)
                assert len(cache) == 0, path
            if answer.status_code == 200:
                assert answer.headers["Cache-Control"] == "no-store", path
        assert cache.hits == 0
        anon = apps["client"](None)
        assert anon.get("/api/kpis").status_code == 401
        assert len(cache) == 0


def test_simultaneous_misses_of_one_answer_share_one_computation(town, settings):
    path = town["paths"][5]  # the ranking: the costliest kept answer
    with app_over(town["url"], settings) as apps:
        clients = [apps["client"](username("official")) for _ in range(10)]
        answers: list = []
        start = threading.Barrier(len(clients))

        def ask(client: FlaskClient) -> None:
            start.wait()
            answers.append(body(client.get(path, headers={"Accept-Encoding": "gzip"})))

        threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(answers) == 10 and len(set(answers)) == 1
        assert len(apps["cache"]) == 1 and apps["cache"].hits >= 9
