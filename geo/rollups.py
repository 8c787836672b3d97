"""Derived tables refreshed after each load or import: H3 outlines, household and coverage cells."""

from __future__ import annotations

import psycopg

from geo.h3shapes import refresh_cell_shapes


def refresh_derived(conn: psycopg.Connection) -> None:
    """Bring h3_cells and the household_cells rollup up to date (in the caller's transaction)."""
    refresh_cell_shapes(conn)
    # household_cells first: coverage_cells is computed from it.
    conn.execute("REFRESH MATERIALIZED VIEW household_cells")
    conn.execute("REFRESH MATERIALIZED VIEW coverage_cells")
