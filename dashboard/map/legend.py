"""The legend box and the layer checklist options, in the chosen language."""

from __future__ import annotations

from collections.abc import Iterable

from dash import html

from dashboard.i18n import t
from layers.model import Layer, LegendEntry


def legend_box(layers: Iterable[Layer], visible: Iterable[str] | None, lang: str,
               zoom: float | None) -> list:
    """Children of the legend box: one block per visible layer, greyed when out of zoom."""
    shown = set(visible or ())
    blocks: list = [html.Div(t("legend", lang), className="gc-legend-title")]
    for layer in layers:
        if layer.id not in shown:
            continue
        in_range = zoom is None or layer.visible_at(zoom)
        header = [html.Span(layer.title(lang))]
        if not in_range:
            header.append(html.Span(t("zoom_in_for", lang, zoom=layer.min_zoom),
                                    className="gc-legend-note"))
        blocks.append(html.Div(
            [html.Div(header, className="gc-legend-layer"),
             *(_entry(e, lang, point=layer.kind == "point") for e in layer.legend)],
            className="gc-legend-block" + ("" if in_range else " gc-legend-off"),
        ))
    return blocks


def toggle_options(layers: Iterable[Layer], lang: str) -> list[dict]:
    """Options of the layer checklist: title in `lang`, with the zoom threshold if any."""
    options = []
    for layer in layers:
        label = layer.title(lang)
        if layer.min_zoom > 0:
            label = f"{label}（{t('zoom_in_for', lang, zoom=layer.min_zoom)}）"
        options.append({"label": label, "value": layer.id})
    return options


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
    return html.Div([swatch, html.Span(label)], className="gc-legend-entry")
