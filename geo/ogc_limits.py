"""The OGC API's per-principal rate limit: a counter per minute in PostgreSQL, so every server
process (waitress threads, several workers) shares one budget per token."""

from __future__ import annotations

import psycopg

# One statement: count this request in the current minute, forget the principal's old minutes.
_COUNT = """
WITH old AS (
    DELETE FROM ogc_request_counts
    WHERE principal = %(who)s AND window_start < date_trunc('minute', now()) - interval '5 min'
)
INSERT INTO ogc_request_counts AS c (principal, window_start)
VALUES (%(who)s, date_trunc('minute', now()))
ON CONFLICT (principal, window_start) DO UPDATE SET requests = c.requests + 1
RETURNING c.requests, 60 - extract(epoch FROM now() - date_trunc('minute', now()))::int
"""


def count_request(conn: psycopg.Connection, principal: str, per_minute: int) -> int | None:
    """Count one request of `principal`; None when allowed, else seconds until the next minute."""
    requests, retry_after = conn.execute(_COUNT, {"who": principal}).fetchone()
    return None if requests <= per_minute else max(1, retry_after)
