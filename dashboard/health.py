"""Database health for /healthz: reachable or not, row counts, data freshness.

The probe never queues behind a busy pool: it takes a pooled connection only if one is free
at once, else opens its own with a short connect timeout, and its query has a statement
timeout, so a probe during an outage answers within HEALTH_TIMEOUT_S. Every probe asks the
database (SELECT 1); the row counts and data_as_of (a scan of the base tables) are computed
at most every FACTS_TTL_S per database, so a load balancer or a crowd asking /healthz costs
next to nothing.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC
from threading import Lock
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.database import APPLICATION_NAME
from geo.freshness_stamp import data_as_of
from geo.sqlfiles import read_sql

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 3.0  # a probe must answer fast; a load balancer will ask again
_POOL_GRAB_S = 0.05     # a free pooled connection, or none
_CONNECT_TIMEOUT_S = 2  # libpq's smallest useful connect timeout
_STATEMENT_TIMEOUT_MS = 800
FACTS_TTL_S = 5.0

_facts: dict[str, tuple[float, dict[str, Any]]] = {}  # database → (when, counts, data_as_of)
_facts_lock = Lock()


def check(pool: ConnectionPool, url: str | None = None) -> tuple[bool, dict[str, Any]]:
    """(healthy, body) for GET /healthz; never raises for a database problem."""
    try:
        facts = _probe(pool, url or "")
    except (PoolTimeout, psycopg.Error) as exc:
        log.warning("health check: database unreachable: %s", exc)
        return False, {"status": "degraded", "database": "unreachable",
                       "data_as_of": None, "counts": None}
    return True, {"status": "ok", "database": "ok", **facts}


def _probe(pool: ConnectionPool, url: str) -> dict[str, Any]:
    try:
        with pool.connection(timeout=_POOL_GRAB_S) as conn:
            return _ask(conn, url)
    except PoolTimeout:
        if not url:
            raise
    # The pool is busy or empty (reconnecting after an outage): ask over a connection of
    # our own rather than wait for one.
    with psycopg.connect(url, connect_timeout=_CONNECT_TIMEOUT_S, autocommit=True,
                         application_name=f"{APPLICATION_NAME}-health") as conn:
        return _ask(conn, url)


def _ask(conn: psycopg.Connection, url: str) -> dict[str, Any]:
    with conn.transaction():
        conn.execute(f"SET LOCAL statement_timeout = {_STATEMENT_TIMEOUT_MS}")
        with _facts_lock:
            cached = _facts.get(url)
        if cached and time.monotonic() - cached[0] < FACTS_TTL_S:
            conn.execute("SELECT 1").fetchone()  # the database answers: that is the probe
            return cached[1]
        facts = json.loads(conn.execute(read_sql("queries/health.sql")).fetchone()[0])
        # The one "data as of" moment (geo/freshness_stamp.py), as the wall and prints show.
        as_of = data_as_of(conn)
    facts["data_as_of"] = as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if as_of else None
    with _facts_lock:
        _facts[url] = (time.monotonic(), facts)
    return facts
