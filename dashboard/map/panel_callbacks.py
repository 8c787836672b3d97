"""Callbacks of the drill-down panel: what a click selects, and the panel for a selection.

Thin on purpose: `selection_from_click` and `panel_view` are plain functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, ctx, no_update
from psycopg_pool import ConnectionPool

from dashboard.auth.policy import UNMASK
from dashboard.auth.principal import current
from dashboard.auth.scope import AccessDenied, check_community, community_scope
from dashboard.auth.trail import audit
from dashboard.i18n import normalise, t
from dashboard.map import ids
from dashboard.map.flyto import fly_to_bbox
from dashboard.map.panel import message, render_panel
from dashboard.page_inputs import (
    FLY,
    LANG,
    SELECT,
    SELECTION,
    WINDOW,
    clicked,
    close_button,
    window_of,
)
from dashboard.state import QUERY_WAIT_S, connection, get_state
from geo.errors import BadParameter
from geo.regions import OutsideScope, UnknownRegion, region_record
from geo.search import region_bounds
from layers.registry import Registry, UnknownLayer

CLOSED, OPEN = "gc-drill", "gc-drill gc-open"
_LAYER_CLICKS = {"type": ids.LAYER_GEOJSON, "layer": ALL}
_REGION_CLICKS = {"type": ids.REGION_GEOJSON, "kind": ALL}
_CRUMBS = {"type": ids.PANEL_CRUMB, "kind": ALL, "code": ALL}


def selection_from_click(trigger: Mapping[str, Any] | None, feature: Any,
                         registry: Registry) -> dict | None:
    """{"kind", "code"} of the clicked feature, or None when the feature is not a region."""
    if not isinstance(trigger, Mapping) or not isinstance(feature, Mapping):
        return None
    props = feature.get("properties") or {}
    if trigger.get("type") == ids.LAYER_GEOJSON:
        try:
            kind = registry.get(trigger.get("layer")).detail_kind
        except UnknownLayer:
            return None
        code = props.get("code")
    elif trigger.get("type") == ids.REGION_GEOJSON:
        kind = trigger.get("kind")
        code = props.get("code") or props.get("cell") or feature.get("id")
    else:
        return None
    return {"kind": kind, "code": str(code)} if kind and code else None


def panel_view(selected: Mapping[str, Any] | None, window: Mapping[str, Any] | None, lang: str,
               pool: ConnectionPool, unmask: bool = False) -> tuple[list, str]:
    """(panel body, panel class) for the selected region in the time window.

    `unmask` is honoured only for a principal that may unmask (checked here, on the server).
    """
    who = current()
    unmask = bool(unmask) and who is not None and who.can(UNMASK)
    if not selected or not selected.get("kind") or not selected.get("code"):
        return [], CLOSED
    try:
        since_until = window_of(window)
        with pool.connection(timeout=QUERY_WAIT_S) as conn:
            record = region_record(conn, selected["kind"], str(selected["code"]), since_until,
                                   unmask=unmask, communities=community_scope())
        check_community(record["community_code"])  # the server's check, not the UI's
    except UnknownRegion:
        return message(t("panel.not_found", lang)), OPEN
    except BadParameter as exc:
        return message(t("panel.bad_window", lang, message=str(exc))), OPEN
    except (AccessDenied, OutsideScope):
        return message(t("panel.forbidden", lang)), OPEN
    audit("unmask" if unmask else "drilldown", f"{selected['kind']}/{selected['code']}",
          {"via": "panel"})
    return render_panel(record, lang), OPEN


def register(app: Dash, registry: Registry) -> None:
    """Attach the panel's callbacks to `app`."""

    @app.callback(
        SELECT,
        Input(_LAYER_CLICKS, "clickData"), Input(_REGION_CLICKS, "clickData"),
        prevent_initial_call=True,
    )
    def select_clicked(_layer_clicks, _region_clicks):
        chosen = selection_from_click(ctx.triggered_id, ctx.triggered[0]["value"], registry)
        return chosen if chosen else no_update

    @app.callback(
        SELECT, FLY,
        Input(_CRUMBS, "n_clicks"),
        prevent_initial_call=True,
    )
    def select_crumb(_clicks):
        # Re-rendering the panel creates fresh crumbs (n_clicks 0): only a real click counts.
        crumb = clicked()
        if not crumb:
            return no_update, no_update
        with connection() as conn:
            bbox = region_bounds(conn, crumb["kind"], crumb["code"])
        viewport = fly_to_bbox(bbox) if bbox else no_update
        # The town is not a drill-down region: its crumb closes the panel and shows the town.
        chosen = None if crumb["kind"] == "town" else {"kind": crumb["kind"],
                                                       "code": crumb["code"]}
        return chosen, viewport

    close_button(app, SELECT, ids.PANEL_CLOSE)

    @app.callback(
        Output(ids.PANEL_BODY, "children"), Output(ids.PANEL, "className"),
        SELECTION, WINDOW, LANG, Input(ids.PANEL_UNMASK, "value"),
        prevent_initial_call=True,  # nothing is selected at load: the layout's closed panel
    )
    def show_panel(selected, window, lang, unmask):
        return panel_view(selected, window, normalise(lang), get_state().pool, bool(unmask))
