"""A map layer as one frozen declaration: what it shows, from which query, how it looks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Kind = Literal["polygon", "line", "point"]
Paint = Literal["fill", "stroke"]


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: bilingual label and the colour (dashed for outline-only classes).

    `glyph` is the (zh, en) character a point layer draws in its marker, shown in the swatch.

    An entry made with `LegendEntry.of(key, ...)` takes its colour from the layer's style
    instead of repeating it: `key` names ``"base"``, a class or a flag of the style, `paint`
    says which colour of it the swatch shows (``"fill"``: `fillColor`, ``"stroke"``: `color`;
    a class or flag falls back to the base's). `dashed` is then whether it has a `dashArray`,
    and `glyph` its marker glyph, if any. The Layer resolves it when it is constructed and
    refuses a key its style does not have. Only a colour the style does not hold (cluster
    bubbles, label text) is written as a literal.
    """

    label_zh: str
    label_en: str
    colour: str = ""
    dashed: bool = False
    glyph: tuple[str, str] | None = None
    key: str | None = None
    paint: Paint = "fill"

    def __post_init__(self) -> None:
        if not self.colour and self.key is None:
            raise ValueError(f"legend entry {self.label_en!r}: needs a colour or a style key")
        if self.paint not in ("fill", "stroke"):
            raise ValueError(f"legend entry {self.label_en!r}: paint must be fill or stroke")

    @classmethod
    def of(cls, key: str, label_zh: str, label_en: str, paint: Paint = "fill") -> LegendEntry:
        """An entry showing the colour of style `key` ("base", a class or a flag)."""
        return cls(label_zh, label_en, key=key, paint=paint)

    def resolved(self, layer_id: str, style: dict[str, Any]) -> LegendEntry:
        """This entry with colour, dashed and glyph from `style` (unchanged if literal)."""
        if self.key is None:
            return self
        base = style.get("base", {})
        classes, flags = style.get("classes", {}), style.get("flags", {})
        if self.key in classes and self.key in flags:
            raise ValueError(f"layer {layer_id}: legend key {self.key!r} is both a class and "
                             "a flag of its style")
        if self.key == "base" and "base" in style:
            part: dict[str, Any] = {}
        elif self.key in classes:
            part = classes[self.key]
        elif self.key in flags:
            part = flags[self.key]
        else:
            known = [*(["base"] if "base" in style else []), *classes, *flags]
            raise ValueError(f"layer {layer_id}: legend entry {self.label_en!r} names style "
                             f"key {self.key!r}, which its style does not have "
                             f"(known: {', '.join(known) or 'none'})")
        drawn = {**base, **part}
        prop = "fillColor" if self.paint == "fill" else "color"
        colour = drawn.get(prop)
        if not isinstance(colour, str) or not colour:
            raise ValueError(f"layer {layer_id}: legend entry {self.label_en!r}: style key "
                             f"{self.key!r} has no {prop} (paint={self.paint!r})")
        glyph = drawn.get("glyph")
        return replace(self, colour=colour, dashed=bool(drawn.get("dashArray")),
                       glyph=(glyph["zh"], glyph["en"]) if glyph else self.glyph)


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
    # A layer whose features could point at a person (a case at a building) is never cached
    # by the browser (no-store); the others get a short private max-age and an ETag.
    personal_data: bool = False
    # Text properties also sent in English (`<name>_en`, pinyin: geo/place_names.py).
    romanise: tuple[str, ...] = ()
    # A point layer that snapshots draw by default too (place-name labels, the clustered 12345
    # tickets; see export/params).
    in_snapshots: bool = False
    # A point layer whose query thins by zoom (labels): a new zoom needs its data again, where
    # other point layers are reused on zoom in (dashboard/map/viewport.still_serves).
    thinned_by_zoom: bool = False
    # Text written on each feature (zh, en), {field} filled from its properties (value labels
    # of tooltip fields apply): the zones say what they are without a hover.
    map_label: tuple[str, str] | None = None
    # What roles without drill-down rights (the wall) get instead of `query`: the same layer
    # aggregated so that no exact place of a person (a case's building) leaves the server.
    aggregate_query: str | None = None

    def __post_init__(self) -> None:
        # Entries naming a style key take their colour from the style (frozen: set once here).
        object.__setattr__(self, "legend",
                           tuple(e.resolved(self.id, self.style) for e in self.legend))
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
            "romanise": list(self.romanise),
            "legend": [
                {"label": {"zh": e.label_zh, "en": e.label_en}, "colour": e.colour,
                 "dashed": e.dashed, "glyph": list(e.glyph) if e.glyph else None}
                for e in self.legend
            ],
        }
