"""The KPI bar above the map: headline figures for the time window; a tile click shows its places.

Layout and formatting are plain functions; the two callbacks only fetch and hand over. A tile
click highlights the tile's places (dashboard/map/selection.py's pane) and flies over them.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, html, no_update

from dashboard.i18n import normalise, t
from dashboard.kpi_figures import format_kpi, tile_classes
from dashboard.language import tr
from dashboard.map import ids
from dashboard.map.flyto import fly_to_bbox
from dashboard.page_inputs import FLY, LANG, WINDOW, WINDOW_NOW, clicked, window_of
from dashboard.state import read_connection
from geo.errors import BadParameter
from geo.highlight import PLACE_KPIS, kpi_highlight
from geo.kpi_extent import KPI_NAMES, kpi_extent
from geo.kpis import kpis
from geo.params import Bbox

TOWN_MAX_ZOOM = 15  # a handful of tickets close together should not fly to a single street


def tile_texts(figures: dict[str, Any], lang: str) -> tuple[list[str], list[str], list[str]]:
    """(value, class, title) of each tile in KPI_NAMES order for `figures` ({}: unavailable)."""
    values = [format_kpi(name, figures.get(name)) for name in KPI_NAMES]
    hint = t("kpi.zoom_hint", lang) if figures else t("kpi.unavailable", lang)
    return values, tile_classes(figures), [hint] * len(KPI_NAMES)


def layout(lang: str, figures: dict[str, Any] | None = None) -> html.Div:
    """The row of tiles with the default window's `figures` (read with the layout:
    dashboard/map/opening.py); None: not read, the values show "–"."""
    values, classes, titles = tile_texts(figures or {}, lang)
    if figures is None:  # not read: the tiles keep the click hint, not "unavailable"
        titles = [t("kpi.zoom_hint", lang)] * len(KPI_NAMES)
    return html.Div(id=ids.KPI_BAR, className="gc-kpibar", children=[
        html.Button(
            id={"type": ids.KPI_TILE, "kpi": name}, n_clicks=0, title=title,
            className=tile_class,
            children=[html.Div(value, id={"type": ids.KPI_VALUE, "kpi": name},
                               className="gc-kpi-value"),
                      html.Div(tr(f"kpi.{name}", lang), id={"type": ids.KPI_LABEL, "kpi": name},
                               className="gc-kpi-label")],
        )
        for name, value, tile_class, title in zip(KPI_NAMES, values, classes, titles,
                                                  strict=True)
    ])


def register(app: Dash) -> None:
    """Attach the KPI bar's callbacks to `app`."""
    tiles = {"type": ids.KPI_TILE, "kpi": ALL}

    @app.callback(
        Output({"type": ids.KPI_VALUE, "kpi": ALL}, "children"),
        Output(tiles, "className"),
        Output(tiles, "title"),
        WINDOW,
        LANG,
        prevent_initial_call=True,  # the layout holds the default window's figures
    )
    def show_figures(window, lang):
        lang = normalise(lang)
        try:
            since_until = window_of(window)
        except BadParameter:
            # The time bar reports its own errors; the tiles show blanks until it is fixed.
            figures = {}
        else:
            with read_connection() as conn:  # read-only: the replica when one serves
                figures = kpis(conn, since_until)
        return tile_texts(figures, lang)

    @app.callback(
        Output(ids.SELECTION, "data", allow_duplicate=True),
        FLY,
        Input(tiles, "n_clicks"),
        WINDOW_NOW,
        prevent_initial_call=True,
    )
    def show_where(_clicks, window):
        # One click, one read: the tile's places are highlighted and the map flies over them.
        tile = clicked()
        if not tile:
            return no_update, no_update
        shapes, bbox = where(tile["kpi"], window)
        return (shapes if shapes is not None else no_update,
                fly_to_bbox(bbox, max_zoom=TOWN_MAX_ZOOM) if bbox else no_update)


def where(kpi: str, window: Any) -> tuple[dict[str, Any] | None, Bbox | None]:
    """(the highlight of a tile's places, the box to fly to): a town-wide figure highlights
    nothing (None: keep what is shown) and flies over the town, as does one without rows."""
    try:
        since_until = window_of(window)
    except BadParameter:  # the time bar reports its own errors
        return None, None
    with read_connection() as conn:  # read-only
        shapes = kpi_highlight(conn, kpi, since_until) if kpi in PLACE_KPIS else None
        bbox = (shapes or {}).get("bbox") or kpi_extent(conn, kpi, since_until)
    return shapes, tuple(bbox) if bbox else None
