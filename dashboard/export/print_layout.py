"""The print view's page: map, title, legend, scale, north arrow, window, freshness, source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import dash_leaflet as dl
from dash import html

from dashboard import ids
from dashboard.export.fit import MAX_ZOOM, MIN_ZOOM, fit_view, pad
from dashboard.i18n import t
from dashboard.legend import legend_box
from dashboard.pages.map_page import STYLE_FN
from dashboard.point_layers import point_options
from dashboard.viewport import hideout, layer_url
from geo.features import Bbox
from geo.timewindow import TOWN_TZ
from layers.model import Layer

ROOT = "gc-print"
FETCH_MARGIN = 0.02  # fetch a little past the edges: no feature is cut off mid-picture


@dataclass(frozen=True)
class PrintFacts:
    """What the page shows besides the layers, already resolved by the caller."""

    title: str
    bbox: Bbox
    size: tuple[int, int]
    since: datetime
    until_text: str | None
    data_as_of: str | None
    lang: str


def window_text(facts: PrintFacts) -> str:
    """'统计时段 2026-10-01 至 2026-10-31' (an open end reads 至 今)."""
    until = facts.until_text[:10] if facts.until_text else t("time.now", facts.lang)
    return t("print.window", facts.lang, since=facts.since.date().isoformat(), until=until)


def as_of_text(data_as_of: str | None, lang: str) -> str:
    """'数据截至 2026-11-25 08:00' in town time, from /healthz's UTC timestamp."""
    if not data_as_of:
        return t("print.as_of", lang, as_of=t("print.unknown", lang))
    moment = datetime.fromisoformat(data_as_of.replace("Z", "+00:00")).astimezone(TOWN_TZ)
    return t("print.as_of", lang, as_of=moment.strftime("%Y-%m-%d %H:%M"))


def page(layers: tuple[Layer, ...], facts: PrintFacts, window: dict) -> html.Div:
    """The whole print page; `data-layers` tells assets/print.js what must be drawn."""
    centre, zoom, shown = fit_view(facts.bbox, facts.size)
    fetch_bbox = pad(shown, FETCH_MARGIN)
    specs, panes = [], []
    for order, layer in enumerate(layers):
        url = layer_url(layer, fetch_bbox, zoom, window) if layer.visible_at(zoom) else None
        if url:
            specs.append({"id": layer.id, "url": url, "pane": ids.layer_pane(layer.id),
                          "clustered": layer.cluster})
        panes.append(dl.Pane(name=ids.layer_pane(layer.id), style={"zIndex": 410 + order},
                             children=[_geojson(layer, url, facts.lang)]))
    lang = facts.lang
    return html.Div(id=ROOT, className="gc-print", **{"data-layers": json.dumps(specs)},
                    children=[
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
        html.Div(legend_box(layers, [layer.id for layer in layers], lang, zoom),
                 className="gc-legend gc-print-legend"),
        html.Div(t("print.source", lang), className="gc-print-source"),
    ])


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


def _geojson(layer: Layer, url: str | None, lang: str) -> dl.GeoJSON:
    # Not interactive: a snapshot has no hover or click, and it draws faster without them.
    return dl.GeoJSON(url=url, style=STYLE_FN, hideout=hideout(layer, lang), interactive=False,
                      **point_options(layer))
