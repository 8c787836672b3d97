"""Users of the dashboard: password hashes (argon2) and roles.

Repeated failures never lock an account (a stranger could lock the owner out): they are
throttled per client address in geo/login_throttle.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg import sql
from psycopg.rows import dict_row

from geo.errors import GridcmdError
from geo.web_sessions import end_user_sessions

ROLES = ("admin", "commander", "official", "community", "wall", "gridworker")
MIN_PASSWORD = 10

_hasher = PasswordHasher()
# Verifying against this keeps an unknown user name as slow as a wrong password. Hashed once,
# ahead of time, with the hasher's parameters (m=65536, t=3, p=4): hashing it at import cost
# every gridcmd process (a cold export, any CLI command) ~0.4 s of CPU before it could start.
# Should the library's defaults change, it is hashed afresh so the two still take as long.
_DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$ABJVvhVK8kvyB25oTCuWtA$"
               "jKZxgbmplGMoCw0UVtjeiJtZ52zfVt3iWI6ACqZmF7w")
if _hasher.check_needs_rehash(_DUMMY_HASH):
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
    """Replace a user's password and end every session of the user (signed in anywhere)."""
    check_password(password)
    _update(conn, username, {"password_hash": _hasher.hash(password), "failed_logins": 0,
                             "locked_until": None})
    end_user_sessions(conn, username)


def set_disabled(conn: psycopg.Connection, username: str, disabled: bool) -> None:
    """Disable (or enable again) a user; disabling ends the user's sessions at once."""
    _update(conn, username, {"disabled": disabled})
    if disabled:
        end_user_sessions(conn, username)


def _update(conn: psycopg.Connection, username: str, values: dict[str, object]) -> None:
    """Set the columns named by `values`' keys (identifiers quoted by psycopg.sql, values as
    parameters) on one user, or UserError when there is no such user."""
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
        for column in values)
    statement = sql.SQL("UPDATE users SET {}, updated_at = now() WHERE username = {}").format(
        assignments, sql.Placeholder("_username"))
    cur = conn.execute(statement, {**values, "_username": username})
    if cur.rowcount != 1:
        raise UserError(f"no user {username!r}")


def list_users(conn: psycopg.Connection) -> list[dict]:
    """Every user without the hash, by name."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT username, display_name, role, communities, grids, disabled, failed_logins,"
            " locked_until, last_login_at, created_at FROM users ORDER BY username").fetchall()


def active_user(conn: psycopg.Connection, username: str) -> User | None:
    """The user if it exists and is enabled; None otherwise."""
    row = conn.execute(
        "SELECT username, role, communities, display_name, grids FROM users"
        " WHERE username = %s AND NOT disabled", [username]).fetchone()
    return User(row[0], row[1], tuple(row[2]), row[3], tuple(row[4])) if row else None


def authenticate(conn: psycopg.Connection, username: str, password: str) -> User | None:
    """The user when name and password match an enabled account; else None.

    An unknown name is checked against a dummy hash, so it takes as long as a wrong password
    (no telling names apart by time); a failure changes nothing on the account.
    """
    row = conn.execute("SELECT password_hash, disabled FROM users WHERE username = %s",
                       [username]).fetchone()
    if row is None:
        _verify(_DUMMY_HASH, password)
        return None
    password_hash, disabled = row
    if not _verify(password_hash, password) or disabled:
        return None
    conn.execute("UPDATE users SET last_login_at = now() WHERE username = %s", [username])
    return active_user(conn, username)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def has_users(conn: psycopg.Connection) -> bool:
    """Whether any user exists (a fresh install has none until the first admin)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]
