"""The wall's kiosk page: title strip, full map with its view name, KPI tiles and ticker."""

from __future__ import annotations

import dash_leaflet as dl
from dash import dcc, html

from dashboard.language import tr
from dashboard.map import h3_view
from dashboard.map.page import EACH_FEATURE_FN
from dashboard.map.viewport import TOWN_CENTRE, TOWN_ZOOM, hideout, layer_url
from dashboard.settings import Settings
from dashboard.tickets import wall_live
from dashboard.wall import ids
from dashboard.wall.base_layers import BASE_BBOX, BASE_LAYERS, base_layer_data
from dashboard.wall.config import View
from dashboard.wall.legend import legend
from dashboard.wall.look import case_style, wall_style
from geo.kpi_extent import KPI_NAMES
from layers.registry import Registry

__all__ = ["BASE_BBOX", "BASE_LAYERS", "layout"]
WALL_POINT_FN = {"variable": "gridcmd_wall.pointToLayer"}  # assets/wall.js
LABEL_FN = {"variable": "gridcmd_wall.labelToLayer"}  # assets/wall.js: counts as map text
# The map's style functions with line weights grown by the wall's size factor (assets/wall.js):
# at 4K the town boundary and the grid outlines are as wide, relative to the screen, as at 1080p.
STYLE_FN = {"variable": "gridcmd_wall.style"}
H3_STYLE_FN = {"variable": "gridcmd_wall.h3Style"}
OUTLINE_STYLE = {"color": "#ff4d5e", "weight": 5, "fillColor": "#ff4d5e", "fillOpacity": 0.08}


def layout(settings: Settings, registry: Registry, views: tuple[View, ...],
           lang: str) -> html.Div:
    """The whole wall page (no controls: it runs unattended)."""
    # Who may open it is dashboard/auth's business (a read-only wall token in the URL).
    refresh_ms = max(1, settings.wall_refresh) * 1000
    # Embedded, not fetched: the map keeps its landmarks when the database is down on open.
    base = base_layer_data(registry)
    return html.Div(id=ids.ROOT, className="gc-wall", children=[
        dcc.Location(id=ids.LOCATION, refresh=False),
        dcc.Store(id=ids.LANG, data=lang),
        dcc.Store(id=ids.MEMORY, data={}),
        dcc.Interval(id=ids.REFRESH, interval=refresh_ms),
        dcc.Interval(id=ids.ROTATE, interval=views[0].seconds * 1000),
        dcc.Interval(id=ids.CLOCK_TICK, interval=1000),
        html.Header(className="gc-wall-head", children=[
            html.H1(tr("title", lang), id=ids.TITLE, className="gc-wall-title"),
            html.Div(id=ids.AS_OF, className="gc-wall-as-of"),
            html.Div("--:--:--", id=ids.CLOCK, className="gc-wall-clock"),
        ]),
        html.Div(id=ids.BANNER, className="gc-wall-banner gc-wall-hidden"),
        html.Div(className="gc-wall-body", children=[
            html.Main(className="gc-wall-map-wrap", children=[
                _map(settings, registry, base, lang),
                html.Div(id=ids.VIEW_NAME, className="gc-wall-view"),
                html.Div(legend(views[0], registry, lang), id=ids.VIEW_LEGEND,
                         className="gc-wall-legend", **{"data-testid": "wall-legend"}),
            ]),
            html.Aside(className="gc-wall-side", children=[
                html.Div(id=ids.KPIS, className="gc-wall-kpis", children=[
                    html.Div(id={"type": ids.KPI_TILE, "kpi": name},
                             className=f"gc-wall-kpi gc-kpi-{name}", children=[
                        html.Div("–", id={"type": ids.KPI_VALUE, "kpi": name},
                                 className="gc-wall-kpi-value"),
                        html.Div(tr(f"kpi.{name}", lang), className="gc-wall-kpi-label",
                                 id={"type": ids.KPI_LABEL, "kpi": name}),
                    ]) for name in KPI_NAMES]),
                html.H2(tr("wall.ticker", lang), id=ids.TICKER_HEAD,
                        className="gc-wall-ticker-head"),
                html.Ul(id=ids.TICKER, className="gc-wall-ticker"),
                *wall_live.components(lang),  # 接诉即办: follows the ticket change feed
            ]),
        ]),
    ])


