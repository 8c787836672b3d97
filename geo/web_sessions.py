"""Server-side sessions: a random id in the browser's cookie, everything else in PostgreSQL."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import psycopg

from geo.sqlfiles import read_sql

# 32 random bytes, URL-safe base64 without padding: 43 characters.
_ID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
FOREVER = timedelta(days=3650)  # token sessions end with their token, not by the clock


@dataclass(frozen=True)
class LiveSession:
    """What a cookie id stands for right now."""

    kind: str                          # user | token | render
    name: str                          # user name, token:<id> or render:<user>
    role: str
    communities: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()        # a grid worker's grids


def new_id() -> str:
    """A fresh random session id (the only thing the cookie holds)."""
    return secrets.token_urlsafe(32)


def well_formed(session_id: str | None) -> bool:
    """Whether `session_id` has the shape of an id this server makes."""
    return bool(session_id) and bool(_ID_SHAPE.match(session_id))


def _digest(session_id: str) -> str:
    # Only the hash is stored: a copy of the table does not hand out working cookies.
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(conn: psycopg.Connection, session_id: str, kind: str, name: str, role: str,
                 lifetime: timedelta, token_id: int | None = None,
                 remote_addr: str = "") -> None:
    """Store a new session under `session_id`, ending `lifetime` from now."""
    conn.execute("DELETE FROM web_sessions WHERE expires_at < now()")  # keep the table small
    conn.execute(
        "INSERT INTO web_sessions (id_hash, kind, username, role, token_id, expires_at,"
        " remote_addr) VALUES (%s, %s, %s, %s, %s, now() + %s, %s)",
        [_digest(session_id), kind, name, role, token_id, lifetime, remote_addr])


def find_session(conn: psycopg.Connection, session_id: str,
                 idle: timedelta) -> LiveSession | None:
    """The live session of `session_id`, or None (unknown, ended, expired, idle, revoked)."""
    if not well_formed(session_id):
        return None
    id_hash = _digest(session_id)
    row = conn.execute(read_sql("queries/web_session_find.sql"),
                       {"id_hash": id_hash, "idle": idle}).fetchone()
    if row is None:
        return None
    kind, name, role, communities, grids, stale = row
    if stale:  # the idle clock is written at most every 10 s, not on every request
        conn.execute("UPDATE web_sessions SET seen_at = now() WHERE id_hash = %s", [id_hash])
    return LiveSession(kind, name, role, tuple(communities or ()), tuple(grids or ()))


def end_session(conn: psycopg.Connection, session_id: str) -> None:
    """End one session (sign-out)."""
    if well_formed(session_id):
        conn.execute("DELETE FROM web_sessions WHERE id_hash = %s", [_digest(session_id)])


def end_user_sessions(conn: psycopg.Connection, username: str) -> int:
    """End every session of a user (password change, disabling); how many ended."""
    return conn.execute("DELETE FROM web_sessions WHERE kind = 'user' AND username = %s",
                        [username]).rowcount
