"""Writing generated towns: clear their rows, COPY every table, all in one transaction."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

from geo.database import connect, describe_target
from geo.demo.errors import DemoLoadError
from geo.importing.bulk_write import indexes_rebuilt_after
from geo.rollups import defer_rollups, refresh_derived

# Parents first: the order rows are copied in. Deletes run in the reverse order.
COLUMNS: dict[str, list[str]] = {
    "towns": ["code", "town_code", "name", "name_en", "district", "resident_population",
              "registered_population", "geom", "updated_at"],
    "communities": ["code", "town_code", "name", "kind", "committee_phone", "geom", "updated_at"],
    "grids": ["code", "town_code", "name", "community_code", "worker_code", "geom", "updated_at"],
    "compounds": ["code", "town_code", "name", "community_code", "grid_code", "management",
                  "caretaker_branch", "households", "geom", "updated_at"],
    "buildings": ["code", "town_code", "address", "grid_code", "compound_code", "use", "floors",
                  "rooms", "h3_cell", "geom", "updated_at"],
    "households": ["code", "town_code", "building_code", "room", "members", "registered",
                   "floating", "renters", "elderly", "children", "vulnerable", "updated_at"],
    "persons": ["code", "town_code", "household_code", "name", "id_number", "phone",
                "registered", "updated_at"],
    "units": ["code", "town_code", "name", "kind", "shop_kind", "employees", "building_code",
              "grid_code", "h3_cell", "geom", "updated_at"],
    "incidents": ["code", "town_code", "source", "category", "status", "received_at",
                  "responded_at", "solved_at", "satisfied", "address", "building_code",
                  "grid_code", "h3_cell", "geom", "updated_at", "urgency", "version",
                  "assignee"],
    # the tickets' history (接诉即办 chain), after the tickets it belongs to
    "ticket_events": ["ticket_code", "town_code", "at", "actor", "actor_role", "action",
                      "from_status", "to_status", "version", "assignee", "satisfied"],
    "cases": ["code", "town_code", "category", "reported_at", "released_at", "building_code",
              "grid_code", "h3_cell", "geom", "updated_at"],
    "resources": ["code", "town_code", "kind", "name", "capacity", "stock", "reach_m",
                  "grid_code", "h3_cell", "geom", "updated_at"],
    "staff": ["code", "town_code", "name", "role", "phone", "grid_code", "skills", "on_duty",
              "h3_cell", "geom", "updated_at"],
    "context_features": ["code", "town_code", "kind", "name", "rank", "geom", "updated_at"],
}
TABLES = list(COLUMNS)
_TICKET_TAILS = ["ticket_deliveries", "ticket_outbox"]
_CHUNK = 1 << 20


def _timestamps(values: pd.Series) -> np.ndarray:
    """ISO text in UTC ('…+00'), None for missing: COPY parses it without a time-zone guess."""
    stamps = pd.to_datetime(values).to_numpy(dtype="datetime64[s]")
    text = np.char.add(np.datetime_as_string(stamps, unit="s"), "+00").astype(object)
    text[np.isnat(stamps)] = None
    return text


def to_csv(df: pd.DataFrame, table: str) -> bytes:
    """The frame as COPY … (FORMAT csv) input, columns in COLUMNS order (NULL = empty)."""
    cols = COLUMNS[table]
    missing = [c for c in cols if c not in df]
    if missing:
        raise DemoLoadError(f"the generated {table} rows lack the column(s) {', '.join(missing)}")
    out = df[cols].copy()
    for col in cols:
        if col.endswith("_at") or col == "at":
            out[col] = _timestamps(out[col])
    buf = io.StringIO()
    out.to_csv(buf, header=False, index=False)
    return buf.getvalue().encode("utf-8")


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), _CHUNK):
        yield data[start:start + _CHUNK]


def _clear(conn: psycopg.Connection, town_codes: list[str]) -> bool:
    """Remove the towns' old rows: TRUNCATE when no other town is stored, else DELETE.
    True when the tables were emptied (TRUNCATE)."""
    others = any(
        conn.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE town_code <> ALL(%s))")
                     .format(sql.Identifier(t)), [town_codes]).fetchone()[0]
        for t in TABLES)
    if not others:  # the outbox and its deliveries hang off the tickets' history
        conn.execute(sql.SQL("TRUNCATE {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in TABLES + _TICKET_TAILS)))
        return True
    # Children are deleted before parents, so the per-row foreign-key checks find nothing; as a
    # superuser we skip them (replica role), since several child FK columns have no index.
    replica = True
    try:
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        replica = False
    for table in reversed(TABLES):
        conn.execute(sql.SQL("DELETE FROM {} WHERE town_code = ANY(%s)").format(
            sql.Identifier(table)), [town_codes])
    if replica:
        conn.execute("SET LOCAL session_replication_role = origin")
    return False


def open_loader(url: str) -> psycopg.Connection:
    """A connection for the load, with no statement timeout (a district COPY takes a while)."""
    conn = connect(url)
    conn.execute("SET statement_timeout = 0")
    exists = conn.execute("SELECT to_regclass('public.context_features') IS NOT NULL").fetchone()
    if not exists[0]:
        conn.close()
        raise DemoLoadError(f"the database {describe_target(url)} has no gridcmd tables: "
                            "run `gridcmd db migrate` first")
    conn.commit()
    return conn


def copy_table(conn: psycopg.Connection, table: str, data: bytes) -> None:
    """COPY one table's CSV bytes into the open transaction."""
    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in COLUMNS[table]))
    with conn.cursor() as cur, cur.copy(stmt) as copy:
        for chunk in _chunks(data):
            copy.write(chunk)


def load(url: str, town_codes: list[str],
         batches: Iterator[tuple[str, dict[str, pd.DataFrame]]],
         step: Callable[[str], None]) -> dict[str, int]:
    """Replace the towns' rows with the generated batches in one transaction; then ANALYZE."""
    counts = dict.fromkeys(TABLES, 0)
    conn = open_loader(url)
    try:
        with conn.transaction():
            defer_rollups(conn)  # one recomputation in refresh_derived, not one per COPY
            # The demo can simply be loaded again: its one commit need not wait for the disk.
            conn.execute("SET LOCAL synchronous_commit = off")
            emptied = _clear(conn, town_codes)
            with ExitStack() as rebuilt:
                if emptied:  # into empty tables: build each index once, after every COPY
                    for table in TABLES:
                        rebuilt.enter_context(indexes_rebuilt_after(conn, table))
                for town, tables in batches:
                    for table in TABLES:
                        step(f"COPY {table} ({town})")
                        copy_table(conn, table, to_csv(tables[table], table))
                        counts[table] += len(tables[table])
                step("indexes")
            step("H3 cell outlines and rollups")
            refresh_derived(conn)
        conn.autocommit = True
        step("ANALYZE")
        for table in TABLES:
            conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DemoLoadError(f"loading the demo into {describe_target(url)} failed, nothing was "
                            f"written: {first}") from exc
    finally:
        conn.close()
    return counts
