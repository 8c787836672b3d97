"""Database health for /healthz: reachable or not, row counts, data freshness.

The probe never queues behind a busy pool: it takes a pooled connection only if one is free
at once, else opens its own with a short connect timeout, and its query has a statement
timeout, so a probe during an outage answers within HEALTH_TIMEOUT_S.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.database import APPLICATION_NAME
from geo.sqlfiles import read_sql

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 3.0  # a probe must answer fast; a load balancer will ask again
_POOL_GRAB_S = 0.05     # a free pooled connection, or none
_CONNECT_TIMEOUT_S = 2  # libpq's smallest useful connect timeout
_STATEMENT_TIMEOUT_MS = 800


def check(pool: ConnectionPool, url: str | None = None) -> tuple[bool, dict[str, Any]]:
    """(healthy, body) for GET /healthz; never raises for a database problem."""
    try:
        text = _probe(pool, url)
    except (PoolTimeout, psycopg.Error) as exc:
        log.warning("health check: database unreachable: %s", exc)
        return False, {"status": "degraded", "database": "unreachable",
                       "data_as_of": None, "counts": None}
    facts = json.loads(text)
    return True, {"status": "ok", "database": "ok", **facts}


def _probe(pool: ConnectionPool, url: str | None) -> str:
    try:
        with pool.connection(timeout=_POOL_GRAB_S) as conn:
            return _ask(conn)
    except PoolTimeout:
        if url is None:
            raise
    # The pool is busy or empty (reconnecting after an outage): ask over a connection of
    # our own rather than wait for one.
    with psycopg.connect(url, connect_timeout=_CONNECT_TIMEOUT_S, autocommit=True,
                         application_name=f"{APPLICATION_NAME}-health") as conn:
        return _ask(conn)


def _ask(conn: psycopg.Connection) -> str:
    with conn.transaction():
        conn.execute(f"SET LOCAL statement_timeout = {_STATEMENT_TIMEOUT_MS}")
        return conn.execute(read_sql("queries/health.sql")).fetchone()[0]
