"""Database health for /healthz: reachable or not, row counts, data freshness."""

from __future__ import annotations

import json
import logging
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.sqlfiles import read_sql

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 3.0  # a probe must answer fast; a load balancer will ask again


def check(pool: ConnectionPool, timeout: float = HEALTH_TIMEOUT_S) -> tuple[bool, dict[str, Any]]:
    """(healthy, body) for GET /healthz; never raises for a database problem."""
    try:
        with pool.connection(timeout=timeout) as conn:
            text = conn.execute(read_sql("queries/health.sql")).fetchone()[0]
    except (PoolTimeout, psycopg.Error) as exc:
        log.warning("health check: database unreachable: %s", exc)
        return False, {"status": "degraded", "database": "unreachable",
                       "data_as_of": None, "counts": None}
    facts = json.loads(text)
    return True, {"status": "ok", "database": "ok", **facts}
