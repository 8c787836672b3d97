"""Where each headline figure comes from on the map, as a bounding box computed in SQL."""

from __future__ import annotations

from datetime import datetime

import psycopg

from geo.errors import BadParameter
from geo.params import Bbox
from geo.sqlfiles import read_composed

# Figures with their own places; the others (residents, ratios, coverage) are town-wide.
KPI_NAMES = ("residents", "floating_ratio", "active_cases", "open_tickets",
             "responded_24h_share", "solved_share", "three_no_compounds", "coverage_share")


def kpi_extent(conn: psycopg.Connection, kpi: str,
               window: tuple[datetime, datetime]) -> Bbox | None:
    """(west, south, east, north) of the rows behind `kpi` in the window, else of the town."""
    if kpi not in KPI_NAMES:
        raise BadParameter("kpi", f"must be one of {', '.join(KPI_NAMES)}")
    since, until = window
    row = conn.execute(read_composed("queries/kpi_extent.sql", kpi_places="kpi_places"),
                       {"kpi": kpi, "since": since, "until": until}).fetchone()
    return tuple(row) if row and row[0] is not None else None
