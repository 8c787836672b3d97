"""Large imports: secondary indexes rebuilt once after the insert instead of grown row by row.

Inserting 150k points into a table with a GiST and five B-tree indexes costs ~4x what building
those indexes afterwards does. When a file is larger than the table it goes into (a first load,
a district's yearly refresh), the upsert drops the table's secondary indexes, writes, and
creates them again with their own definitions, all inside the import's transaction: a failure
rolls the indexes back with the rows, so a bad file still writes nothing.

The price: DROP INDEX locks the table against readers (ACCESS EXCLUSIVE) until the import
commits, about a second for a district file; the rollup refresh already locks the rollups
the same way. Small imports into big tables never take this path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

# Below this many rows the per-row index cost is too small to be worth a table lock.
REBUILD_FROM_ROWS = 20_000


def stored_rows_below(conn: psycopg.Connection, table: str, limit: int) -> int:
    """How many rows `table` holds, counted up to `limit` (a scan of at most `limit` rows)."""
    return conn.execute(sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT %s) s").format(
        sql.Identifier(table)), [limit]).fetchone()[0]


def _secondary_indexes(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes that enforce nothing (no PK, UNIQUE,
    EXCLUDE): dropping them changes no rule, only speed."""
    return conn.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique "
        "AND NOT i.indisexclusion AND i.indisvalid "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
        "ORDER BY c.relname", [table]).fetchall()


def _drop(conn: psycopg.Connection, names: list[str]) -> bool:
    """Drop the indexes (in a savepoint); False when this role may not (not the owner)."""
    try:
        with conn.transaction():
            conn.execute(sql.SQL("DROP INDEX {}").format(
                sql.SQL(", ").join(sql.Identifier(n) for n in names)))
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


@contextmanager
def indexes_rebuilt_after(conn: psycopg.Connection, table: str) -> Iterator[bool]:
    """Drop `table`'s secondary indexes for the block, create them again after it.

    Yields whether they were dropped. Must run inside the import's transaction: if the block
    raises, nothing is recreated here and the rollback brings the old indexes back.
    """
    indexes = _secondary_indexes(conn, table)
    dropped = bool(indexes) and _drop(conn, [name for name, _ in indexes])
    yield dropped
    if dropped:
        for _, definition in indexes:
            conn.execute(definition)


def worth_rebuilding(conn: psycopg.Connection, table: str, rows: int) -> bool:
    """Whether writing `rows` rows into `table` should rebuild its indexes afterwards: a large
    file holding more rows than the table already does."""
    return rows >= REBUILD_FROM_ROWS and stored_rows_below(conn, table, rows) < rows
