"""H3 metrics the map can colour cells by: one frozen `Metric` declaration each (id, titles,
query, unit, class breaks, privacy rule), in a registry that refuses a second metric with the
same id. The legend is derived from the class breaks, so no colour is written twice.

geo/ runs the query by name (geo.geojson.h3_collection); the map, the print view, the wall and
GET /api/h3/<id> read everything else from here. No Dash here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import psycopg

from geo.geojson import h3_collection
from geo.params import Bbox
from geo.privacy import PRIVACY_MIN_COUNT
from layers.registry import Declarations


@dataclass(frozen=True)
class Classes:
    """Class breaks of one metric: value < breaks[0] → colours[0], …, ≥ breaks[-1] → last."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    # Optional (zh, en) names per class, for metrics whose classes are categories.
    names: tuple[tuple[str, str], ...] = ()
    # The lowest value a drawn cell can hold (counts under the privacy minimum arrive as null):
    # the first class then reads 'start–a' rather than '< a', which overlapped the '<5' row.
    start: float | None = None

    def __post_init__(self) -> None:
        if len(self.colours) != len(self.breaks) + 1:
            raise ValueError("need one colour more than breaks")
        if self.names and len(self.names) != len(self.colours):
            raise ValueError("need one name per class")

    def labels(self, lang: str) -> list[str]:
        """One legend label per class: its name, or '< a', 'a–b', …, '≥ z'."""
        if self.names:
            return [en if lang == "en" else zh for zh, en in self.names]
        b = [_number(v) for v in self.breaks]
        first = f"< {b[0]}" if self.start is None else f"{_number(self.start)}–{b[0]}"
        return [first, *(f"{lo}–{hi}" for lo, hi in zip(b, b[1:], strict=False)),
                f"≥ {b[-1]}"]

    def legend(self, lang: str) -> list[tuple[str, str]]:
        """(colour, label) per class, lowest first: the legend, derived from the breaks."""
        return list(zip(self.colours, self.labels(lang), strict=True))


@dataclass(frozen=True)
class Metric:
    """One H3 metric: the SQL that computes it per cell, what its value means, how it is drawn.

    `query` names geo/sql/queries/<query>.sql (rows id, geometry, properties with `value`);
    `value_kind` picks the value of a query computing several; a `windowed` query
    reads since/until. Cells counting fewer than `min_count` show "<5" for every role.
    """

    id: str
    title_zh: str
    title_en: str
    query: str
    unit_zh: str
    unit_en: str
    classes: Classes
    windowed: bool = False
    value_kind: str = ""
    min_count: int = PRIVACY_MIN_COUNT

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_zh

    def collection(self, conn: psycopg.Connection, res: int, bbox: Bbox,
                   window: tuple[datetime, datetime] | None = None, *,
                   min_count: int | None = None, max_cells: int | None = None) -> str:
        """GeoJSON text of this metric per cell at `res` inside `bbox` (geo runs the query;
        `min_count` None: this metric's privacy rule). BadParameter(since) when a windowed
        metric gets no window; OverBudget past `max_cells`."""
        return h3_collection(conn, self.query, res, bbox, window, windowed=self.windowed,
                             value_kind=self.value_kind,
                             min_count=self.min_count if min_count is None else min_count,
                             max_cells=max_cells)


class DuplicateMetric(ValueError):
    """A metric with this id is already registered."""


class MetricRegistry(Declarations[Metric]):
    """Metrics in declaration order (the overlay selector's order), read like a dict by id."""

    kind = "metric"
    duplicate = DuplicateMetric

    def __getitem__(self, metric_id: str) -> Metric:
        return self._items[metric_id]

    def get(self, metric_id: object) -> Metric | None:
        return self._items.get(metric_id) if isinstance(metric_id, str) else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def values(self) -> tuple[Metric, ...]:
        return self.all()


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


METRICS = MetricRegistry()
register = METRICS.register

_YL_OR_RD = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")

# Densities are comparable across resolutions; counts are not, so their breaks suit res 8–9
# (town and village views), where they are read.
register(Metric(
    "population", "人口密度", "Population density", query="h3_population",
    unit_zh="人/平方公里", unit_en="residents/km²", value_kind="density",
    classes=Classes((1000, 2500, 5000, 10000, 20000), _YL_OR_RD)))
# 倒挂: floating residents outnumber registered ones above 1; blues below, reds above.
register(Metric(
    "floating_ratio", "倒挂比", "Floating / registered", query="h3_population",
    unit_zh="流动/户籍", unit_en="floating/registered", value_kind="ratio",
    classes=Classes((0.5, 1, 2, 3, 5), ("#4575b4", "#91bfdb", "#fee090", "#fdae61", "#f46d43",
                                        "#a50026"))))
# Counts under 5 arrive as null (privacy), so the first class starts at 5 in practice.
register(Metric(
    "cases", "病例", "Cases", query="h3_cases", unit_zh="例", unit_en="cases", windowed=True,
    classes=Classes((10, 20, 40), ("#fcbba1", "#fb6a4a", "#cb181d", "#67000d"),
                    start=PRIVACY_MIN_COUNT)))
register(Metric(
    "tickets", "12345诉求", "12345 tickets", query="h3_tickets", unit_zh="件",
    unit_en="tickets", windowed=True,
    classes=Classes((10, 20, 40, 80), ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"),
                    start=PRIVACY_MIN_COUNT)))
# Coverage is 0, 0.5 or 1 (share of depot and clinic reaching the cell): gaps in red.
register(Metric(
    "coverage", "资源覆盖", "Resource coverage", query="h3_coverage", unit_zh="覆盖率",
    unit_en="share covered",
    classes=Classes((0.5, 1), ("#d7191c", "#fdae61", "#1a9641"),
                    names=(("缺口", "gap"), ("部分覆盖", "partly covered"),
                           ("全覆盖", "covered")))))
