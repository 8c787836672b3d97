"""Forward-only migrations: numbered SQL files applied in order and recorded in a table."""

from __future__ import annotations

import psycopg

from geo.errors import MigrationError
from geo.sqlfiles import migration_files

_LOCK_KEY = 7_405_112  # advisory lock: two processes migrating at once take turns

_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def applied_versions(conn: psycopg.Connection) -> set[int]:
    """Versions already recorded in schema_migrations."""
    conn.execute(_LEDGER)
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply every pending migration, all in one transaction; returns the names applied."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        # A migration may build an index or view over a district's rows: no request timeout.
        conn.execute("SET LOCAL statement_timeout = 0")
        done = applied_versions(conn)
        for version, name, text in migration_files():
            if version in done:
                continue
            try:
                with conn.transaction():
                    conn.execute(text)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        [version, name],
                    )
            except psycopg.Error as exc:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise MigrationError(f"migration {name} failed and was rolled back: {first}. "
                                     "Fix the database state or the file, then run "
                                     "`gridcmd db migrate` again.") from exc
            applied.append(name)
    return applied


def pending(conn: psycopg.Connection) -> list[str]:
    """Names of migrations not yet applied."""
    done = applied_versions(conn)
    return [name for version, name, _ in migration_files() if version not in done]
