"""Acknowledged writes survive a crash: an audited answer's audit row is there after kill -9.

Runs on its own throwaway cluster (temporary home, another port): the suite's cluster is never
killed. The app is the real one (sign-in, drill-down route, audit trail) over that cluster.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from dashboard.app import close_app, create_app
from dashboard.settings import Settings
from geo.cluster import EmbeddedCluster
from geo.database import connect, create_database, server_url
from geo.migrations import migrate
from tests.clients import seed_users, sign_in, username
from tests.ui.serving import child_pids, free_port

CRASHES = 5
SQUARE = "MULTIPOLYGON(((116.55 39.75,116.56 39.75,116.56 39.76,116.55 39.76,116.55 39.75)))"






def _crash(cluster: EmbeddedCluster) -> None:
    """kill -9 the postmaster and every backend at once: nothing gets a chance to flush."""
    pid = cluster.status().pid
    assert pid
    for victim in [pid, *child_pids(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while cluster.status().running and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # shared memory is released once the last child has gone


@pytest.fixture(scope="module")
def crash_cluster():
    """A throwaway cluster with one migrated database holding the test users and a community."""
    home = Path(tempfile.mkdtemp(prefix="gridcmd-durability-"))
    home.chmod(0o755)
    settings = Settings(home=home / "c", pg_port=free_port(), database_url=None)
    cluster = EmbeddedCluster(settings)
    cluster.start()
    create_database(server_url(settings, "postgres"), "durable")
    url = server_url(settings, "durable")
    with connect(url, settings) as conn:
        migrate(conn)
        seed_users(conn)
        conn.execute("INSERT INTO towns (code, town_code, name, geom) VALUES"
                     " ('110112104', '110112104', '测试镇', ST_GeomFromText(%s, 4326))", [SQUARE])
        conn.execute("INSERT INTO communities (code, town_code, name, kind, geom) VALUES"
                     " ('110112104001', '110112104', '测试社区', 'community',"
                     "  ST_GeomFromText(%s, 4326))", [SQUARE])
        conn.commit()
    yield cluster, settings, url
    cluster.destroy()
    shutil.rmtree(home, ignore_errors=True)


def test_cluster_commits_synchronously_by_default(crash_cluster):
    _, settings, url = crash_cluster
    with connect(url, settings) as conn:
        assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
        assert conn.execute("SHOW fsync").fetchone()[0] == "on"


def test_audit_row_of_an_answered_drilldown_survives_kill_9(crash_cluster):
    cluster, settings, url = crash_cluster
    for attempt in range(CRASHES):
        app = create_app(settings, database_url=url)
        try:
            client = app.server.test_client()
            assert sign_in(client, username("commander")) == 303
            answer = client.get(f"/api/regions/community/110112104001?since=2026-11-0{attempt + 1}")
            assert answer.status_code == 200
            _crash(cluster)  # immediately after the 200: the WAL writer has had no time
        finally:
            cluster.start()  # crash recovery replays the WAL
            close_app(app)
        with psycopg.connect(url) as conn:
            rows = conn.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'drilldown'"
                " AND target = 'community/110112104001'").fetchone()[0]
        assert rows == attempt + 1, f"crash {attempt + 1}: acknowledged audit row lost"
