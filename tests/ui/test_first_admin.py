"""A fresh install: the first `gridcmd serve` on a database without users makes `admin` with a
random password, shown once and kept in a 0600 file, and that password signs in."""

from __future__ import annotations

import re
import stat
import urllib.request

import psycopg
import pytest

from dashboard.auth.login import form_token
from tests.ui.serving import serve

pytestmark = pytest.mark.ui


def test_first_serve_creates_the_admin_once(empty_db_url, tmp_path):
    with psycopg.connect(empty_db_url) as conn:
        conn.execute("DELETE FROM users")
    log = tmp_path / "serve.log"
    with serve(empty_db_url, log, home=str(tmp_path)) as base:
        note = tmp_path / "initial-admin-password"
        password = note.read_text().strip()
        assert stat.S_IMODE(note.stat().st_mode) == 0o600
        assert re.search(rf"admin.*{re.escape(password)}", log.read_text())
        jar = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = jar.open(f"{base}/login").read().decode()
        token = form_token(page)
        form = f"csrf={token}&username=admin&password={password}".encode()
        assert jar.open(f"{base}/login", data=form).status == 200  # followed to the map page
        assert jar.open(f"{base}/api/kpis").status == 200
    with psycopg.connect(empty_db_url) as conn:
        users = conn.execute("SELECT username, role FROM users").fetchall()
    assert users == [("admin", "admin")]
    # A second start finds a user and creates nothing.
    with serve(empty_db_url, tmp_path / "again.log", home=str(tmp_path)):
        assert "initial" not in (tmp_path / "again.log").read_text()
