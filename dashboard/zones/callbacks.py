"""Callbacks of the containment-zones box (thin: the work is in the plain functions here).

Flow: a click on a case or on an H3 cell of the cases overlay opens the box → "propose" draws
the proposal for the page's time window → "publish" stores it as the next plan version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dash import Dash, Input, Output, State, ctx, no_update
from psycopg_pool import ConnectionPool

from dashboard import page_ids as ids
from dashboard.auth import policy
from dashboard.auth.principal import current
from dashboard.auth.trail import audit, signed_by
from dashboard.i18n import normalise, t
from dashboard.map.flyto import fly_to_bbox
from dashboard.map.panel import label
from dashboard.page_inputs import FLY, LANG, LANG_NOW, WINDOW_NOW, close_button, window_of
from dashboard.state import QUERY_WAIT_S, get_state
from dashboard.zones import adjust as za
from dashboard.zones import adjust_callbacks as zones_adjust_callbacks
from dashboard.zones import panel as zp
from geo.errors import BadParameter
from geo.zones import ADJUSTMENTS, ZoneRequest, propose_zones, publish_zones

CASE_CLICKS = {"type": ids.LAYER_GEOJSON, "layer": "cases"}
CELL_CLICKS = {"type": ids.REGION_GEOJSON, "kind": "h3"}
ZONES_LAYER = ids.layer_geojson(zp.LAYER_ID)  # the published zones, redrawn after publishing
CASES_METRIC = "cases"  # the H3 overlay metric whose cells offer zones
BOX_PX = 360  # the zones box covers the map's left side: keep the proposal right of it


def pick_from_click(trigger: Any, feature: Any, metric: str | None, lang: str) -> dict | None:
    """{"kind", "code", "label"} of a clicked case, or of a cell of the cases overlay."""
    if not isinstance(trigger, Mapping) or not isinstance(feature, Mapping):
        return None
    props = feature.get("properties") or {}
    if trigger.get("type") == ids.LAYER_GEOJSON and trigger.get("layer") == "cases":
        code = props.get("code") or feature.get("id")
        text = " ".join(str(part) for part in (
            label("value.category", str(props.get("category", "")), lang),
            props.get("reported") or "") if part)
        return ({"kind": "case", "code": str(code), "label": text or str(code),
                 **_middle(feature)} if code else None)
    if trigger.get("type") == ids.REGION_GEOJSON and metric == CASES_METRIC:
        cell = props.get("cell") or props.get("code") or feature.get("id")
        return ({"kind": "h3", "code": str(cell), "label": str(cell), **_middle(feature)}
                if cell else None)
    return None


def _middle(feature: Mapping[str, Any]) -> dict[str, float]:
    """{"lat", "lng"} of a clicked point, or the mean of a clicked cell's corners ({} if none)."""
    try:
        points = _points((feature.get("geometry") or {}).get("coordinates"))
        lngs, lats = [float(p[0]) for p in points], [float(p[1]) for p in points]
    except (TypeError, ValueError, IndexError):
        return {}
    if not points:
        return {}
    return {"lat": round(sum(lats) / len(lats), 6), "lng": round(sum(lngs) / len(lngs), 6)}


def zone_request(window: Mapping[str, Any] | None, mode: Any, buffer_m: Any,
                 days: Any, adjust: Mapping[str, Sequence[str]] | None = None) -> ZoneRequest:
    """The request for the page's time window (default: the map's last 30 days) and inputs,
    with the adjustment lists (add_buildings … remove_compounds) typed or clicked."""
    since, until = window_of(window)
    try:
        buffer_value = float(buffer_m)
    except (TypeError, ValueError):
        raise BadParameter("buffer_m", "metres, 10..5000") from None
    try:
        days_value = int(days)
    except (TypeError, ValueError):
        raise BadParameter("days", "whole days, 1..60") from None
    lists = {name: tuple(str(c) for c in (adjust or {}).get(name) or ()) for name in ADJUSTMENTS}
    request = ZoneRequest(since=since, until=until, mode=str(mode or "grid"),
                          buffer_m=buffer_value, days=days_value, **lists)
    request.check()
    return request


