"""The KPI bar above the map: headline figures for the time window; a tile click shows its places.

Layout and formatting are plain functions; the two callbacks only fetch and hand over.
"""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from dashboard.i18n import normalise, t
from dashboard.kpi_figures import format_kpi, tile_classes
from dashboard.language import tr
from dashboard.map import ids
from dashboard.map.flyto import fly_to_bbox
from dashboard.state import read_connection
from geo.errors import BadParameter
from geo.kpi_extent import KPI_NAMES, kpi_extent
from geo.kpis import kpis
from geo.timewindow import parse_window

TOWN_MAX_ZOOM = 15  # a handful of tickets close together should not fly to a single street


def layout(lang: str) -> html.Div:
    """The row of tiles, values empty until the first callback fills them."""
    return html.Div(id=ids.KPI_BAR, className="gc-kpibar", children=[
        html.Button(
            id={"type": ids.KPI_TILE, "kpi": name}, n_clicks=0, title=t("kpi.zoom_hint", lang),
            className=f"gc-kpi gc-kpi-{name}",
            children=[html.Div("–", id={"type": ids.KPI_VALUE, "kpi": name},
                               className="gc-kpi-value"),
                      html.Div(tr(f"kpi.{name}", lang), id={"type": ids.KPI_LABEL, "kpi": name},
                               className="gc-kpi-label")],
        )
        for name in KPI_NAMES
    ])


def register(app: Dash) -> None:
    """Attach the KPI bar's callbacks to `app`."""
    tiles = {"type": ids.KPI_TILE, "kpi": ALL}

    @app.callback(
        Output({"type": ids.KPI_VALUE, "kpi": ALL}, "children"),
        Output(tiles, "className"),
        Output(tiles, "title"),
        Input(ids.TIME_WINDOW, "data"),
        Input(ids.LANG_SWITCH, "value"),
    )
    def show_figures(window, lang):
        lang = normalise(lang)
        window = window or {}
        try:
            since_until = parse_window(window.get("since"), window.get("until"))
        except BadParameter:
            # The time bar reports its own errors; the tiles show blanks until it is fixed.
            figures = {}
        else:
            with read_connection() as conn:  # read-only: the replica when one serves
                figures = kpis(conn, since_until)
        values = [format_kpi(name, figures.get(name)) for name in KPI_NAMES]
        hint = t("kpi.zoom_hint", lang) if figures else t("kpi.unavailable", lang)
        return values, tile_classes(figures), [hint] * len(KPI_NAMES)

    @app.callback(
        Output(ids.MAP, "viewport", allow_duplicate=True),
        Input(tiles, "n_clicks"),
        State(ids.TIME_WINDOW, "data"),
        prevent_initial_call=True,
    )
    def show_where(_clicks, window):
        tile = ctx.triggered_id
        if not tile or not ctx.triggered[0]["value"]:
            return no_update
        window = window or {}
        try:
            since_until = parse_window(window.get("since"), window.get("until"))
        except BadParameter:
            return no_update
        with read_connection() as conn:  # read-only
            bbox = kpi_extent(conn, tile["kpi"], since_until)
        if bbox is None:
            return no_update
        return fly_to_bbox(bbox, max_zoom=TOWN_MAX_ZOOM)
