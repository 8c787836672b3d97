"""`gridcmd user|token|audit`: accounts, wall tokens and the audit trail from the command line."""

from __future__ import annotations

import re

import psycopg
import pytest

from geo.tokens import token_role
from geo.users import authenticate
from tests.users_cli import run_cli, users_cli_on

pytestmark = pytest.mark.db

GOOD = "a-long-enough-password"


@pytest.fixture
def db_url(empty_db_url: str, monkeypatch) -> str:
    return users_cli_on(monkeypatch, empty_db_url)


def _can_sign_in(url: str, user: str, password: str) -> bool:
    with psycopg.connect(url) as conn:
        return authenticate(conn, user, password) is not None


def test_users_are_added_listed_disabled_and_given_new_passwords(db_url):
    result = run_cli("user", "add", "wang", "--role", "commander", "--password-stdin", stdin=GOOD)
    assert result.exit_code == 0, result.output
    assert _can_sign_in(db_url, "wang", GOOD)
    listing = run_cli("user", "list").output
    assert "wang" in listing and "commander" in listing and "正常 active" in listing
    assert run_cli("user", "disable", "wang").exit_code == 0
    assert not _can_sign_in(db_url, "wang", GOOD)
    assert "停用 disabled" in run_cli("user", "list").output
    assert run_cli("user", "disable", "wang", "--enable").exit_code == 0
    result = run_cli("user", "passwd", "wang", "--password-stdin", stdin="another-password-1")
    assert result.exit_code == 0
    assert not _can_sign_in(db_url, "wang", GOOD)
    assert _can_sign_in(db_url, "wang", "another-password-1")


@pytest.mark.parametrize("args,stdin,message", [
    (("user", "add", "li", "--role", "commander", "--password-stdin"), "short", "too short"),
    (("user", "add", "li", "--role", "community", "--password-stdin"), GOOD, "--community"),
    (("user", "add", "bad name!", "--role", "commander", "--password-stdin"), GOOD, "user name"),
    (("user", "disable", "nobody"), None, "no user"),
])
def test_bad_user_commands_say_why_and_change_nothing(db_url, args, stdin, message):
    with psycopg.connect(db_url) as conn:
        before = conn.execute("SELECT array_agg(username ORDER BY username) FROM users").fetchone()
    result = run_cli(*args, stdin=stdin)
    assert result.exit_code == 1
    assert message in result.output
    with psycopg.connect(db_url) as conn:
        after = conn.execute("SELECT array_agg(username ORDER BY username) FROM users").fetchone()
    assert after == before


def test_a_duplicate_user_is_refused(db_url):
    assert run_cli("user", "add", "wang", "--role", "official", "--password-stdin",
                stdin=GOOD).exit_code == 0
    result = run_cli("user", "add", "wang", "--role", "admin", "--password-stdin", stdin=GOOD)
    assert result.exit_code == 1 and "exists already" in result.output


def test_wall_tokens_are_shown_once_and_can_be_revoked(db_url):
    result = run_cli("token", "create", "--role", "wall", "--label", "大厅")
    assert result.exit_code == 0, result.output
    token = re.search(r"/wall/\?token=(\S+)", result.output).group(1)
    with psycopg.connect(db_url) as conn:
        token_id, role = token_role(conn, token)
        stored = conn.execute("SELECT token_hash FROM access_tokens").fetchone()[0]
    assert role == "wall" and token not in stored
    assert "大厅" in run_cli("token", "list").output
    assert run_cli("token", "revoke", str(token_id)).exit_code == 0
    with psycopg.connect(db_url) as conn:
        assert token_role(conn, token) is None
    assert run_cli("token", "revoke", str(token_id)).exit_code == 1


def test_the_audit_trail_lists_admin_actions_and_filters(db_url):
    run_cli("user", "add", "wang", "--role", "commander", "--password-stdin", stdin=GOOD)
    run_cli("token", "create", "--role", "wall")
    everything = run_cli("audit").output
    assert "user_admin" in everything and "token_admin" in everything and "2 条" in everything
    only_users = run_cli("audit", "--action", "user_admin").output
    assert "token_admin" not in only_users and "1 条" in only_users
    assert "0 条" in run_cli("audit", "--since", "2999-01-01").output
    assert run_cli("audit", "--since", "last week").exit_code == 2
    assert run_cli("audit", "--action", "delete").exit_code == 2
