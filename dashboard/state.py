"""What one running app owns (settings, the connection pool, the layer registry)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field

import psycopg
from flask import Flask, current_app, g, has_request_context, request
from psycopg_pool import ConnectionPool, PoolTimeout

from dashboard.settings import Settings
from geo.replica import REPLICA_GRAB_S, ReplicaRouter
from layers.registry import Registry

_KEY = "gridcmd"
# Longest a request or callback waits for a pooled connection before it gives up (503).
QUERY_WAIT_S = 10.0
# While the database was just seen unreachable, requests give up at once instead: threads
# stuck waiting for a dead pool would leave none free for /healthz and for the recovery.
OUTAGE_WAIT_S = 0.2
OUTAGE_MEMORY_S = 5.0


class Outage:
    """When this process last saw the database unreachable (a request or a health probe)."""

    def __init__(self) -> None:
        self._last = float("-inf")

    def mark(self) -> None:
        """The database just failed us."""
        self._last = time.monotonic()

    def recent(self) -> bool:
        """Whether it failed within OUTAGE_MEMORY_S."""
        return time.monotonic() - self._last < OUTAGE_MEMORY_S


@dataclass(frozen=True)
class AppState:
    """Per-process state, stored on the Flask app."""

    settings: Settings
    pool: ConnectionPool
    registry: Registry
    database_url: str
    outage: Outage = field(default_factory=Outage)
    replica: ReplicaRouter | None = None  # GRIDCMD_REPLICA_URL: reads marked read-only


def attach(server: Flask, state: AppState) -> None:
    """Store the state on the Flask app."""
    server.extensions[_KEY] = state


def get_state(server: Flask | None = None) -> AppState:
    """The state of `server`, or of the app handling the current request."""
    return (server or current_app).extensions[_KEY]


_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ARMED = "gridcmd_rw_armed"  # set after the sign-in guard (dashboard/read_your_writes.py)
WROTE = "gridcmd_rw_wrote"  # this request may have written on the primary
WROTE_AT = "gridcmd_rw_wrote_at"  # this browser's last write (WAL position), from its cookie
HELD_READ = "gridcmd_held_read"  # a read connection this request already holds (response cache)


def connection(wait: float = QUERY_WAIT_S) -> AbstractContextManager[psycopg.Connection]:
    """A pooled connection to the primary (reads and writes), with the shared wait.

    Used by a POST/PUT/PATCH/DELETE after the sign-in guard, it counts as a write: the user's
    next reads stay on the primary until the replica has replayed past it."""
    state = get_state()
    if has_request_context() and request.method in _UNSAFE and g.get(ARMED):
        setattr(g, WROTE, True)
    return state.pool.connection(timeout=OUTAGE_WAIT_S if state.outage.recent() else wait)


@contextmanager
def read_connection(wait: float = QUERY_WAIT_S) -> Iterator[psycopg.Connection]:
    """A connection for a read-only request (the explicit marker of a read): the replica's
    when GRIDCMD_REPLICA_URL is set and it serves (up, lag within the bound, past this user's
    last write), else the primary's. Nothing may be written through it. Within a request
    that already holds one (dashboard/response_cache.py read the data version on it), that
    one: the answer is read where the version was."""
    held = g.get(HELD_READ) if has_request_context() else None
    if held is not None:
        yield held
        return
    state = get_state()
    router = state.replica
    if router is not None and router.serves(_wrote_at()):
        stack = ExitStack()
        try:
            conn = stack.enter_context(router.pool.connection(timeout=REPLICA_GRAB_S))
        except (PoolTimeout, psycopg.OperationalError) as exc:
            router.mark_down(str(exc).strip().splitlines()[0][:200] if str(exc).strip()
                             else type(exc).__name__)
        else:
            with stack, statementwise(conn):
                try:
                    yield conn
                except psycopg.OperationalError as exc:
                    # The replica failed mid-read: this answer is a 503 (not a primary
                    # outage); the next reads use the primary until a probe finds it back.
                    g.gridcmd_replica_failed = True
                    router.mark_down(str(exc).strip().splitlines()[0][:200]
                                     if str(exc).strip() else type(exc).__name__)
                    raise
            return
    with state.pool.connection(timeout=OUTAGE_WAIT_S if state.outage.recent() else wait) \
            as conn, statementwise(conn):
        yield conn


@contextmanager
def statementwise(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """`conn` in autocommit while the block runs: each read is its own transaction, as it is
    under READ COMMITTED anyway (a statement's own snapshot), without the BEGIN and COMMIT
    round trips around it. Back to transactions before the pool hands it to a writer."""
    if conn.autocommit or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        yield conn
        return
    conn.autocommit = True
    try:
        yield conn
    finally:
        if not conn.closed:
            conn.autocommit = False


def _wrote_at() -> int | None:
    # read_your_writes puts it on the request before the route runs (only with a replica)
    return g.get(WROTE_AT) if has_request_context() else None
