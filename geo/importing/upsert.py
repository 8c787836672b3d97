"""Writing validated rows: COPY into a staging table, then one upsert that skips equal rows."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

_CHUNK = 1 << 20


@dataclass
class Counts:
    """What an upsert did (or would do, in a dry run)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def _csv(columns: dict[str, np.ndarray], keep: np.ndarray) -> bytes:
    frame = pd.DataFrame({name: values[keep] for name, values in columns.items()})
    buf = io.StringIO()
    # None → empty unquoted field, which COPY (FORMAT csv) reads as NULL.
    frame.to_csv(buf, header=False, index=False)
    return buf.getvalue().encode("utf-8")


def _stage(conn: psycopg.Connection, table: str, names: list[str], data: bytes) -> None:
    """A TEMP copy of the target's columns (types and all), filled by COPY."""
    conn.execute("DROP TABLE IF EXISTS import_stage")
    conn.execute(sql.SQL("CREATE TEMP TABLE import_stage ON COMMIT DROP AS "
                         "SELECT {} FROM {} WITH NO DATA").format(
        sql.SQL(", ").join(sql.Identifier(n) for n in names), sql.Identifier(table)))
    stmt = sql.SQL("COPY import_stage ({}) FROM STDIN (FORMAT csv)").format(
        sql.SQL(", ").join(sql.Identifier(n) for n in names))
    with conn.cursor() as cur, cur.copy(stmt) as copy:
        for start in range(0, len(data), _CHUNK):
            copy.write(data[start:start + _CHUNK])


def upsert(conn: psycopg.Connection, table: str, columns: dict[str, np.ndarray],
           keep: np.ndarray) -> Counts:
    """Insert new codes, update changed rows (updated_at = now()), leave equal rows alone."""
    names = list(columns)
    total = int(keep.sum())
    if total == 0:
        return Counts()
    _stage(conn, table, names, _csv(columns, keep))
    # Only the columns the file gave are updated: a file without `on_duty` keeps the stored
    # value. IS DISTINCT FROM on the row compares NULLs as values, so equal rows are skipped
    # and keep their updated_at; xmax = 0 tells a fresh insert from an update.
    cols = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    changing = [n for n in names if n != "code"]
    stmt = sql.SQL(
        "INSERT INTO {table} AS t ({cols}) SELECT {cols} FROM import_stage "
        "ON CONFLICT (code) DO UPDATE SET {sets}, updated_at = now() "
        "WHERE ({old}) IS DISTINCT FROM ({new}) "
        "RETURNING (xmax = 0) AS inserted").format(
        table=sql.Identifier(table), cols=cols,
        sets=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n))
                                for n in changing),
        old=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(n)) for n in changing),
        new=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(n))
                               for n in changing))
    flags = [r[0] for r in conn.execute(stmt).fetchall()]
    inserted = sum(flags)
    return Counts(inserted, len(flags) - inserted, total - len(flags))
