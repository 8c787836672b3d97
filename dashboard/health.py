"""Database health for /healthz: reachable or not, row counts, data freshness."""

from __future__ import annotations

import json
import logging
from datetime import UTC
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.freshness_stamp import data_as_of
from geo.sqlfiles import read_sql

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_S = 3.0  # a probe must answer fast; a load balancer will ask again


def check(pool: ConnectionPool, timeout: float = HEALTH_TIMEOUT_S) -> tuple[bool, dict[str, Any]]:
    """(healthy, body) for GET /healthz; never raises for a database problem."""
    try:
        with pool.connection(timeout=timeout) as conn:
            text = conn.execute(read_sql("queries/health.sql")).fetchone()[0]
            # The one "data as of" moment (geo/freshness_stamp.py), as the wall and prints show.
            as_of = data_as_of(conn)
    except (PoolTimeout, psycopg.Error) as exc:
        log.warning("health check: database unreachable: %s", exc)
        return False, {"status": "degraded", "database": "unreachable",
                       "data_as_of": None, "counts": None}
    facts = json.loads(text)
    stamp = as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if as_of else None
    return True, {"status": "ok", "database": "ok", "data_as_of": stamp, **facts}
