"""Headline figures for the KPI bar, computed in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.sqlfiles import read_sql
from geo.ticket_days import window_params


def kpis(conn: psycopg.Connection, window: tuple[datetime, datetime],
         town_code: str | None = None) -> dict[str, Any]:
    """Residents, floating ratio, cases, tickets, three-no compounds and coverage."""
    since, until = window
    cur = conn.cursor(row_factory=dict_row)
    figures = cur.execute(read_sql("queries/kpis.sql"),
                          {"since": since, "until": until, "town_code": town_code,
                           **window_params(since, until)}).fetchone()
    coverage = conn.execute(read_sql("queries/kpi_coverage.sql"),
                            {"town_code": town_code}).fetchone()[0]
    return {**figures, "coverage_share": coverage, "since": since, "until": until}
