"""The embedded cluster: idempotent start, truthful status, crash recovery, clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from dashboard.settings import Settings
from geo.cluster import EmbeddedCluster
from geo.database import server_url
from geo.errors import ClusterError

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def own_home():
    """A home folder the unprivileged server user can enter (pytest's tmp dirs are 0700)."""
    home = Path(tempfile.mkdtemp(prefix="gridcmd-cluster-test-"))
    home.chmod(0o755)
    yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(own_home: Path):
    """A second, throwaway cluster on its own port, so the suite's cluster is never touched."""
    settings = Settings(home=own_home / "c", pg_port=_free_port(), database_url=None)
    c = EmbeddedCluster(settings)
    yield c
    c.destroy()


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCMD_")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "dashboard.cli", *args], capture_output=True,
                          text=True, env=full_env, cwd=REPO, timeout=120, check=False)


def test_start_twice_is_harmless_and_status_tells_the_truth(cluster: EmbeddedCluster):
    first = cluster.start()
    again = cluster.start()
    assert first.running and again.running
    assert first.pid == again.pid
    cluster.stop()
    assert not cluster.status().running
    assert cluster.start().running


def test_url_is_accepted_by_psycopg_and_psql(cluster: EmbeddedCluster):
    cluster.start()
    url = server_url(cluster.settings, "postgres")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    psql = shutil.which("psql")
    if psql:  # the client ships with the server packages the Makefile installs
        out = subprocess.run([psql, url, "-tAc", "SELECT 2"], capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip() == "2"


def test_crash_leaves_a_stale_pid_file_that_start_recovers(cluster: EmbeddedCluster):
    status = cluster.start()
    os.kill(status.pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while cluster.status().running and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (cluster.data_dir / "postmaster.pid").exists(), "a crash leaves its pid file behind"
    assert not cluster.status().running
    # children notice the dead postmaster and exit; shared memory is then free again
    time.sleep(1.0)
    recovered = cluster.start()
    assert recovered.running and recovered.pid != status.pid


def test_pid_file_naming_a_foreign_process_is_recovered(cluster: EmbeddedCluster):
    cluster.stop()
    pid_file = cluster.data_dir / "postmaster.pid"
    pid_file.write_text(f"{os.getpid()}\n{cluster.data_dir}\n")
    assert cluster.start().running


def test_missing_postgresql_says_what_to_install(own_home: Path):
    settings = Settings(home=own_home / "none", pg_bin=Path("/nonexistent/bin"))
    with pytest.raises(ClusterError, match="apt-get install"):
        EmbeddedCluster(settings).start()
    result = _cli("db", "start", GRIDCMD_PG_BIN="/nonexistent/bin",
                  GRIDCMD_HOME=str(own_home / "none"))
    assert result.returncode == 1
    assert "apt-get install" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_database_url_names_the_host():
    result = _cli("db", "status", GRIDCMD_DATABASE_URL="postgresql://gridcmd@127.0.0.1:1/gridcmd")
    assert result.returncode == 1
    assert "127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_status_exit_code_when_stopped(own_home: Path):
    result = _cli("db", "status", GRIDCMD_HOME=str(own_home / "never"), GRIDCMD_PG_PORT="1")
    assert result.returncode == 3
    assert "not initialised" in result.stdout