def request_data(request: ZoneRequest, zones: Sequence[Mapping[str, Any]] = ()
                 ) -> dict[str, Any]:
    """The request as plain data for the page store (publish uses exactly this), with the
    centre of the proposal's 封控区 (where its call list starts; None without zones) and the
    zones' figures without their shapes (a language switch re-words them from here)."""
    return {"since": request.since.isoformat(), "until": request.until.isoformat(),
            "mode": request.mode, "buffer_m": request.buffer_m, "days": request.days,
            **request.adjustments(), "centre": zones[0].get("centre") if zones else None,
            "figures": [{k: v for k, v in zone.items() if k != "geometry"} for zone in zones]}


def request_from_data(data: Mapping[str, Any]) -> ZoneRequest:
    """The stored request back as a ZoneRequest."""
    lists = {name: tuple(str(code) for code in data.get(name) or ()) for name in ADJUSTMENTS}
    return ZoneRequest(since=datetime.fromisoformat(data["since"]),
                       until=datetime.fromisoformat(data["until"]), mode=data["mode"],
                       buffer_m=float(data["buffer_m"]), days=int(data["days"]), **lists)


def proposal_viewport(zones: Sequence[Mapping[str, Any]]) -> dict | None:
    """`viewport` flying the map to the proposal's zones, clear of the box."""
    points = [point for zone in zones for point in _points(zone["geometry"]["coordinates"])]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    viewport = fly_to_bbox((min(xs), min(ys), max(xs), max(ys)))
    viewport["options"]["paddingTopLeft"] = [BOX_PX, 40]
    return viewport


def _points(coordinates: Any) -> list:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates]
    return [point for part in coordinates or [] for point in _points(part)]


def propose_view(window: Mapping[str, Any] | None, mode: Any, buffer_m: Any, days: Any,
                 lang: str, pool: ConnectionPool,
                 adjust: Mapping[str, Sequence[str]] | None = None
                 ) -> tuple[Any, list, Any, str, Any]:
    """(proposal GeoJSON, result children, stored request, publish block class, viewport)."""
    try:
        request = zone_request(window, mode, buffer_m, days, adjust)
        with pool.connection(timeout=QUERY_WAIT_S) as conn:
            zones = propose_zones(conn, request)
    except BadParameter as exc:
        return (None, zp.message(t("zones.bad_parameter", lang, message=str(exc))), None,
                zp.PUBLISH_HIDDEN, no_update)
    shown = zp.PUBLISH_SHOWN if zones else zp.PUBLISH_HIDDEN
    stored = request_data(request, zones)
    return (zp.proposal_geojson(zones), result_in(stored, lang), stored, shown,
            proposal_viewport(zones) or no_update)


def result_in(data: Mapping[str, Any] | None, lang: str) -> Any:
    """The box's figures for the proposal on screen, in `lang`, from the page store: a
    language switch re-words them without asking the database again (no_update without a
    proposal or with a store the browser changed into something that is not one)."""
    if not isinstance(data, Mapping):
        return no_update
    try:
        window = (datetime.fromisoformat(data["since"]), datetime.fromisoformat(data["until"]))
        return zp.render_result(list(data["figures"]), window, lang)
    except (AttributeError, KeyError, TypeError, ValueError):
        return no_update


def publish_view(data: Mapping[str, Any] | None, publisher: str | None, town_code: str,
                 lang: str, pool: ConnectionPool) -> tuple[str, str | None]:
    """Publish the proposal on screen: (the note for the box, the new plan's code or None).

    Callbacks all travel through one Dash URL, so the publish permission is checked here too.
    """
    principal = current()
    if principal is not None and not principal.can(policy.PUBLISH):
        return t("zones.forbidden", lang), None
    if not data:
        return t("zones.nothing_to_publish", lang), None
    try:
        request = request_from_data(data)
    except (KeyError, TypeError, ValueError):  # the store is browser-side: never trust it
        return t("zones.nothing_to_publish", lang), None
    try:
        with pool.connection(timeout=QUERY_WAIT_S) as conn:
            plan = publish_zones(conn, request, town_code, signed_by(publisher))
    except BadParameter as exc:
        return t("zones.bad_parameter", lang, message=str(exc)), None
    audit("publish", f"zones/{plan['code']}", {"version": plan["version"], "via": "panel"})
    return t("zones.published", lang, version=plan["version"], code=plan["code"]), plan["code"]


