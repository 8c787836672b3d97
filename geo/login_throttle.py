"""Throttling failed sign-ins, shared by every server process through PostgreSQL.

Two keys are counted: the client address (at most `per_min` failures a minute, then 429 for
the rest of the minute) and the pair (address, user name): after FREE_TRIES failures each
further one doubles a wait (5 s, 10 s, 20 s … up to MAX_DELAY). Nothing is counted per user
name alone, so failures from a stranger's address never keep the owner out from their own
address, and never end the owner's session.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg

from geo.sqlfiles import read_sql

FREE_TRIES = 3          # failures per (address, name) before the progressive wait starts
FIRST_DELAY_S = 5       # the first wait; each further failure doubles it
MAX_DELAY = timedelta(minutes=15)
NAME_WINDOW = timedelta(minutes=15)  # a pair's count is forgotten after this without failures
ADDRESS_WINDOW = timedelta(minutes=1)


def _address_key(address: str) -> str:
    return f"addr {address}"


def _name_key(address: str, username: str) -> str:
    return f"name {address} {username.strip().lower()[:64]}"


def retry_after(conn: psycopg.Connection, address: str, username: str) -> int | None:
    """Seconds until this address may try (this name) again, or None when it may now."""
    row = conn.execute(
        "SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int FROM login_throttle"
        " WHERE key = ANY(%s) AND blocked_until > now()",
        [[_address_key(address), _name_key(address, username)]]).fetchone()
    return max(1, row[0]) if row and row[0] is not None else None


def failed(conn: psycopg.Connection, address: str, username: str, per_min: int) -> None:
    """Count a failed sign-in from `address` for `username`, blocking the keys that reach
    their limit."""
    query = read_sql("queries/login_throttle_failed.sql")
    (failures,) = conn.execute(query, {"key": _address_key(address), "window": ADDRESS_WINDOW,
                                       "sliding": False}).fetchone()
    if failures >= per_min:
        conn.execute("UPDATE login_throttle SET blocked_until = first_at + %s WHERE key = %s",
                     [ADDRESS_WINDOW, _address_key(address)])
    key = _name_key(address, username)
    (failures,) = conn.execute(query, {"key": key, "window": NAME_WINDOW,
                                       "sliding": True}).fetchone()
    if failures >= FREE_TRIES:
        delay = min(timedelta(seconds=FIRST_DELAY_S * 2 ** (failures - FREE_TRIES)), MAX_DELAY)
        conn.execute("UPDATE login_throttle SET blocked_until = now() + %s WHERE key = %s",
                     [delay, key])
    # Forget old keys as we go (a day without failures).
    conn.execute("DELETE FROM login_throttle WHERE last_at < now() - interval '1 day'")


def succeeded(conn: psycopg.Connection, address: str, username: str) -> None:
    """A good sign-in clears its (address, name) count (the address count stays)."""
    conn.execute("DELETE FROM login_throttle WHERE key = %s", [_name_key(address, username)])
