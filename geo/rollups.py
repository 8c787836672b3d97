"""Derived tables refreshed after each load or import: H3 outlines, household and coverage cells."""

from __future__ import annotations

import h3.api.basic_int as h3i
import psycopg
from psycopg import sql

from geo.h3shapes import AGGREGATE_RESOLUTIONS, outline_wkt, refresh_cell_shapes

# What an import of each table makes stale, in refresh order. household_cells sums
# households by their building's cell; coverage_cells is computed from household_cells and
# the resources; coverage_towns (the KPI bar's share, migration 063) from coverage_cells.
_COVERAGE_ROLLUPS = ("coverage_cells", "coverage_towns")
_HOUSEHOLD_ROLLUPS = ("household_cells", *_COVERAGE_ROLLUPS)
STALE_ROLLUPS: dict[str, tuple[str, ...]] = {
    "buildings": _HOUSEHOLD_ROLLUPS,
    "households": _HOUSEHOLD_ROLLUPS,
    "resources": _COVERAGE_ROLLUPS,
}
# Tables whose rows carry an h3_cell: importing them may need new cell outlines.
CELL_TABLES = ("buildings", "incidents", "cases", "resources", "units", "staff")


def refresh_derived(conn: psycopg.Connection) -> None:
    """Bring h3_cells and the household_cells rollup up to date (in the caller's transaction)."""
    refresh_cell_shapes(conn)
    # household_cells first: coverage_cells is computed from it.
    conn.execute("REFRESH MATERIALIZED VIEW household_cells")
    conn.execute("REFRESH MATERIALIZED VIEW coverage_cells")
    conn.execute("REFRESH MATERIALIZED VIEW coverage_towns")  # from coverage_cells
    # Kept current by triggers on each write; a bulk load defers them (defer_rollups) and
    # recomputes every grid once here.
    conn.execute("SELECT refresh_grid_freshness(NULL)")
    conn.execute("SELECT refresh_building_people(NULL)")  # zone proposal (migration 066)
    conn.execute("SELECT refresh_ticket_daily()")  # tickets per grid and day (migration 060)
    conn.execute("SELECT refresh_town_people()")  # residents per town (migration 062)


def defer_rollups(conn: psycopg.Connection) -> None:
    """Let the statement triggers of per-grid rollups skip this transaction's writes (a bulk
    load that calls refresh_derived before it commits)."""
    conn.execute("SET LOCAL gridcmd.defer_rollups = on")


def _parents_query(source: str) -> sql.Composed:
    """The aggregate cells above `source`'s h3_cell values that h3_cells lacks.

    Finest resolution first, each coarser one from the distinct cells of the one before (a
    parent's parent is the parent): ~3x fewer h3_parent calls than every row at every
    resolution, which mattered on 150k-row imports.
    """
    finest_first = sorted(AGGREGATE_RESOLUTIONS, reverse=True)
    steps = [sql.SQL("c{res} AS (SELECT DISTINCT h3_parent(h3_cell, {res}) AS cell FROM {src} "
                     "WHERE h3_cell IS NOT NULL)").format(
        res=sql.Literal(finest_first[0]), src=sql.Identifier(source))]
    for finer, res in zip(finest_first, finest_first[1:], strict=False):
        steps.append(sql.SQL("c{res} AS (SELECT DISTINCT h3_parent(cell, {res}) AS cell "
                             "FROM c{finer})").format(res=sql.Literal(res),
                                                      finer=sql.Literal(finer)))
    union = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT cell FROM c{}").format(sql.Literal(res)) for res in finest_first)
    return sql.SQL("WITH {} {} EXCEPT SELECT cell FROM h3_cells").format(
        sql.SQL(", ").join(steps), union)


def _add_cell_shapes(conn: psycopg.Connection, source: str) -> int:
    """Outlines of the aggregate cells of `source`'s h3_cell values not stored yet."""
    missing = [r[0] for r in conn.execute(_parents_query(source))]
    if missing:
        with conn.cursor().copy("COPY h3_cells (cell, res, area_km2, geom) FROM STDIN") as copy:
            for cell in missing:
                copy.write_row((cell, h3i.get_resolution(cell), h3i.cell_area(cell, "km^2"),
                                f"SRID=4326;{outline_wkt(cell)}"))
    return len(missing)


def refresh_after_import(conn: psycopg.Connection, table: str, staged: str) -> list[str]:
    """Refresh only what an import into `table` makes stale; `staged` holds the written rows.

    Incidents, cases, units and staff only need outlines for new cells; buildings and
    households the population rollups; resources the coverage. Returns what was refreshed.
    """
    done = []
    if table in CELL_TABLES and _add_cell_shapes(conn, staged):
        done.append("h3_cells")
    for view in STALE_ROLLUPS.get(table, ()):
        conn.execute(sql.SQL("REFRESH MATERIALIZED VIEW {}").format(sql.Identifier(view)))
        done.append(view)
    return done
