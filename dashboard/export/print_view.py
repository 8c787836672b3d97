"""The print view at /print/: a second Dash app on the same server, with no controls.

Its layout is one dcc.Location; a callback reads the query (layers, bbox, size, since, until,
title, h3, lang) and answers the whole page, because Dash fetches a layout without the page's query.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

from dash import Dash, Input, Output, dcc, html
from flask import Flask

from dashboard.dash_mount import MAP_ONLY, mount_dash
from dashboard.export.fit import pad
from dashboard.export.params import chosen_layers, parse_params
from dashboard.export.print_layout import PrintFacts, error_page, page
from dashboard.i18n import normalise, t
from dashboard.map.viewport import TOWN_CENTRE, TOWN_ZOOM, bbox_around
from dashboard.state import connection, get_state
from geo.errors import BadParameter
from geo.freshness_stamp import data_as_of
from geo.kpi_extent import kpi_extent
from geo.timewindow import parse_window

PREFIX = "/print/"
TOWN_MARGIN = 0.03  # the town's own extent, padded so its boundary is not on the frame
# /print/?prewarm loads the scripts and draws nothing: the exporter keeps such a page open and
# later switches it to a real query in place, which saves reloading Dash (about a second).
PREWARM = "prewarm"
PREWARM_ID = "print-prewarm"


def mount(server: Flask, assets: Path, lang: str) -> Dash:
    """Create the print view's Dash app on `server` at /print/ (and redirect /print to it)."""
    app = mount_dash(server, PREFIX, "gridcmd_print", assets, lang,
                     html.Div([dcc.Location(id="print-location"),
                               html.Div(id="print-page", className="gc-print-wrap")]),
                     skip_assets=MAP_ONLY + ("wall.css", "wall.js"))

    @app.callback(Output("print-page", "children"), Input("print-location", "search"))
    def draw(search):
        return render((search or "").lstrip("?"), lang)

    return app


def render(query: str, lang: str) -> html.Div:
    """The print page for a query string, or an error page naming the bad parameter."""
    # A credential in the address (the snapshot browser's) is not a print parameter.
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
             if k not in ("render", "token")]
    if [k for k, _ in pairs] == [PREWARM]:
        return html.Div(id=PREWARM_ID)
    state = get_state()
    lang = normalise(lang)
    try:
        params = parse_params(dict(pairs), state.registry)
        since, until = parse_window(params.since, params.until)
    except BadParameter as exc:
        return error_page(str(exc), lang)
    lang = params.lang or lang
    bbox = params.bbox
    with connection() as conn:
        as_of = data_as_of(conn)
        if bbox is None:
            # "residents" is a town-wide figure: its extent is the towns' own extent.
            town = kpi_extent(conn, "residents", (since, until))
            bbox = pad(town, TOWN_MARGIN) if town else bbox_around(TOWN_CENTRE, TOWN_ZOOM,
                                                                     params.size)
    settings = state.settings
    facts = PrintFacts(title=params.title or t("title", lang), bbox=bbox, size=params.size,
                       since=since, until_text=params.until, data_as_of=as_of, lang=lang,
                       h3=params.h3, tile_url=settings.tile_url,
                       tile_attribution=settings.tile_attribution)
    window = {"since": params.since, "until": params.until}
    return page(chosen_layers(params, state.registry), facts, window)
