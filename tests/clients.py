"""Test users (one per role, in every test database) and Flask test clients signed in as them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from flask.testing import FlaskClient

from dashboard.app import close_app, create_app
from dashboard.auth.login import form_token
from dashboard.settings import Settings
from geo.users import add_user

# The community user looks after the demo town's first community only.
SCOPED_COMMUNITY = "110112104001"
OTHER_COMMUNITY = "110112104002"
PASSWORD = "test-password-1234"
WALL_TOKEN = "test-wall-token-0123456789abcdefghijklmnopqrstuvwxyz"
TEST_USERS: dict[str, tuple[str, ...]] = {
    "admin": (), "commander": (), "official": (), "community": (SCOPED_COMMUNITY,),
}


def username(role: str) -> str:
    """The test user holding `role`."""
    return f"test-{role}"


def seed_users(conn: psycopg.Connection) -> None:
    """Create the test users (called once on the session's template database)."""
    for role, communities in TEST_USERS.items():
        add_user(conn, username(role), PASSWORD, role, communities)
    conn.execute("INSERT INTO access_tokens (token_hash, role, label, created_by)"
                 " VALUES (encode(sha256(%s::bytea), 'hex'), 'wall', 'tests', 'tests')",
                 [WALL_TOKEN.encode()])
    conn.commit()


def login_form(page_html: str, role_or_user: str, password: str = PASSWORD) -> dict[str, str]:
    """The sign-in form's fields for a test role (or a user name), with the page's form token."""
    token = form_token(page_html)
    user = username(role_or_user) if role_or_user in (*TEST_USERS, "wall") else role_or_user
    return {"csrf": token, "username": user, "password": password}


def sign_in(client: FlaskClient, user: str, password: str = PASSWORD) -> int:
    """POST the login form as a browser would (form token first); the answer's status."""
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data=login_form(page, user, password)).status_code


@contextmanager
def api_client(settings: Settings, database_url: str,
               role: str | None = "commander") -> Iterator[FlaskClient]:
    """A test client of the app over `database_url`, signed in with `role` (None: signed out)."""
    app = create_app(settings, database_url=database_url)
    try:
        client = app.server.test_client()
        if role == "wall":
            status = client.get(f"/api/kpis?token={WALL_TOKEN}").status_code
            assert status == 200, f"the test wall token was refused ({status})"
        elif role is not None:
            status = sign_in(client, username(role))
            assert status == 303, f"test user {role} could not sign in ({status})"
        yield client
    finally:
        close_app(app)
