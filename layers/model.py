"""A map layer as one frozen declaration: what it shows, from which query, how it looks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["polygon", "line", "point"]


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: bilingual label and the colour (dashed for outline-only classes).

    `glyph` is the (zh, en) character a point layer draws in its marker, shown in the swatch.
    """

    label_zh: str
    label_en: str
    colour: str
    dashed: bool = False
    glyph: tuple[str, str] | None = None


@dataclass(frozen=True)
class Layer:
    """A declarative map layer; `query` names geo/sql/queries/<query>.sql.

    `style` is plain data read by the browser (assets/map_styles.js, through `hideout`):
    ``{"base": {...}, "by": "property", "classes": {value: {...}}, "flags": {prop: {...}}}``.
    """

    id: str
    title_zh: str
    title_en: str
    kind: Kind
    query: str
    legend: tuple[LegendEntry, ...]
    style: dict[str, Any] = field(default_factory=dict)
    min_zoom: int = 0
    max_zoom: int = 22
    tooltip: tuple[str, ...] = ("name",)
    detail_kind: str | None = None
    default_visible: bool = True
    interactive: bool = True
    # Windowed layers (tickets, cases) read since/until; the API filters them by that window.
    windowed: bool = False
    # Point layers that can hold thousands of markers are clustered in the browser.
    cluster: bool = False
    # What roles without drill-down rights (the wall) get instead of `query`: the same layer
    # aggregated so that no exact place of a person (a case's building) leaves the server.
    aggregate_query: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("polygon", "line", "point"):
            raise ValueError(f"layer {self.id}: kind must be polygon, line or point")
        if self.cluster and self.kind != "point":
            raise ValueError(f"layer {self.id}: only point layers can be clustered")
        if not 0 <= self.min_zoom <= self.max_zoom <= 22:
            raise ValueError(f"layer {self.id}: need 0 <= min_zoom <= max_zoom <= 22")

    def title(self, lang: str) -> str:
        """Title in `lang` ('zh' or 'en')."""
        return self.title_en if lang == "en" else self.title_zh

    def query_for(self, exact_places: bool) -> str:
        """The query to run for a caller that may (or may not) see exact places."""
        return self.query if exact_places or self.aggregate_query is None else self.aggregate_query

    def visible_at(self, zoom: float) -> bool:
        """Whether the layer draws at this zoom."""
        return self.min_zoom <= zoom <= self.max_zoom

    def describe(self) -> dict[str, Any]:
        """Plain-data summary for GET /api/layers."""
        return {
            "id": self.id,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "kind": self.kind,
            "min_zoom": self.min_zoom,
            "max_zoom": self.max_zoom,
            "default_visible": self.default_visible,
            "tooltip": list(self.tooltip),
            "detail_kind": self.detail_kind,
            "windowed": self.windowed,
            "cluster": self.cluster,
            "legend": [
                {"label": {"zh": e.label_zh, "en": e.label_en}, "colour": e.colour,
                 "dashed": e.dashed, "glyph": list(e.glyph) if e.glyph else None}
                for e in self.legend
            ],
        }
