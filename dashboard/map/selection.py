"""The persistent highlight on the map: the selected region, or a KPI tile's places.

A separate GeoJSON in its own pane above every layer (assets/map_selection.js styles it), so
the selection stays marked after the mouse leaves, whatever the layers redraw underneath.
"""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import Dash, Output

from dashboard.map import ids
from dashboard.page_inputs import SELECTION
from dashboard.state import read_connection
from geo.errors import BadParameter
from geo.highlight import region_highlight
from geo.regions import UnknownRegion

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


def register(app: Dash) -> None:
    """Attach the region highlight's callback to `app` (a KPI tile's: dashboard/map/kpibar.py)."""

    @app.callback(
        Output(ids.SELECTION, "data", allow_duplicate=True),
        SELECTION,
        prevent_initial_call=True,
    )
    def highlight_region(selected):
        return shapes_for_region(selected)

