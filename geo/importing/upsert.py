"""Writing validated rows: COPY into a staging table, set-based checks there, then one upsert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
import psycopg
from psycopg import sql

from geo.importing.bulk_write import indexes_rebuilt_after, stored_rows_below, worth_rebuilding

_BLOCK_ROWS = 20_000  # rows per COPY block
STAGE = "import_stage"
ROW = "import_row"  # the staging column holding each row's index in the file
LOCK_FROM_ROWS = 50_000  # see locks_parents


@dataclass
class Counts:
    """What an upsert did (or would do, in a dry run)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _text_column(values: np.ndarray) -> np.ndarray:
    """A column as COPY text-format cells: NULL as \\N, backslash/tab/newline escaped."""
    values = np.asarray(values, dtype=object)
    null = values == None  # noqa: E711 (element-wise; the parsers give None, never NaN)
    given = values[~null]  # the parsers give str (or None) for every cell
    # Most columns (codes, numbers, times, WKB hex) hold nothing to escape: test once.
    joined = "".join(given)
    if any(ch in joined for ch in "\\\t\n\r"):
        given = np.array([_escape(v) for v in given], dtype=object)
    out = np.full(len(values), "\\N", dtype=object)
    out[~null] = given
    return out


def _copy_blocks(columns: dict[str, np.ndarray], rows: int = _BLOCK_ROWS) -> Iterator[bytes]:
    """The columns as COPY (FORMAT text) input, a block of rows at a time, so the server
    parses one block while the next is built (and ~10x faster than DataFrame.to_csv)."""
    cells = [_text_column(values) for values in columns.values()]
    total = len(cells[0]) if cells else 0
    for start in range(0, total, rows):
        block = zip(*(c[start:start + rows] for c in cells), strict=True)
        yield ("\n".join(map("\t".join, block)) + "\n").encode("utf-8")


def stage(conn: psycopg.Connection, table: str, columns: dict[str, np.ndarray]) -> None:
    """A TEMP copy of the target's columns (types, no constraints) plus the row index, by COPY.

    Every row is staged, the bad ones too (their bad cells are NULL), so the set-based checks
    report all rows; the bad ones are dropped from the stage before the upsert.
    """
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(STAGE)))
    conn.execute(sql.SQL("CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
                         "SELECT 0 AS {row}, {cols} FROM {table} WITH NO DATA").format(
        stage=sql.Identifier(STAGE), row=sql.Identifier(ROW),
        cols=sql.SQL(", ").join(sql.Identifier(c) for c in names), table=sql.Identifier(table)))
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(STAGE), sql.SQL(", ").join(sql.Identifier(c) for c in [ROW, *names]))
    with conn.cursor() as cur, cur.copy(stmt) as copy:
        for block in _copy_blocks({ROW: np.arange(n).astype(str), **columns}):
            copy.write(block)


def locks_parents(rows: int) -> bool:
    """Whether an import of this many rows locks its parent tables to skip FK triggers.

    A SHARE lock also waits for a running autovacuum/analyze of the parent (up to the
    server's deadlock_timeout, ~1 s, before autovacuum yields): worth it only when the
    skipped per-row triggers would cost more than that.
    """
    return rows >= LOCK_FROM_ROWS


def missing_references(conn: psycopg.Connection, column: str, table: str, lock: bool = False
                       ) -> list[tuple[int, str]]:
    """(row index, code) of staged rows whose `column` names no row of `table`.

    With `lock`, the referenced table is first locked in SHARE mode (reads go on, writes
    wait) so the codes found here still exist when the upsert runs; that is what lets
    `upsert` skip the per-row foreign-key triggers.
    """
    if lock:
        conn.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.Identifier(table)))
    return conn.execute(sql.SQL(
        "SELECT s.{row}, s.{col} FROM {stage} s WHERE s.{col} IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM {table} r WHERE r.code = s.{col}) ORDER BY 1").format(
        row=sql.Identifier(ROW), col=sql.Identifier(column), stage=sql.Identifier(STAGE),
        table=sql.Identifier(table))).fetchall()


