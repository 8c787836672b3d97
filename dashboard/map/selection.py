"""The persistent highlight on the map: the selected region, or a KPI tile's places.

A separate GeoJSON in its own pane above every layer (assets/map_selection.js styles it), so
the selection stays marked after the mouse leaves, whatever the layers redraw underneath.
"""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import ALL, Dash, Input, Output, State, ctx, no_update

from dashboard.map import ids
from dashboard.state import read_connection
from geo.features import BadParameter
from geo.highlight import PLACE_KPIS, kpi_highlight, region_highlight
from geo.regions import UnknownRegion
from geo.timewindow import parse_window

PANE = "gc-selection-pane"
EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}


def pane(z_index: int) -> dl.Pane:
    """The highlight's pane and GeoJSON, drawn above the layers at `z_index`."""
    return dl.Pane(name=PANE, style={"zIndex": z_index, "pointerEvents": "none"}, children=[
        dl.GeoJSON(id=ids.SELECTION, data=EMPTY, interactive=False,
                   style={"variable": "gridcmd.selection.style"},
                   pointToLayer={"variable": "gridcmd.selection.pointToLayer"},
                   hideout={"pane": PANE}),
    ])


def shapes_for_region(selected: Any) -> dict[str, Any]:
    """The highlight of a SELECTED_REGION value ({"kind", "code"} or None)."""
    if not isinstance(selected, dict) or not selected.get("kind") or not selected.get("code"):
        return EMPTY
    try:
        with read_connection() as conn:  # read-only
            return region_highlight(conn, str(selected["kind"]), str(selected["code"]))
    except (BadParameter, UnknownRegion):
        return EMPTY


def shapes_for_kpi(kpi: str, window: Any) -> dict[str, Any] | None:
    """The highlight of a KPI tile's places; None for town-wide figures (keep what is shown)."""
    if kpi not in PLACE_KPIS:
        return None
    window = window if isinstance(window, dict) else {}
    try:
        since_until = parse_window(window.get("since"), window.get("until"))
    except BadParameter:
        return None
    with read_connection() as conn:  # read-only
        return kpi_highlight(conn, kpi, since_until)


def register(app: Dash) -> None:
    """Attach the highlight's callbacks to `app`."""

    @app.callback(
        Output(ids.SELECTION, "data", allow_duplicate=True),
        Input(ids.SELECTED_REGION, "data"),
        prevent_initial_call=True,
    )
    def highlight_region(selected):
        return shapes_for_region(selected)

    @app.callback(
        Output(ids.SELECTION, "data", allow_duplicate=True),
        Input({"type": ids.KPI_TILE, "kpi": ALL}, "n_clicks"),
        State(ids.TIME_WINDOW, "data"),
        prevent_initial_call=True,
    )
    def highlight_kpi(_clicks, window):
        tile = ctx.triggered_id
        if not tile or not ctx.triggered[0]["value"]:
            return no_update
        shapes = shapes_for_kpi(tile["kpi"], window)
        return shapes if shapes is not None else no_update
