"""Callbacks of the map page (thin: the work is in map/viewport.py and map/legend.py)."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard.i18n import normalise, t
from dashboard.map import ids
from dashboard.map.legend import legend_box, proposal_layers, toggle_words
from dashboard.map.viewport import KEEP, hideout, viewport_urls
from dashboard.page_ids import ZONE_PROPOSAL
from dashboard.page_inputs import CENTRE, LANG, VIEW, WINDOW
from layers.registry import Registry

_ALL_LAYERS = {"type": ids.LAYER_GEOJSON, "layer": ALL}


def register(app: Dash, registry: Registry) -> None:
    """Attach the map page's callbacks to `app`."""

    @app.callback(
        Output(_ALL_LAYERS, "url"),
        *VIEW, Input(ids.LAYER_TOGGLE, "value"), WINDOW,
        CENTRE, State(_ALL_LAYERS, "id"), State(_ALL_LAYERS, "url"),
        prevent_initial_call=True,  # the layout holds the town view's URLs (map/page.py)
    )
    def fetch_viewport(bounds, zoom, visible, window, centre, component_ids, current):
        # Only layers whose data no longer serves the view are refetched: a pan inside the
        # fetched tiles, or a zoom in on points, or a new window for unwindowed layers costs
        # no request (and the browser cache answers repeated URLs for 60 s).
        layers = [registry.get(cid["layer"]) for cid in component_ids]
        urls = viewport_urls(layers, visible, bounds, zoom, centre, window, current)
        return [no_update if url in (KEEP, now) else url
                for url, now in zip(urls, current or [None] * len(urls), strict=True)]

    @app.callback(
        Output(ids.LEGEND, "children"), Output(ids.ZOOM_NOTE, "children"),
        Input(ids.LAYER_TOGGLE, "value"), Input(ids.MAP, "zoom"), LANG,
        Input(ZONE_PROPOSAL, "data"),
        prevent_initial_call=True,  # the layout draws the town zoom's legend and zoom note
    )
    def show_legend(visible, zoom, lang, proposal):
        lang = normalise(lang)
        shown_zoom = round(zoom) if zoom is not None else None
        return (legend_box(registry.all(), visible, lang, zoom, proposal_layers(proposal)),
                t("zoom_now", lang, zoom=shown_zoom))

    # The legend collapses and opens in the browser (assets/legend_toggle.js): at once, even
    # while the map's layer requests keep the server busy.
    app.clientside_callback(
        ClientsideFunction(namespace="gridcmd_legend", function_name="toggle"),
        Output(ids.LEGEND_BOX, "className"),
        Input(ids.LEGEND_TOGGLE, "n_clicks"),
        prevent_initial_call=True,  # the layout draws it open
    )

    @app.callback(
        Output(ids.LEGEND_TOGGLE, "children"),
        LANG,
        prevent_initial_call=True,  # the layout words it in the page's language
    )
    def word_legend_toggle(lang):
        return toggle_words(normalise(lang))

    @app.callback(
        Output(_ALL_LAYERS, "hideout"),
        LANG,
        State(_ALL_LAYERS, "id"),
        prevent_initial_call=True,
    )
    def relabel_layers(lang, component_ids):
        # Tooltips and map labels are data drawn in a language: the static labels of the page
        # are dashboard/language.py's.
        lang = normalise(lang)
        return [hideout(registry.get(cid["layer"]), lang) for cid in component_ids]