def drop_rows(conn: psycopg.Connection, rows: np.ndarray) -> None:
    """Remove the rows with these indexes from the stage (the refused rows)."""
    if len(rows):
        conn.execute(sql.SQL("DELETE FROM {stage} s USING unnest(%s::int[]) AS b(i) "
                             "WHERE s.{row} = b.i").format(
            stage=sql.Identifier(STAGE), row=sql.Identifier(ROW)), [[int(i) for i in rows]])


def _without_row_triggers(conn: psycopg.Connection) -> bool:
    """Skip per-row foreign-key triggers for this transaction (needs a superuser)."""
    try:
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


def _defaults(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """{column: default expression} of the table's NOT NULL columns that have a default."""
    return dict(conn.execute(
        "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
        "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = %s::regclass AND a.attnotnull AND NOT a.attisdropped",
        [table]).fetchall())


def upsert(conn: psycopg.Connection, table: str, names: list[str],
           references_checked: bool = False, may_rebuild: bool = True) -> Counts:
    """Insert new codes, update changed rows (updated_at = now()), leave equal rows alone.

    With `references_checked` (missing_references ran with lock=True for every foreign key),
    the per-row foreign-key triggers are skipped: they cost a third of a large import. This
    uses session_replication_role = replica for this one statement, which skips *every*
    ordinary trigger on the target table: a trigger that must fire on imports (an audit
    trigger, say) has to be created ENABLE ALWAYS. A large file into a smaller table also
    rebuilds the table's secondary indexes after the write (see bulk_write), unless not
    `may_rebuild` (a dry run: no table lock for rows that are rolled back anyway).
    """
    total = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
        sql.Identifier(STAGE))).fetchone()[0]
    if total == 0:
        return Counts()
    # Only the columns the file gave are updated: a file without `on_duty` keeps the stored
    # value. IS DISTINCT FROM on the row compares NULLs as values, so equal rows are skipped
    # and keep their updated_at; xmax = 0 tells a fresh insert from an update.
    cols = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    # An empty cell of a NOT NULL column with a default (elderly 0, renters false) takes it.
    defaults = _defaults(conn, table)
    values = sql.SQL(", ").join(
        sql.SQL("coalesce({}, {})").format(sql.Identifier(n), sql.SQL(defaults[n]))
        if n in defaults else sql.Identifier(n) for n in names)
    changing = [n for n in names if n != "code"]
    stmt = sql.SQL(
        "WITH written AS (INSERT INTO {table} AS t ({cols}) SELECT {values} FROM {stage} "
        "ON CONFLICT (code) DO UPDATE SET {sets}, updated_at = now() "
        "WHERE ({old}) IS DISTINCT FROM ({new}) "
        "RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FROM written").format(
        table=sql.Identifier(table), cols=cols, values=values, stage=sql.Identifier(STAGE),
        sets=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n))
                                for n in changing),
        old=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(n)) for n in changing),
        new=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(n))
                               for n in changing))
    # A plain INSERT (no conflict handling: ~2x faster) when the table is empty.
    fresh_stmt = sql.SQL("INSERT INTO {table} ({cols}) SELECT {values} FROM {stage}").format(
        table=sql.Identifier(table), cols=cols, values=values, stage=sql.Identifier(STAGE))
    rebuild = may_rebuild and worth_rebuilding(conn, table, total)
    with indexes_rebuilt_after(conn, table) if rebuild else nullcontext(False) as dropped:
        # Dropping the indexes locked the table: if it is empty now, every staged code is new.
        fresh = dropped and stored_rows_below(conn, table, 1) == 0
        replica = references_checked and _without_row_triggers(conn)
        if fresh:
            inserted = written = conn.execute(fresh_stmt).rowcount
        else:
            inserted, written = conn.execute(stmt).fetchone()
        if replica:
            conn.execute("SET LOCAL session_replication_role = origin")
    return Counts(inserted, written - inserted, total - written)