def _map(settings: Settings, registry: Registry, base: dict[str, dict | None],
         lang: str) -> dl.Map:
    children: list = []
    if settings.tile_url:  # offline halls have none; the context layer carries the map
        children.append(dl.TileLayer(url=settings.tile_url,
                                     attribution=settings.tile_attribution))
    for order, layer_id in enumerate(BASE_LAYERS):
        layer = registry.get(layer_id)
        # Embedded (the last good copy when the database is down); by URL only in a process
        # that has never read them.
        data = base[layer_id]
        source = {"data": data} if data is not None else {
            "url": layer_url(layer, BASE_BBOX, TOWN_ZOOM)}
        # Muted for the dark theme: the data, not the roads, is what the eye should find.
        layer_hideout = {**hideout(layer, lang), "style": wall_style(layer_id, layer.style)}
        children.append(dl.Pane(name=f"gc-wall-{layer_id}", style={"zIndex": 410 + order},
                                children=[dl.GeoJSON(
            **source, style=STYLE_FN, onEachFeature=EACH_FEATURE_FN,
            hideout=layer_hideout, interactive=False)]))
    # The cases view's counts per community/village (filled by the rotation callback).
    children.append(dl.Pane(name="gc-wall-areas", style={"zIndex": 419}, children=[dl.GeoJSON(
        id=ids.AREAS, style=H3_STYLE_FN, hideout=h3_view.overlay_hideout("cases", lang),
        interactive=False)]))
    children.append(dl.Pane(name="gc-wall-h3", style={"zIndex": 420}, children=[dl.GeoJSON(
        id=ids.OVERLAY, style=H3_STYLE_FN, hideout=h3_view.overlay_hideout(None, lang),
        interactive=False)]))
    children.append(dl.Pane(name="gc-wall-outline", style={"zIndex": 425}, children=[
        dl.GeoJSON(id=ids.OUTLINE, interactive=False, style=STYLE_FN,
                   hideout={"style": {"base": OUTLINE_STYLE}})]))
    cases = registry.get("cases")
    for name, z, component_id in (("cases", 430, ids.CASES), ("overdue", 431, ids.OVERDUE)):
        point_hideout = {**hideout(cases, lang), "style": case_style(cases.style),
                         "pane": f"gc-wall-{name}", "alerts": []}
        if name == "overdue":
            point_hideout["style"] = {"base": {"radius": 9, "color": "#fff7e6", "weight": 2,
                                               "fillColor": "#ff9f1c", "fillOpacity": 1}}
            point_hideout["className"] = "gc-feature gc-wall-overdue-point gc-wall-pulse"
        children.append(dl.Pane(name=f"gc-wall-{name}", style={"zIndex": z}, children=[
            dl.GeoJSON(id=component_id, pointToLayer=WALL_POINT_FN, hideout=point_hideout,
                       interactive=False)]))
    children.append(dl.Pane(name="gc-wall-labels", style={"zIndex": 440}, children=[dl.GeoJSON(
        id=ids.AREA_LABELS, pointToLayer=LABEL_FN, hideout={"pane": "gc-wall-labels"},
        interactive=False)]))
    children.append(dl.ScaleControl(position="bottomright", imperial=False))
    return dl.Map(id=ids.MAP, className="gc-wall-map", center=list(TOWN_CENTRE), zoom=TOWN_ZOOM,
                  minZoom=9, maxZoom=19, children=children, attributionControl=False,
                  zoomControl=False, dragging=False, scrollWheelZoom=False,
                  doubleClickZoom=False, keyboard=False, zoomSnap=0.25)
