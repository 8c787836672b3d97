"""H3 aggregates computed in the database: population pressure, cases, tickets, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from geo.features import BadParameter, Bbox, collection_and_count
from geo.h3shapes import AGGREGATE_RESOLUTIONS

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


def parse_res(text: str | int | None, default: int = 8) -> int:
    """An aggregate resolution (7–10)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return default
    try:
        res = int(text)
    except (TypeError, ValueError):
        raise BadParameter("res", f"not an integer: {str(text)[:20]!r}") from None
    if res not in AGGREGATE_RESOLUTIONS:
        raise BadParameter("res", f"must be one of {', '.join(map(str, AGGREGATE_RESOLUTIONS))}")
    return res


def res_for_zoom(zoom: float) -> int:
    """The resolution that suits a map zoom: about res 7 at town view, res 10 close in."""
    if zoom < 12:
        return 7
    if zoom < 13.5:
        return 8
    if zoom < 15:
        return 9
    return 10


def h3_collection(conn: psycopg.Connection, metric: Metric, res: int, bbox: Bbox,
                  window: tuple[datetime, datetime] | None = None,
                  min_count: int = 0, max_cells: int | None = None) -> str:
    """GeoJSON FeatureCollection text of `metric` per cell at `res` inside `bbox`.

    With `max_cells` an answer holding more cells is refused (OverBudget, parameter bbox).
    """
    west, south, east, north = bbox
    params: dict[str, object] = {
        "res": res, "west": west, "south": south, "east": east, "north": north,
        "min_count": min_count, "value_kind": metric.value_kind,
    }
    if metric.windowed:
        if window is None:
            raise BadParameter("since", "this metric needs a time window")
        params["since"], params["until"] = window
    return collection_and_count(conn, metric.query, params, max_cells)
