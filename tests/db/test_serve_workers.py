"""`gridcmd serve --workers 2`: two gunicorn worker processes behind one socket share what must
be shared (sessions and the sign-in throttle in PostgreSQL)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from dashboard.auth.login import form_token
from tests.clients import PASSWORD, username
from tests.ui.serving import REPO, child_pids, free_port, wait_healthy

pytestmark = pytest.mark.db




def _request(port: int, method: str, path: str, body: dict | None = None,
             cookie: str = "") -> tuple[int, dict[str, str], str]:
    """One request on a fresh connection (so the kernel may hand it to either worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    answer = conn.getresponse()
    text = answer.read().decode("utf-8", "replace")
    conn.close()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, text


def _login(port: int, user: str, password: str) -> tuple[int, str]:
    status, headers, page = _request(port, "GET", "/login")
    cookie = headers.get("set-cookie", "").split(";")[0]
    status, headers, _ = _request(port, "POST", "/login", {
        "csrf": form_token(page), "username": user, "password": password}, cookie)
    return status, headers.get("set-cookie", "").split(";")[0] or cookie


@pytest.fixture
def two_workers(empty_db_url: str, tmp_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCMD_")}
    env.update({"GRIDCMD_DATABASE_URL": empty_db_url, "GRIDCMD_HOME": str(tmp_path),
                "GRIDCMD_POOL_MAX": "2"})
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen(  # our own server, stopped by its process group below
            [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port),
             "--workers", "2"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=90)
        yield port, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_two_worker_processes_share_sessions_and_the_sign_in_throttle(two_workers,
                                                                     empty_db_url):
    port, proc = two_workers
    deadline = time.monotonic() + 30
    while len(child_pids(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(child_pids(proc.pid)) == 2  # the gunicorn master's two workers
    # a session made by whichever worker answered the login is good on every connection
    status, cookie = _login(port, username("commander"), PASSWORD)
    assert status == 303 and cookie.startswith("gridcmd_session=")
    answers = [_request(port, "GET", "/api/kpis", cookie=cookie)[0] for _ in range(16)]
    assert answers == [200] * 16
    # failures spread over fresh connections (either worker) start the address+name wait,
    # which every worker then applies, even to the right password
    for _ in range(3):
        assert _login(port, username("official"), "wrong-password")[0] == 401
    assert [_login(port, username("official"), PASSWORD)[0] for _ in range(2)] == [429] * 2
    with psycopg.connect(empty_db_url) as conn:
        blocked = conn.execute("SELECT count(*) FROM login_throttle"
                               " WHERE blocked_until > now()").fetchone()[0]
    assert blocked >= 1
