"""H3 aggregates computed in the database: population pressure, cases, tickets, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from geo import geojson
from geo.params import Bbox

PRIVACY_MIN_COUNT = 5  # counts under this are shown as "<5" to public roles (DOMAIN.md)


@dataclass(frozen=True)
class Metric:
    """One H3 metric: the SQL that computes it and what its value means."""

    id: str
    query: str
    unit_zh: str
    unit_en: str
    windowed: bool = False
    value_kind: str = ""


METRICS = {m.id: m for m in (
    Metric("population", "h3_population", "人/平方公里", "residents/km²", value_kind="density"),
    Metric("floating_ratio", "h3_population", "流动/户籍", "floating/registered",
           value_kind="ratio"),
    Metric("cases", "h3_cases", "例", "cases", windowed=True),
    Metric("tickets", "h3_tickets", "件", "tickets", windowed=True),
    Metric("coverage", "h3_coverage", "覆盖率", "share covered"),
)}


def get_metric(metric_id: str) -> Metric:
    """The metric called `metric_id`, or KeyError."""
    return METRICS[metric_id]


def h3_collection(conn: psycopg.Connection, metric: Metric, res: int, bbox: Bbox,
                  window: tuple[datetime, datetime] | None = None,
                  min_count: int = 0, max_cells: int | None = None) -> str:
    """GeoJSON FeatureCollection text of `metric` per cell at `res` inside `bbox`.

    With `max_cells` an answer holding more cells is refused (OverBudget, parameter bbox).
    """
    return geojson.h3_collection(conn, metric.query, res, bbox, window,
                                 windowed=metric.windowed, value_kind=metric.value_kind,
                                 min_count=min_count, max_cells=max_cells)