def refreshed_url(url: str | None, plan_code: str) -> str | None:
    """The zones layer's URL made new (same viewport), so a visible layer fetches the new plan."""
    if not url:
        return None
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "plan"] + [("plan", plan_code)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def register(app: Dash) -> None:
    """Attach the zones box's callbacks to `app` (its adjustments and call list too)."""
    zones_adjust_callbacks.register(app)

    @app.callback(
        Output(zp.PICK, "data", allow_duplicate=True),
        Input(CASE_CLICKS, "clickData"), Input(CELL_CLICKS, "clickData"),
        State(ids.H3_SELECT, "value"), LANG_NOW,
        prevent_initial_call=True,
    )
    def pick(_case, _cell, metric, lang):
        chosen = pick_from_click(ctx.triggered_id, ctx.triggered[0]["value"], metric,
                                 normalise(lang))
        return chosen if chosen else no_update

    @app.callback(
        Output(zp.PICK, "data", allow_duplicate=True),
        Input(zp.ENTRY, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_for_town(clicks):
        return {"kind": "town", "code": "", "label": ""} if clicks else no_update

    close_button(app, Output(zp.PICK, "data", allow_duplicate=True), zp.CLOSE)

    @app.callback(
        Output(zp.PANEL, "className"), Output(zp.PICKED, "children"),
        Input(zp.PICK, "data"), LANG,
        prevent_initial_call=True,  # the layout's box is closed and empty
    )
    def show(pick_data, lang):
        return (zp.OPEN if pick_data else zp.CLOSED), zp.pick_text(pick_data, normalise(lang))

    @app.callback(
        Output(zp.PROPOSAL, "data"), Output(zp.RESULT, "children"), Output(zp.REQUEST, "data"),
        Output(zp.PUBLISH_BLOCK, "className"), Output(zp.PUBLISH_NOTE, "children"), FLY,
        Input(zp.PROPOSE, "n_clicks"), Input(zp.PICK, "data"),
        WINDOW_NOW, *[State(input_id, "value") for input_id in (zp.MODE, zp.BUFFER, zp.DAYS)],
        LANG_NOW, *[State(input_id, "value") for input_id in za.INPUTS],
        prevent_initial_call=True,
    )
    def propose(clicks, pick_data, window, mode, buffer_m, days, lang, *codes):
        if ctx.triggered_id == zp.PICK:  # closing the box takes the proposal off the map
            return ((None, [], None, zp.PUBLISH_HIDDEN, "", no_update) if not pick_data
                    else (no_update,) * 6)
        if not clicks:
            return (no_update,) * 6
        geojson, result, stored, shown, viewport = propose_view(
            window, mode, buffer_m, days, normalise(lang), get_state().pool,
            adjust=za.adjustments(codes))
        return geojson, result, stored, shown, "", viewport

    @app.callback(
        Output(zp.PUBLISH_NOTE, "children", allow_duplicate=True),
        Output(ZONES_LAYER, "url", allow_duplicate=True),
        Input(zp.PUBLISH, "n_clicks"),
        State(zp.REQUEST, "data"), State(zp.PUBLISHER, "value"), LANG_NOW,
        State(ZONES_LAYER, "url"),
        prevent_initial_call=True,
    )
    def publish(clicks, data, publisher, lang, layer_url):
        if not clicks:
            return no_update, no_update
        state = get_state()
        note, plan_code = publish_view(data, publisher, state.settings.town_code,
                                       normalise(lang), state.pool)
        fresh = refreshed_url(layer_url, plan_code) if plan_code else None
        return note, fresh or no_update

    @app.callback(
        Output(zp.PROPOSAL, "hideout"),
        LANG,
        prevent_initial_call=True,
    )
    def relabel_proposal(lang):
        # The zones' names on the map ("封控区 · 1,234人") and their tooltips follow the switch
        # at once: a new hideout redraws the drawn proposal with the new words.
        layers = get_state().registry.all()
        return zp.proposal_hideout(zp.layer_style(layers), normalise(lang))

    @app.callback(
        Output(zp.RESULT, "children", allow_duplicate=True),
        LANG,
        State(zp.REQUEST, "data"),
        prevent_initial_call=True,
    )
    def relabel_result(lang, data):
        # The box's figures (封控区, 常住人口 …) follow the switch too.
        return result_in(data, normalise(lang))
