"""Server-side sessions (issue 17, item 4): an opaque id in the cookie, ended at sign-out, at a
password change and at disabling, an absolute lifetime, Secure over HTTPS."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from dashboard import cli
from dashboard.app import close_app, create_app
from dashboard.auth.sessions import COOKIE
from dashboard.cli import users_cmd as cli_users
from dashboard.settings import Settings
from geo.database import drop_database
from tests.clients import api_client, login_form, sign_in, username
from tests.conftest import _clone

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def users_db_url(admin_url: str, empty_template: str, settings: Settings) -> Iterator[str]:
    """A migrated database holding the test users, shared by this module (sessions only)."""
    name, url = _clone(admin_url, empty_template, settings)
    yield url
    drop_database(admin_url, name)


def _cookie(client) -> str:
    found = client.get_cookie(COOKIE)
    assert found is not None, "no session cookie was set"
    return found.value


def _signed_in_as(settings: Settings, url: str, cookie: str) -> int:
    """Status of an aggregate route for a fresh client carrying only `cookie`."""
    app = create_app(settings, database_url=url)
    try:
        client = app.server.test_client()
        client.set_cookie(COOKIE, cookie)
        return client.get("/api/layers").status_code
    finally:
        close_app(app)


def test_the_cookie_is_an_opaque_id_with_no_role_communities_or_form_token(settings,
                                                                           users_db_url):
    with api_client(settings, users_db_url, "community") as client:
        cookie = _cookie(client)
        page = client.get("/login").get_data(as_text=True)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie), cookie
    token = login_form(page, "community")["csrf"]
    readable = cookie + base64.urlsafe_b64decode(cookie + "=").decode("latin-1")
    for secret in ("community", "110112104001", token, username("community")):
        assert secret not in readable


def test_a_cookie_copied_before_sign_out_no_longer_works(settings, users_db_url):
    with api_client(settings, users_db_url, "commander") as client:
        copied = _cookie(client)
        assert client.get("/api/layers").status_code == 200
        token = login_form(client.get("/login").get_data(as_text=True), "commander")["csrf"]
        assert client.post("/logout", data={"csrf": token}).status_code == 303
    assert _signed_in_as(settings, users_db_url, copied) == 401


def test_a_password_change_ends_the_users_sessions(settings, users_db_url, monkeypatch):
    monkeypatch.setattr(cli_users, "get_settings", lambda: Settings(database_url=users_db_url))
    with api_client(settings, users_db_url, "official") as client:
        assert client.get("/api/layers").status_code == 200
        new_password = "a-brand-new-password-1"
        result = CliRunner().invoke(cli.main, ["user", "passwd", username("official"),
                                               "--password-stdin"], input=new_password)
        assert result.exit_code == 0, result.output
        assert client.get("/api/layers").status_code == 401
        assert sign_in(client, username("official"), new_password) == 303
        assert client.get("/api/layers").status_code == 200


def test_the_absolute_lifetime_ends_a_session_that_keeps_being_used(settings, users_db_url):
    short = settings.model_copy(update={"session_max_hours": 3 / 3600})  # three seconds
    with api_client(short, users_db_url, "admin") as client:
        started = time.monotonic()
        statuses = []
        while time.monotonic() - started < 5:
            statuses.append((round(time.monotonic() - started, 1),
                             client.get("/api/layers").status_code))
            time.sleep(0.25)
    assert statuses[0][1] == 200
    assert all(status == 200 for at, status in statuses if at < 2), statuses
    assert all(status == 401 for at, status in statuses if at > 3.5), statuses


@pytest.mark.parametrize("base_url,configured,secure", [
    ("http://localhost", None, False),
    ("https://localhost", None, True),
    ("http://localhost", True, True),
])
def test_the_cookie_is_secure_over_https_or_when_configured(settings, users_db_url, base_url,
                                                            configured, secure):
    app = create_app(settings.model_copy(update={"cookie_secure": configured}),
                     database_url=users_db_url)
    try:
        client = app.server.test_client()
        page = client.get("/login", base_url=base_url).get_data(as_text=True)
        answer = client.post("/login", base_url=base_url,
                             data=login_form(page, "commander"))
        assert answer.status_code == 303
        set_cookie = answer.headers["Set-Cookie"]
    finally:
        close_app(app)
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert ("; Secure" in set_cookie) is secure, set_cookie
