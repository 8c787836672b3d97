"""The command map page's shared callback dependencies, declared once: the language a switch
re-words in, the time window, the selected region and the map's view. Features wire to these
instead of spelling `Input(LANG_SWITCH, "value")` and friends in every callback.

`window_of()` reads the time window's store; `clicked()` is the guard every button-pattern
callback starts with: freshly drawn buttons arrive with n_clicks 0, so only a real click counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.page_ids import LANG_SWITCH, MAP, SELECTED_REGION, TIME_WINDOW
from geo.timewindow import window_from

LANG = Input(LANG_SWITCH, "value")  # a switch re-words the callback's output
LANG_NOW = State(LANG_SWITCH, "value")  # the language at the moment of a click
WINDOW = Input(TIME_WINDOW, "data")
WINDOW_NOW = State(TIME_WINDOW, "data")
SELECTION = Input(SELECTED_REGION, "data")
SELECT = Output(SELECTED_REGION, "data", allow_duplicate=True)  # opens the drill-down panel
FLY = Output(MAP, "viewport", allow_duplicate=True)  # moves the map (map/flyto.py)
VIEW = (Input(MAP, "bounds"), Input(MAP, "zoom"))  # a pan or a zoom
CENTRE = State(MAP, "center")


def clicked() -> Any:
    """The id of the component a real click triggered (n_clicks above 0), else None."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return None
    return ctx.triggered_id


def window_of(data: Any) -> tuple[datetime, datetime]:
    """The window the TIME_WINDOW store names (a browser value: anything but a mapping is the
    default window); BadParameter naming since/until as on the HTTP routes."""
    return window_from(data if isinstance(data, Mapping) else {})


def empty_store(component_id: str) -> dcc.Store:
    """A store that holds nothing yet (its callbacks read None).

    Not `data=None`: dcc.Store compares its `data` with its (empty) memory when it mounts and
    finds None unequal to "nothing", so it writes `data` at once, and every callback reading
    the store ran on each page load before the first paint (the drill-down panel, the
    selection, the zones box, the ticket panel and list), each answer a no-op."""
    return dcc.Store(id=component_id)


def close_button(app: Dash, box_store: Output, button: str) -> None:
    """Wire a box's × `button`: a click empties `box_store`, whose emptiness closes the box
    (the drill-down panel, the zones box)."""
    app.callback(box_store, Input(button, "n_clicks"), prevent_initial_call=True)(_emptied)


def _emptied(clicks: Any) -> Any:
    return None if clicks else no_update
