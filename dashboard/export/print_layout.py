"""The print view's page: map, title, legend, scale, north arrow, window, freshness, source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import dash_leaflet as dl
from dash import html

from dashboard import page_ids
from dashboard.export.fit import MAX_ZOOM, MIN_ZOOM, fit_view, pad
from dashboard.i18n import t
from dashboard.map import h3_view
from dashboard.map.legend import legend_box
from dashboard.map.page import EACH_FEATURE_FN, STYLE_FN
from dashboard.map.point_layers import point_options
from dashboard.map.viewport import hideout, layer_url
from geo.freshness_stamp import stamp_text
from geo.params import Bbox
from layers.metrics import METRICS
from layers.model import Layer

ROOT = "gc-print"
LEGEND_ROW_PX, LEGEND_BLOCK_PX = 19, 26  # one entry; a block's gap and heading
FETCH_MARGIN = 0.02  # fetch a little past the edges: no feature is cut off mid-picture


@dataclass(frozen=True)
class PrintFacts:
    """What the page shows besides the layers, already resolved by the caller."""

    title: str
    bbox: Bbox
    size: tuple[int, int]
    since: datetime
    until_text: str | None
    data_as_of: datetime | None  # geo.freshness_stamp.data_as_of, shared with the wall
    lang: str
    h3: str | None = None  # H3 overlay metric, or None
    tile_url: str | None = None  # GRIDCMD_TILE_URL: a basemap under the layers
    tile_attribution: str = ""


def window_text(facts: PrintFacts) -> str:
    """'统计时段 2026-10-01 至 2026-10-31' (an open end reads 至 今)."""
    until = facts.until_text[:10] if facts.until_text else t("time.now", facts.lang)
    return t("print.window", facts.lang, since=facts.since.date().isoformat(), until=until)


def as_of_text(data_as_of: datetime | str | None, lang: str) -> str:
    """'数据截至 2026-11-25 08:00' in town time (the same stamp as the wall's)."""
    return t("print.as_of", lang, as_of=stamp_text(data_as_of) or t("print.unknown", lang))


def page(layers: tuple[Layer, ...], facts: PrintFacts, window: dict) -> html.Div:
    """The whole print page; `data-layers` tells assets/print.js what must be drawn."""
    centre, zoom, shown = fit_view(facts.bbox, facts.size)
    fetch_bbox = pad(shown, FETCH_MARGIN)
    lang = facts.lang
    specs, panes = [], []
    if facts.tile_url:  # as on the command map: a basemap only when one is configured
        panes.append(dl.TileLayer(url=facts.tile_url, attribution=facts.tile_attribution))
    h3_z = h3_view.overlay_z([layer.kind for layer in layers])
    h3_url = h3_view.overlay_url(facts.h3, [[fetch_bbox[1], fetch_bbox[0]],
                                            [fetch_bbox[3], fetch_bbox[2]]], zoom, None, window)
    for order, layer in enumerate(layers + (None,)):
        if facts.h3 and 410 + order == h3_z:  # same z-index, earlier in the DOM: under points
            specs.append({"id": f"h3:{facts.h3}", "url": h3_url,
                          "pane": h3_view.OVERLAY_PANE, "clustered": False})
            panes.append(_h3_pane(facts.h3, h3_url, h3_z, lang))
        if layer is None:
            break
        url = layer_url(layer, fetch_bbox, zoom, window) if layer.visible_at(zoom) else None
        if url:
            specs.append({"id": layer.id, "url": url, "pane": page_ids.layer_pane(layer.id),
                          "clustered": layer.cluster})
        panes.append(dl.Pane(name=page_ids.layer_pane(layer.id), style={"zIndex": 410 + order},
                             children=[_geojson(layer, url, lang)]))
    legend = legend_box(layers, [layer.id for layer in layers], lang, zoom)
    if facts.h3:
        legend.append(html.Div(h3_view.legend_children(facts.h3, lang),
                               className="gc-legend-block gc-print-h3-legend"))
    # A tall legend on a small page goes to two columns rather than being cut off.
    legend_class = "gc-legend gc-print-legend" + (
        " gc-print-legend-two" if legend_height(layers, facts.h3) > facts.size[1] - 140 else "")
    return html.Div(id=ROOT, className="gc-print", **{
        "data-layers": json.dumps(specs), "data-tiles": "true" if facts.tile_url else "false",
        "data-as-of": facts.data_as_of.isoformat() if facts.data_as_of else ""}, children=[
        dl.Map(className="gc-print-map", center=list(centre), zoom=zoom, zoomSnap=0.25,
               minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM, zoomControl=False, attributionControl=False,
               dragging=False, scrollWheelZoom=False, doubleClickZoom=False,
               boxZoom=False, keyboard=False, touchZoom=False,
               zoomAnimation=False, fadeAnimation=False, markerZoomAnimation=False,
               children=[*panes, dl.ScaleControl(position="bottomleft", imperial=False)]),
        html.Div(className="gc-print-head", children=[
            html.H1(facts.title, className="gc-print-title"),
            html.Div(window_text(facts), className="gc-print-window"),
            html.Div(as_of_text(facts.data_as_of, lang), className="gc-print-asof"),
        ]),
        north_arrow(lang),
        html.Div(legend, className=legend_class),
        html.Div(source_text(facts), className="gc-print-source"),
    ])


def legend_height(layers: tuple[Layer, ...], h3: str | None) -> int:
    """The legend's height in CSS pixels, estimated from its rows (assets/style.css sizes)."""
    blocks = [len(layer.legend) for layer in layers]
    if h3:
        blocks.append(len(METRICS[h3].classes.colours) + 1)  # classes and the "<5" row
    return 40 + sum(LEGEND_BLOCK_PX + LEGEND_ROW_PX * rows for rows in blocks)


def source_text(facts: PrintFacts) -> str:
    """The source line, naming the basemap's attribution when a basemap is drawn."""
    source = t("print.source", facts.lang)
    if facts.tile_url and facts.tile_attribution:
        source += " · " + t("print.basemap", facts.lang, attribution=facts.tile_attribution)
    return source


def north_arrow(lang: str) -> html.Div:
    """A north arrow drawn with CSS borders (vector in PDF, no image file)."""
    return html.Div(className="gc-print-north", title=t("print.north_title", lang), children=[
        html.Div(className="gc-print-north-arrow"),
        html.Span("N", className="gc-print-north-letter"),
    ])


def error_page(message: str, lang: str) -> html.Div:
    """What the print view shows for bad parameters; print.js reports it to the exporter."""
    return html.Div(id=ROOT, className="gc-print gc-print-failed", **{"data-error": message},
                    children=[html.P(t("print.error", lang, message=message))])


def _h3_pane(metric: str, url: str | None, z_index: int, lang: str) -> dl.Pane:
    # Not interactive either; the cells are coloured by map_h3.js from the hideout's classes.
    return dl.Pane(name=h3_view.OVERLAY_PANE, style={"zIndex": z_index}, children=[dl.GeoJSON(
        url=url, style=h3_view.STYLE_FN, hideout=h3_view.overlay_hideout(metric, lang),
        interactive=False)])


def _geojson(layer: Layer, url: str | None, lang: str) -> dl.GeoJSON:
    # Not interactive: a snapshot has no hover or click, and it draws faster without them.
    # Layers that write names on their features (the zones) need onEachFeature for them.
    each = {"onEachFeature": EACH_FEATURE_FN} if layer.map_label else {}
    return dl.GeoJSON(url=url, style=STYLE_FN, hideout=hideout(layer, lang), interactive=False,
                      **each, **point_options(layer))
