"""The legend box and the layer checklist options, in the chosen language."""

from __future__ import annotations

from collections.abc import Iterable

from dash import html

from dashboard.i18n import t
from dashboard.map import ids
from dashboard.page_ids import ZONES_LAYER
from layers.model import Layer, LegendEntry


def legend_box(layers: Iterable[Layer], visible: Iterable[str] | None, lang: str,
               zoom: float | None, drawn_too: Iterable[str] = ()) -> list:
    """Children of the legend box: one block per layer that is ticked and drawn at `zoom`.

    Layers out of their zoom range are left out (the layer list says from which zoom they
    draw), and so are layers without legend rows (the place names): a short legend leaves the
    map visible. `drawn_too` names layers whose kind of feature is on the map without the
    layer being ticked (a containment-zones proposal draws zones).
    """
    shown = set(visible or ()) | set(drawn_too)
    blocks: list = [html.Div(t("legend", lang), className="gc-legend-title")]
    for layer in layers:
        if layer.id not in shown or not layer.legend:
            continue
        if zoom is not None and not layer.visible_at(zoom):
            continue
        blocks.append(html.Div(
            [html.Div(html.Span(layer.title(lang)), className="gc-legend-layer"),
             *(_entry(e, lang, point=layer.kind == "point") for e in layer.legend)],
            className="gc-legend-block",
        ))
    return blocks


def proposal_layers(proposal: object) -> tuple[str, ...]:
    """The layers a zones proposal (a GeoJSON FeatureCollection or None) draws the kind of."""
    holds = isinstance(proposal, dict) and bool(proposal.get("features"))
    return (ZONES_LAYER,) if holds else ()


def legend_panel(layers: Iterable[Layer], visible: Iterable[str] | None, lang: str,
                 zoom: float | None) -> html.Div:
    """The legend box on the map: a collapse button over the (callback-filled) legend. The
    button collapses the box in the browser (assets/legend_toggle.js)."""
    return html.Div(id=ids.LEGEND_BOX, className="gc-legend", children=[
        html.Button(toggle_words(lang), id=ids.LEGEND_TOGGLE, n_clicks=0,
                    className="gc-legend-toggle"),
        html.Div(legend_box(layers, visible, lang, zoom), id=ids.LEGEND,
                 className="gc-legend-body"),
    ])


def toggle_words(lang: str) -> list[html.Span]:
    """The collapse button's two words in `lang`; assets/style.css shows the one that fits
    the box's state (收起图例 while open, 图例 once collapsed)."""
    return [html.Span(t("legend.hide", lang), className="gc-legend-hide"),
            html.Span(t("legend.show", lang), className="gc-legend-show")]


def toggle_options(layers: Iterable[Layer], lang: str) -> list[dict]:
    """Options of the layer checklist: title in `lang`, with the zoom threshold if any."""
    options = []
    for layer in layers:
        label = layer.title(lang)
        if layer.min_zoom > 0:
            label = f"{label}（{t('zoom_in_for', lang, zoom=layer.min_zoom)}）"
        options.append({"label": label, "value": layer.id})
    return options


WIDE_UNITS = 12  # a label wider than this (a CJK character counts 2) takes a whole legend row


def is_wide(label: str) -> bool:
    """Whether `label` is too long for half the map legend's width (assets/style.css lays
    the entries of a layer out in two columns so the legend fits a 1080 p screen)."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in label) > WIDE_UNITS


def _entry(entry: LegendEntry, lang: str, point: bool = False) -> html.Div:
    swatch_style = {"borderColor": entry.colour}
    if entry.dashed:
        swatch_style["borderStyle"] = "dashed"
    else:
        swatch_style["backgroundColor"] = entry.colour
    label = entry.label_en if lang == "en" else entry.label_zh
    # Point layers show what the map draws: a dot, or the marker's own character.
    if entry.glyph:
        swatch = html.Span(entry.glyph[1] if lang == "en" else entry.glyph[0],
                           className="gc-glyph gc-glyph-swatch",
                           style={"backgroundColor": entry.colour})
    else:
        swatch = html.Span(className="gc-swatch" + (" gc-swatch-point" if point else ""),
                           style=swatch_style)
    return html.Div([swatch, html.Span(label)],
                    className="gc-legend-entry" + (" gc-legend-wide" if is_wide(label) else ""))
