"""The read replica (issue 16.5), with real processes: a throwaway embedded cluster, a streaming
replica cloned from it by `gridcmd db replica start` (pg_basebackup -R) on another port, and the
app over both. What a read answers proves where it was served: while the replica's replay is
paused, a ticket written on the primary is counted only by reads served from the primary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from dashboard.app import close_app, create_app
from dashboard.cli import main
from dashboard.read_your_writes import COOKIE
from dashboard.settings import Settings, get_settings
from geo.bootstrap import ensure_database
from geo.cluster import EmbeddedCluster
from geo.h3shapes import refresh_cell_shapes
from tests.clients import seed_users, sign_in, username
from tests.db.import_town import POINT, TOWN_BOX, seed_town
from tests.ui.serving import free_port

pytestmark = pytest.mark.db

REPO = Path(__file__).resolve().parents[2]
BBOX = ",".join(str(v) for v in TOWN_BOX)


def _cli(home: Path, port: int, *args: str, group: str = "db",
         **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCMD_")}
    env.update(GRIDCMD_HOME=str(home), GRIDCMD_PG_PORT=str(port), **extra)
    return subprocess.run([sys.executable, "-m", "dashboard.cli", group, *args],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
                          check=False)


def _one(url: str, query: str):
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query).fetchone()[0]


@pytest.fixture(scope="module")
def pair():
    """A primary (embedded cluster, demo-free: one hand-made town) and its streaming replica."""
    home = Path(tempfile.mkdtemp(prefix="gridcmd-replica-test-"))
    home.chmod(0o755)  # the unprivileged server user must enter it (pytest's tmp is 0700)
    settings = Settings(home=home / "c", pg_port=free_port(), database_url=None,
                        replica_url=None)
    cluster = EmbeddedCluster(settings)
    replica_port = free_port()
    try:
        primary_url = ensure_database(settings)
        with psycopg.connect(primary_url) as conn:
            seed_users(conn)
        seed_town(primary_url)
        with psycopg.connect(primary_url) as conn:
            refresh_cell_shapes(conn)  # H3 outlines around the town's building (H3 answers)
        started = _cli(settings.home, settings.pg_port, "replica", "start", "--port",
                       str(replica_port))
        assert started.returncode == 0, started.stderr
        replica_url = f"postgresql://postgres@127.0.0.1:{replica_port}/gridcmd"
        assert f"GRIDCMD_REPLICA_URL={replica_url}" in started.stdout
        yield {"home": settings.home, "port": settings.pg_port, "settings": settings,
               "primary": primary_url, "replica": replica_url, "replica_port": replica_port}
    finally:
        _cli(settings.home, settings.pg_port, "replica", "stop", "--port", str(replica_port))
        cluster.destroy()
        shutil.rmtree(home, ignore_errors=True)


def _caught_up(pair, timeout_s: float = 20) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    target = _one(pair["primary"], "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if _one(pair["replica"], f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def _router_sees_replay(pair, client, timeout_s: float = 20) -> None:
    """Wait until the app's replica probe reports the (paused) replica's replay position."""
    paused_at = _one(pair["replica"], "SELECT pg_last_wal_replay_lsn()::text")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        seen = client.get("/healthz").get_json().get("replica", {}).get("replay_lsn")
        if seen is not None and seen.upper() == paused_at.upper():
            return
        time.sleep(0.05)
    raise AssertionError(f"the probe did not report replay position {paused_at}")


def _app(pair, **replica):
    settings = pair["settings"].model_copy(update=replica)
    return create_app(settings, database_url=pair["primary"])


def _client(app, role: str = "commander"):
    client = app.server.test_client()
    assert sign_in(client, username(role)) == 303
    return client


def _received(client) -> int:
    answer = client.get("/api/kpis")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["tickets_received"]


def _tickets_on_layer(client) -> int:
    answer = client.get(f"/api/layers/tickets?bbox={BBOX}&zoom=15")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return len(answer.get_json()["features"])


def _ogc_tickets(client) -> int:
    answer = client.get("/ogc/collections/tickets/items?limit=100")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_json()["numberMatched"]


def _h3_ticket_cells(client) -> int:
    answer = client.get(f"/api/h3/tickets?res=8&bbox={BBOX}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return len(answer.get_json()["features"])


def _push_ticket(client, text: str):
    answer = client.post("/api/tickets", json={"source": "hotline", "category": "noise",
                                               "text": text, "lat": POINT[1], "lng": POINT[0]})
    assert answer.status_code == 201, answer.get_json()
    return answer


def test_the_replica_is_a_streaming_copy(pair):
    assert _one(pair["replica"], "SELECT pg_is_in_recovery()") is True
    assert _one(pair["primary"], "SELECT pg_is_in_recovery()") is False
    assert _one(pair["primary"], "SELECT count(*) FROM pg_stat_replication "
                                 "WHERE state = 'streaming'") == 1


def test_reads_go_to_the_replica_and_a_writer_reads_its_own_write(pair):
    app = _app(pair, replica_url=pair["replica"], replica_max_lag_s=600, replica_check_s=0.1)
    try:
        writer, reader = _client(app), _client(app)
        _caught_up(pair)  # the sign-ins (session rows) are on the replica
        _one(pair["replica"], "SELECT pg_wal_replay_pause()::text")
        try:
            # The sign-ins were writes: each browser's reads stay on the primary until the
            # router's probe has seen the replica replay past them (read-your-writes).
            _router_sees_replay(pair, reader)
            before = _received(reader)
            assert before == 0  # the module's first ticket
            answer = _push_ticket(writer, "replica test: written on the primary")
            assert COOKIE in answer.headers.get("Set-Cookie", "")
            # The primary has the ticket; the paused replica does not.
            assert _one(pair["primary"], "SELECT count(*) FROM incidents") == before + 1
            # The writer's reads right after its write see it (served by the primary) …
            assert _received(writer) == before + 1
            assert _tickets_on_layer(writer) == before + 1
            assert _ogc_tickets(writer) == before + 1
            assert _h3_ticket_cells(writer) == 1
            # … everyone else's reads are served by the replica, which has not replayed it.
            assert _received(reader) == before
            assert _tickets_on_layer(reader) == before
            assert _ogc_tickets(reader) == before
            assert _h3_ticket_cells(reader) == 0
            perf = reader.get("/api/performance?level=grid")
            assert perf.status_code == 200
            # A hostile or stale marker never breaks a read: it is ignored (replica) or only
            # sends one's own reads to the primary.
            for bad in ("garbage", "0/0~x", "1/2~3~4", "G/1~1", "F" * 300,
                        f"0/1~{int(time.time()) - 3600}", f"0/1~{int(time.time()) + 3600}"):
                reader.set_cookie(COOKIE, bad)
                assert _received(reader) == before, bad
            reader.set_cookie(COOKIE, f"FFFFFFFF/FFFFFFFF~{int(time.time())}")
            assert _received(reader) == before + 1  # a forged marker: the primary, no harm
            reader.delete_cookie(COOKIE)
            # Signed in, /healthz shows the replica serving; signed out, nothing about it.
            health = reader.get("/healthz").get_json()["replica"]
            assert health["state"] == "up" and health["serving_reads"] is True
            assert health["replay_paused"] is True
            assert "replica" not in app.server.test_client().get("/healthz").get_json()
        finally:
            _one(pair["replica"], "SELECT pg_wal_replay_resume()::text")
        _caught_up(pair)
        time.sleep(0.2)  # the router's cached state (check every 0.1 s)
        assert _received(reader) == before + 1  # replayed: the replica has it now
    finally:
        close_app(app)


LAG_BOUND_S = 2.0  # long enough for one push under load, short for the test


def test_a_replica_lagging_beyond_the_bound_is_not_read(pair):
    app = _app(pair, replica_url=pair["replica"], replica_max_lag_s=LAG_BOUND_S,
               replica_check_s=0.1)
    try:
        writer, reader = _client(app), _client(app)
        # a fresh commit, replayed, and a few probes that see it: the lag starts near zero
        # (an idle primary's last commit may be older than the bound)
        _one(pair["primary"], "SELECT txid_current()::text")
        _caught_up(pair)
        time.sleep(0.5)
        _one(pair["replica"], "SELECT pg_wal_replay_pause()::text")
        try:
            before = _received(reader)  # served by the replica (paused, not yet behind)
            assert reader.get("/healthz").get_json()["replica"]["state"] == "up"
            _push_ticket(writer, "replica test: lag")
            assert _received(reader) == before  # within the bound: the replica still serves
            # the replica falls behind the bound; the probe (every 0.1 s) notices — how soon
            # depends on the machine's load, so wait for it rather than for a fixed time
            deadline = time.monotonic() + 20
            health = reader.get("/healthz").get_json()["replica"]
            while health["state"] != "lagging" and time.monotonic() < deadline:
                time.sleep(0.2)
                health = reader.get("/healthz").get_json()["replica"]
            assert health["state"] == "lagging" and health["serving_reads"] is False
            assert health["lag_s"] > LAG_BOUND_S
            assert _received(reader) == before + 1  # fallback: the primary answers
        finally:
            _one(pair["replica"], "SELECT pg_wal_replay_resume()::text")
        _caught_up(pair)
        time.sleep(0.2)
        assert reader.get("/healthz").get_json()["replica"]["state"] == "up"
    finally:
        close_app(app)


def test_without_the_setting_nothing_changes(pair):
    app = _app(pair, replica_url=None)
    try:
        client = _client(app)
        answer = _push_ticket(client, "replica test: primary only")
        assert COOKIE not in answer.headers.get("Set-Cookie", "")
        assert _received(client) == _one(pair["primary"], "SELECT count(*) FROM incidents")
        assert "replica" not in client.get("/healthz").get_json()
    finally:
        close_app(app)


def _in_process(home: Path, port: int, *args: str, **env: str):
    """The CLI in this process (no interpreter start-up under load), with its own settings."""
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(main, list(args), env={
            "GRIDCMD_HOME": str(home), "GRIDCMD_PG_PORT": str(port),
            "GRIDCMD_DATABASE_URL": "", **env})
    finally:
        get_settings.cache_clear()


def test_the_cli_refuses_bad_ports(pair):
    home, port = pair["home"], pair["port"]
    same = _in_process(home, port, "db", "replica", "start", "--port", str(port))
    assert same.exit_code == 1 and "port of its own" in same.output
    low = _in_process(home, port, "db", "replica", "start", "--port", "80")
    assert low.exit_code == 2 and "80" in low.output
    status = _in_process(home, port, "db", "replica", "status", "--port",
                         str(pair["replica_port"]))
    assert status.exit_code == 0 and "running" in status.output
    # No running primary to clone: a clear error, and no half-made replica folder.
    empty = Path(tempfile.mkdtemp(prefix="gridcmd-replica-none-"))
    try:
        orphan = _in_process(empty, free_port(), "db", "replica", "start", "--port",
                             str(free_port()))
        assert orphan.exit_code == 1 and "gridcmd db start" in orphan.output
        assert not (empty / "replica").exists()
    finally:
        shutil.rmtree(empty, ignore_errors=True)


def test_the_bench_times_both_sides_and_refuses_without_a_replica(pair):
    ran = _cli(pair["home"], pair["port"], "replica", "--runs", "5", "--path", "/api/kpis",
               group="bench", GRIDCMD_REPLICA_URL=pair["replica"])
    assert ran.returncode == 0, ran.stderr
    assert "/api/kpis" in ran.stdout and "replica p50" in ran.stdout
    assert "state up" in ran.stdout and "load average" in ran.stdout
    # Refusals come before any connection: asked in this process (no start-up cost).
    for url, args, said in (
        ("", [], "GRIDCMD_REPLICA_URL"),
        (pair["replica"], ["--path", "http://evil.example/"], "/api/"),
        (pair["replica"], ["--path", "/api/kpis\r\nX: 1"], "/api/"),
    ):
        result = _in_process(pair["home"], pair["port"], "bench", "replica", *args,
                             GRIDCMD_REPLICA_URL=url)
        assert result.exit_code == 1 and said in result.output, result.output


def test_a_stopped_replica_sends_reads_to_the_primary(pair):
    """Last in the module: it stops the replica."""
    app = _app(pair, replica_url=pair["replica"], replica_max_lag_s=5, replica_check_s=0.1)
    try:
        client = _client(app)
        _caught_up(pair)
        time.sleep(0.3)  # past this user's own sign-in marker on the replica's side too
        expected = _one(pair["primary"], "SELECT count(*) FROM incidents")
        assert _received(client) == expected
        assert client.get("/healthz").get_json()["replica"]["state"] == "up"
        stopped = _cli(pair["home"], pair["port"], "replica", "stop", "--port",
                       str(pair["replica_port"]))
        assert stopped.returncode == 0, stopped.stderr
        for _ in range(5):  # every read answers, at once and later
            started = time.monotonic()
            assert _received(client) == expected
            assert _tickets_on_layer(client) == expected
            assert time.monotonic() - started < 5
        health = client.get("/healthz")
        assert health.status_code == 200  # the primary is fine: healthy
        assert health.get_json()["replica"]["state"] == "down"
        assert health.get_json()["replica"]["serving_reads"] is False
        status = _cli(pair["home"], pair["port"], "replica", "status", "--port",
                      str(pair["replica_port"]))
        assert status.returncode == 3 and "stopped" in status.stdout
    finally:
        close_app(app)
