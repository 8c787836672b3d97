"""The command map page: title bar, layer panel, full-height map, legend."""

from __future__ import annotations

import dash_leaflet as dl
from dash import dcc, html

from dashboard import ops
from dashboard.auth.account_box import account_box, may_unmask
from dashboard.export.menu import export_menu
from dashboard.i18n import normalise, t
from dashboard.language import Attr, attr, tr
from dashboard.map import h3_view, ids, kpibar, panel, search_box, selection, timebar
from dashboard.map.legend import legend_panel, toggle_options
from dashboard.map.opening import Opening
from dashboard.map.point_layers import point_options
from dashboard.map.viewport import OPENING_CENTRE, TOWN_ZOOM, hideout, viewport_urls
from dashboard.page_inputs import empty_store
from dashboard.settings import Settings
from dashboard.tickets import panel as ticket_panel
from dashboard.zones import panel as zones_panel
from layers.model import Layer
from layers.registry import Registry

# Functions defined in assets/map_styles.js, resolved by dash-leaflet from `window`.
STYLE_FN = {"variable": "gridcmd.map.style"}
EACH_FEATURE_FN = {"variable": "gridcmd.map.onEachFeature"}
HOVER = {"weight": 3, "color": "#111827", "opacity": 1}


def layout(settings: Settings, registry: Registry, opening: Opening | None = None,
           lang: str | None = None) -> html.Div:
    """The whole page in `lang` (default: the settings' language), with the `opening` figures
    (KPI bar, histogram: dashboard/map/opening.py read_opening(); None: the tiles show "–")."""
    opening = opening or Opening()
    lang = normalise(lang or settings.lang)
    layers = registry.all()
    visible = [layer.id for layer in layers if layer.default_visible]
    return html.Div(className="gc-app", children=[
        dcc.Store(id=ids.TIME_WINDOW, data={"since": None, "until": None}),
        empty_store(ids.SELECTED_REGION),
        html.Header(className="gc-titlebar", children=[
            html.H1(tr("title", lang), id=ids.TITLE),
            ops.toolbar(lang),  # the 运行 / Operations drawer (dashboard/ops/)
            zones_panel.entry_button(lang),  # opens the containment-zones box
            ticket_panel.entry_button(lang, ticket_panel.may_dispatch()),  # the batch box
            # 导出: current view PNG/PDF, briefing (dashboard/export/menu.py)
            export_menu(lang, visible),
            dcc.RadioItems(
                id=ids.LANG_SWITCH, className="gc-lang", inline=True, value=lang,
                options=[{"label": "中文", "value": "zh"}, {"label": "English", "value": "en"}],
            ),
            account_box(lang),
        ]),
        kpibar.layout(lang, opening.kpis),
        html.Div(className="gc-body", children=[
            html.Aside(className="gc-panel", children=[
                search_box.layout(lang),
                html.H2(tr("layers", lang), id=ids.LAYERS_HEADING),
                dcc.Checklist(id=ids.LAYER_TOGGLE, className="gc-toggle",
                              options=toggle_options(layers, lang), value=visible),
                html.Div(t("zoom_now", lang, zoom=TOWN_ZOOM), id=ids.ZOOM_NOTE,
                         className="gc-zoom-note"),
                h3_view.selector(lang),
            ]),
            html.Main(className="gc-map-wrap", children=[
                _map(settings, layers, visible, lang),
                timebar.layout(lang, opening.activity),
                # before the legend: CSS moves the legend aside when the panel is open
                panel.layout(lang, may_unmask()),
                zones_panel.layout(lang),  # containment zones (dashboard/zones/panel.py)
                # 接诉即办: one ticket, dispatch, batch dispatch (dashboard/tickets/)
                ticket_panel.layout(lang),
                legend_panel(layers, visible, lang, TOWN_ZOOM),
            ]),
        ]),
    ])


def attributes(registry: Registry) -> tuple[Attr, ...]:
    """Every translated attribute of the page (placeholders, titles, options, tab labels):
    the one language callback (dashboard/language.py) writes them with the tr() spans."""
    return (attr(ids.LAYER_TOGGLE, "options", lambda lang: toggle_options(registry.all(), lang)),
            *search_box.ATTRIBUTES, *timebar.ATTRIBUTES, *h3_view.ATTRIBUTES, *ops.ATTRIBUTES,
            *zones_panel.ATTRIBUTES, *ticket_panel.ATTRIBUTES, *panel.ATTRIBUTES)


def _map(settings: Settings, layers: tuple[Layer, ...], visible: list[str],
         lang: str) -> dl.Map:
    children: list = []
    # The town view's data URLs are in the page itself: each layer fetches as soon as it
    # mounts, before any callback has run (first paint). They are the URLs fetch_viewport
    # gives for the estimated screen, so its first call keeps them (no second request).
    first_urls = viewport_urls(layers, visible, None, TOWN_ZOOM, OPENING_CENTRE)
    # No basemap unless one is configured: the command hall may be offline, and the town's
    # own rivers and roads (the context layer) make the map legible without tiles.
    if settings.tile_url:
        children.append(dl.TileLayer(url=settings.tile_url,
                                     attribution=settings.tile_attribution))
    overlay_z = h3_view.overlay_z([layer.kind for layer in layers])
    for order, layer in enumerate(layers):
        if 410 + order == overlay_z:  # same z-index, earlier in the DOM: under the markers
            children.append(h3_view.overlay_pane(overlay_z, lang))
        # One pane per layer fixes the drawing order, whichever layer's data arrives last.
        children.append(dl.Pane(name=ids.layer_pane(layer.id), style={"zIndex": 410 + order},
                                children=[_geojson(layer, lang, first_urls[order])]))
    children.append(zones_panel.proposal_pane(overlay_z - 1, layers, lang))  # above polygons
    # The selection's highlight above every layer.
    children.append(selection.pane(410 + len(layers)))
    children.append(ticket_panel.draw_layer())  # region selection for batch dispatch
    children.append(dl.ScaleControl(position="bottomleft", imperial=False))
    return dl.Map(id=ids.MAP, className="gc-map", center=list(OPENING_CENTRE), zoom=TOWN_ZOOM,
                  minZoom=9, maxZoom=19, children=children, attributionControl=False)


def _geojson(layer: Layer, lang: str, url: str | None) -> dl.GeoJSON:
    return dl.GeoJSON(
        id=ids.layer_geojson(layer.id),
        url=url,
        style=STYLE_FN,
        onEachFeature=EACH_FEATURE_FN,
        hideout=hideout(layer, lang),
        interactive=layer.interactive,
        # Markers (divIcons) have no setStyle: hover restyling is for paths only.
        hoverStyle=HOVER if layer.interactive and layer.kind != "point" else None,
        **point_options(layer),
    )
