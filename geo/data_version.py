"""The data version: one number that moves whenever a write to the data commits (migration 065).

Statement triggers on every data table bump one of a few counter slots in the writing
transaction, so a reader sees the new number exactly when it sees the new rows. Answers that
depend only on the data (and their request) may be reused while the number stands still.
"""

from __future__ import annotations

import psycopg

# Tables whose writes do not move the version: written as a side effect of reading or signing
# in, read per request for the principal only, or not data at all. Every other table of the
# schema carries the trigger (tests/db/test_data_version.py checks it).
UNTRACKED_TABLES = frozenset({
    "web_sessions", "audit_log", "login_throttle", "ogc_request_counts", "users",
    "access_tokens", "schema_migrations", "spatial_ref_sys", "data_version_slots",
})

_READ = "SELECT sum(version)::bigint FROM data_version_slots"


def data_version(conn: psycopg.Connection) -> int:
    """The current data version as `conn` sees it (its replica's, read on a replica)."""
    return conn.execute(_READ).fetchone()[0]


def untracked_tables(conn: psycopg.Connection) -> list[str]:
    """Tables of the schema without the version trigger that are not meant to be untracked."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_trigger t "
        "WHERE t.tgrelid = c.oid AND t.tgname = 'data_version_bump') ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] not in UNTRACKED_TABLES]
