"""When the database goes away (issue 17, item 13): /healthz answers 503 within 3 s under load,
`gridcmd db start` right after a crash starts cleanly, and an import cut off says so."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
from click.testing import CliRunner

from dashboard import cli
from dashboard.settings import Settings
from geo.cluster import EmbeddedCluster
from geo.importing.pipeline import ImportFailed, run_import
from tests.clients import login_form
from tests.db.import_town import incident_rows, seed_town
from tests.ui.serving import free_port, serve

pytestmark = pytest.mark.db


class CuttableProxy:
    """A loopback TCP relay to PostgreSQL that can be cut like a crashed server: every
    connection reset, new ones refused."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.down = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.down:  # accepted just before the cut: it goes down with the rest
                    client.close()
                    upstream.close()
                    continue
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """The database 'crashes': refuse new connections, reset the open ones."""
        self.listener.close()
        with self.lock:
            self.down = True
            for s in self.sockets:
                with contextlib.suppress(OSError):  # wakes the relays; the peer sees EOF
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


def _via(url: str, port: int) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}").geturl()


def test_healthz_answers_503_within_3_s_during_an_outage_under_load(demo_db_url, tmp_path):
    proxy = CuttableProxy(urlsplit(demo_db_url).port)
    with serve(_via(demo_db_url, proxy.port), tmp_path / "serve.log", pool_max="4") as base:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login", timeout=30).read().decode()
        opener.open(f"{base}/login", data=urlencode(login_form(page, "commander")).encode(),
                    timeout=30).read()
        stop = threading.Event()

        def load() -> None:  # 12 signed-in clients on a 4-thread, 4-connection server
            while not stop.is_set():
                with contextlib.suppress(urllib.error.URLError, OSError):
                    opener.open(f"{base}/api/kpis", timeout=30).read()

        workers = [threading.Thread(target=load, daemon=True) for _ in range(12)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(2)
            proxy.cut()
            time.sleep(0.5)
            answers = []
            for _ in range(3):
                started = time.monotonic()
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=20).read()
                    status = 200
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except (urllib.error.URLError, OSError):
                    status = 0
                answers.append((status, round(time.monotonic() - started, 2)))
        finally:
            stop.set()
    assert all(status == 503 and seconds < 3 for status, seconds in answers), answers


def test_an_import_cut_off_by_a_lost_connection_says_so(empty_db_url, tmp_path):
    demo_db_url = empty_db_url
    seed_town(demo_db_url)
    path = tmp_path / "incidents.csv"
    incident_rows(3).to_csv(path, index=False)

    def lose_connection(stage: str) -> None:
        if stage.startswith("writing"):  # the server ends the import's session mid-way
            with psycopg.connect(demo_db_url, autocommit=True) as conn:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = current_database() AND pid <> pg_backend_pid()")

    with pytest.raises(ImportFailed) as failed:
        run_import(demo_db_url, "incidents", path, town_code="110112104", step=lose_connection)
    message = str(failed.value)
    assert "connection to the database was lost" in message and "nothing was written" in message
    assert "fix the file" not in message
    with psycopg.connect(demo_db_url) as conn:
        assert conn.execute("SELECT count(*) FROM incidents WHERE code LIKE 'I%'"
                            ).fetchone()[0] == 0


def test_db_start_right_after_a_crash_starts_cleanly(monkeypatch):
    # Its own throwaway cluster: a temporary GRIDCMD_HOME on another port. The commands run
    # in this process, so `db start` follows the kill within milliseconds, while the killed
    # postmaster is still a zombie and its backends still hold the shared memory.
    home = Path(tempfile.mkdtemp(prefix="gridcmd-crash-", dir="/tmp"))
    os.chmod(home, 0o755)
    settings = Settings(home=home, pg_port=free_port(), database_url=None)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    runner = CliRunner()
    try:
        first = runner.invoke(cli.main, ["db", "start"])
        assert first.exit_code == 0, first.output
        pid = int((home / "pgdata" / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)  # a crash: no shutdown, pid file and backends left over
        again = runner.invoke(cli.main, ["db", "start"])
        assert again.exit_code == 0, again.output
        assert "database ready" in again.output and "GRIDCMD_DATABASE_URL" not in again.output
        assert runner.invoke(cli.main, ["db", "status"]).exit_code == 0
    finally:
        EmbeddedCluster(settings).stop()
        shutil.rmtree(home, ignore_errors=True)
