"""Users of the dashboard: password hashes (argon2), roles, lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.rows import dict_row

from geo.errors import GridcmdError

ROLES = ("admin", "commander", "official", "community", "wall", "gridworker")
MIN_PASSWORD = 10
MAX_FAILURES = 5  # failed logins in a row before the account locks
LOCK_FOR = timedelta(minutes=15)

_hasher = PasswordHasher()
# Verifying against this keeps an unknown user name as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("gridcmd-no-such-user")


class UserError(GridcmdError):
    """A user command that cannot be done (unknown user, weak password, bad role …)."""


@dataclass(frozen=True)
class User:
    """A signed-in user as the app sees it (never the hash)."""

    username: str
    role: str
    communities: tuple[str, ...] = ()
    display_name: str | None = None
    grids: tuple[str, ...] = ()       # a grid worker's grids (网格), the tickets it acts on


def check_password(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short: at least {MIN_PASSWORD} characters")


def _check_role(role: str, communities: tuple[str, ...], grids: tuple[str, ...]) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if role == "community" and not communities:
        raise UserError("a community user needs at least one --community CODE")
    if role == "gridworker" and not grids:
        raise UserError("a grid worker needs at least one --grid CODE")


def add_user(conn: psycopg.Connection, username: str, password: str, role: str,
             communities: tuple[str, ...] = (), display_name: str | None = None,
             grids: tuple[str, ...] = ()) -> User:
    """Create a user; UserError when the name is taken or the role/password is not allowed."""
    _check_role(role, communities, grids)
    check_password(password)
    if grids:
        known = {row[0] for row in conn.execute(
            "SELECT code FROM grids WHERE code = ANY(%s)", [list(grids)])}
        unknown = [code for code in grids if code not in known]
        if unknown:
            raise UserError(f"unknown grid {unknown[0]!r} (--grid takes a grid code)")
    try:
        conn.execute(
            "INSERT INTO users (username, display_name, password_hash, role, communities, grids)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [username, display_name, _hasher.hash(password), role, list(communities),
             list(grids)])
    except psycopg.errors.UniqueViolation as exc:
        raise UserError(f"user {username!r} exists already") from exc
    except psycopg.errors.CheckViolation as exc:
        raise UserError(f"user name {username!r}: 2-64 letters, digits, _ . @ -") from exc
    return User(username, role, tuple(communities), display_name, tuple(grids))


def set_password(conn: psycopg.Connection, username: str, password: str) -> None:
    """Replace a user's password and clear any lockout."""
    check_password(password)
    _update(conn, username, "password_hash = %s, failed_logins = 0, locked_until = NULL",
            [_hasher.hash(password)])


def set_disabled(conn: psycopg.Connection, username: str, disabled: bool) -> None:
    """Disable (or enable again) a user; a disabled user's sessions end at their next request."""
    _update(conn, username, "disabled = %s", [disabled])


def _update(conn: psycopg.Connection, username: str, assignments: str, values: list) -> None:
    cur = conn.execute(f"UPDATE users SET {assignments}, updated_at = now() WHERE username = %s",
                       [*values, username])
    if cur.rowcount != 1:
        raise UserError(f"no user {username!r}")


def list_users(conn: psycopg.Connection) -> list[dict]:
    """Every user without the hash, by name."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT username, display_name, role, communities, grids, disabled, failed_logins,"
            " locked_until, last_login_at, created_at FROM users ORDER BY username").fetchall()


def active_user(conn: psycopg.Connection, username: str) -> User | None:
    """The user if it exists, is enabled and not locked; None otherwise."""
    row = conn.execute(
        "SELECT username, role, communities, display_name, grids FROM users"
        " WHERE username = %s AND NOT disabled AND (locked_until IS NULL OR locked_until < now())",
        [username]).fetchone()
    return User(row[0], row[1], tuple(row[2]), row[3], tuple(row[4])) if row else None


def authenticate(conn: psycopg.Connection, username: str, password: str) -> User | None:
    """The user when name and password match an enabled, unlocked account; else None.

    Each failure counts; the MAX_FAILURES-th in a row locks the account for LOCK_FOR.
    """
    row = conn.execute(
        "SELECT password_hash, disabled, locked_until > now() FROM users WHERE username = %s",
        [username]).fetchone()
    if row is None:
        _verify(_DUMMY_HASH, password)
        return None
    password_hash, disabled, locked = row
    if not _verify(password_hash, password) or disabled or locked:
        if not disabled and not locked:
            conn.execute(
                "UPDATE users SET failed_logins = failed_logins + 1,"
                " locked_until = CASE WHEN failed_logins + 1 >= %s THEN now() + %s END"
                " WHERE username = %s", [MAX_FAILURES, LOCK_FOR, username])
        return None
    conn.execute("UPDATE users SET failed_logins = 0, locked_until = NULL,"
                 " last_login_at = now() WHERE username = %s", [username])
    return active_user(conn, username)


def is_locked(conn: psycopg.Connection, username: str) -> bool:
    """Whether the account is locked right now (for the login page's message)."""
    row = conn.execute("SELECT locked_until > now() FROM users WHERE username = %s",
                       [username]).fetchone()
    return bool(row and row[0])


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def has_users(conn: psycopg.Connection) -> bool:
    """Whether any user exists (a fresh install has none until the first admin)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]
