"""What the map keeps highlighted: the selected region, or the places behind a headline figure."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import psycopg

from geo.errors import BadParameter
from geo.kpi_extent import KPI_NAMES
from geo.regions import REGION_KINDS, _parse_cell
from geo.sqlfiles import read_composed

# Figures whose rows are places; the others are town-wide and highlight nothing.
PLACE_KPIS = ("active_cases", "open_tickets", "three_no_compounds")


def region_highlight(conn: psycopg.Connection, kind: str, code: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of one region's shape (empty when there is no such region)."""
    if kind not in REGION_KINDS:
        raise BadParameter("kind", f"must be one of {', '.join(REGION_KINDS)}")
    cell = _parse_cell(code)[0] if kind == "h3" else None
    return _collection(conn, {"kind": kind, "code": code, "cell": cell, "kpi": None},
                       {"kind": kind, "code": code})


def kpi_highlight(conn: psycopg.Connection, kpi: str,
                  window: tuple[datetime, datetime]) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the rows behind `kpi` (e.g. the three-no compounds); its
    `bbox` (RFC 7946) spans them all, also past the 2000 shapes drawn."""
    if kpi not in KPI_NAMES:
        raise BadParameter("kpi", f"must be one of {', '.join(KPI_NAMES)}")
    since, until = window
    return _collection(conn, {"kind": None, "code": None, "cell": None, "kpi": kpi,
                              "since": since, "until": until}, {"kpi": kpi})


def _collection(conn: psycopg.Connection, params: dict[str, Any],
                props: dict[str, Any]) -> dict[str, Any]:
    params.setdefault("since", None)
    params.setdefault("until", None)
    query = read_composed("queries/highlight_shapes.sql", kpi_places="kpi_places")
    rows = conn.execute(query, params).fetchall()
    bbox = {"bbox": [float(v) for v in rows[0][1:]]} if rows else {}
    return {"type": "FeatureCollection", **bbox, "features": [
        {"type": "Feature", "geometry": json.loads(row[0]), "properties": props}
        for row in rows
    ]}
