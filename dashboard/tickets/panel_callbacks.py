"""Callbacks of the ticket panel: a click on a ticket opens it; a click on a cluster, or a
rectangle/polygon drawn on the map, lists its tickets and a line of the list opens one; the
dispatch button sends it (version-checked, as the API); the batch box dispatches the listed
waiting tickets at the versions shown (else those of the grid/community of the drill-down)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update
from psycopg import sql

from dashboard import page_ids as ids
from dashboard.auth.principal import current, remote_addr
from dashboard.auth.ticket_actor import actor_of
from dashboard.i18n import normalise, t
from dashboard.page_inputs import LANG, LANG_NOW
from dashboard.state import connection
from dashboard.tickets import panel
from geo import audit
from geo.ticket_batch import dispatch_batch, listed, region_tickets
from geo.ticket_store import act, describe, fetch, suggest_assignee
from geo.tickets import DISPATCH, TicketError
from geo.timewindow import TOWN_TZ

log = logging.getLogger(__name__)
MAX_BATCH = 200
MAX_LISTED = 100  # codes a cluster click passes (assets/map_clusters.js worstFirst)
LIST_FIELDS = ("code", "status", "category", "due_state")  # what the list shows (and due_at)


def _load(code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the ticket as the API shows it, candidates) — scope checked like the API."""
    who = current()
    if who is None:
        raise TicketError("sign in first")
    actor = actor_of(who)
    with connection() as conn:
        ticket = fetch(conn, code)
        if not actor.covers(ticket):
            raise TicketError(f"the ticket {code} lies outside your grids or communities")
        audit.record(conn, who.name, who.role, "ticket_view", code, {"via": "map"},
                     remote_addr())
        shown = describe(conn, ticket, datetime.now(TOWN_TZ))
        candidates = suggest_assignee(conn, ticket, 8) if DISPATCH in actor.rights else []
    return shown, candidates


def _view(code: str | None, lang: str, note: str = "", listing: Any = None):
    if not code:
        return (panel.SHOWN if listing else panel.HIDDEN), [], [], None, None, note
    try:
        ticket, candidates = _load(code)
    except TicketError as exc:
        return panel.SHOWN, [], [], None, None, t("ticket.failed", lang, reason=str(exc))
    chosen = (ticket["assignee"] or {}).get("code") or (
        (ticket.get("suggested_assignee") or {}).get("code"))
    options = panel.choice_options(candidates, lang)
    if chosen and chosen not in {o["value"] for o in options} and ticket["assignee"]:
        options.insert(0, {"value": chosen, "label": ticket["assignee"]["name"]})
    return (panel.SHOWN, panel.render(ticket, lang), options, chosen, ticket["version"], note)


def _region(drawn: Any) -> dict[str, Any] | None:
    """The last shape drawn (a GeoJSON Feature of the draw control), or None."""
    features = (drawn or {}).get("features") or [] if isinstance(drawn, dict) else []
    shapes = [f for f in features if isinstance(f, dict)
              and (f.get("geometry") or {}).get("type") == "Polygon"]
    return shapes[-1] if shapes else None


def _select_region(shape: dict[str, Any]) -> dict[str, Any]:
    who = current()
    if who is None or not who.can(DISPATCH):
        return {"kind": "region", "codes": [], "total": 0, "error": "dispatchers only"}
    try:
        with connection() as conn:
            found = region_tickets(conn, actor_of(who), shape, datetime.now(TOWN_TZ))
    except TicketError as exc:
        return {"kind": "region", "codes": [], "total": 0, "error": str(exc)}
    return {"kind": "region", "codes": [t["code"] for t in found["tickets"]],
            "total": found["total"]}


def register(app: Dash) -> None:
    """Attach the ticket panel's callbacks to the map app."""

    @app.callback(
        Output(panel.SELECTED, "data"), Output(panel.LISTED, "data"),
        Input(ids.layer_geojson("tickets"), "clickData"),
        Input(panel.CLOSE, "n_clicks"),
        Input({"type": panel.PICK, "code": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def choose(feature, _close, _picks):
        trigger = ctx.triggered_id
        if trigger == panel.CLOSE:
            return None, None
        if isinstance(trigger, dict) and trigger.get("type") == panel.PICK:
            # a line of the list; new lines come with n_clicks 0
            if not ctx.triggered or not ctx.triggered[0].get("value"):
                return no_update, no_update
            return str(trigger["code"]), no_update
        props = (feature or {}).get("properties") or {}
        if props.get("cluster"):  # the map zooms in too (point_layers.py)
            given = props.get("gc_codes")
            codes = [c for c in given if isinstance(c, str)][:MAX_LISTED] \
                if isinstance(given, list) else []
            count = props.get("point_count")
            return None, {"kind": "cluster", "codes": codes,
                          "total": count if isinstance(count, int) else len(codes)}
        if not props.get("code"):
            return no_update, no_update
        return str(props["code"]), None

    @app.callback(
        Output(panel.SELECTED, "data", allow_duplicate=True),
        Output(panel.LISTED, "data", allow_duplicate=True),
        Input(panel.DRAW, "geojson"),
        prevent_initial_call=True,
    )
    def choose_drawn(drawn):
        # Its own callback: the drawing tool is on the page only once the batch box has opened,
        # and a callback with an Input missing from the page does not run at all.
        shape = _region(drawn)
        return (None, _select_region(shape)) if shape else (no_update, no_update)

    @app.callback(
        Output(panel.LIST, "children"), Output(panel.LIST_VERSIONS, "data"),
        Output(panel.BATCH_CHOICE, "options"), Output(panel.LIST_SHOWN, "data"),
        Input(panel.LISTED, "data"),
        Input(panel.VERSION, "data"),  # a ticket of the list was dispatched: states re-read
        LANG,  # the list and the batch choice follow the switch, re-worded from LIST_SHOWN
        State(panel.LIST_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def show_list(listing, _version, page_lang, shown):
        lang = normalise(page_lang)
        who = current()
        if not isinstance(listing, dict) or who is None:
            return [], {}, panel.batch_options([], lang), None
        if ctx.triggered_id == ids.LANG_SWITCH and isinstance(shown, dict):
            try:
                return (panel.render_list(listing, shown["tickets"], lang), no_update,
                        panel.batch_options(shown["candidates"], lang), no_update)
            except (KeyError, TypeError, ValueError, AttributeError):  # a store the browser
                pass  # changed: read the list again
        given = listing.get("codes")
        codes = [c for c in given if isinstance(c, str)][:MAX_BATCH] \
            if isinstance(given, list) else []
        candidates: list = []
        with connection() as conn:
            tickets = listed(conn, actor_of(who), codes, datetime.now(TOWN_TZ)) if codes else []
            waiting = [x for x in tickets if x["status"] in panel.WAITING]
            if waiting and who.can(DISPATCH):  # on-duty workers near the first waiting one
                candidates = suggest_assignee(conn, fetch(conn, waiting[0]["code"]), 8)
        versions = {x["code"]: [x["version"], x["status"]] for x in tickets}
        shown = {"tickets": [{**{k: x[k] for k in LIST_FIELDS},
                              "due_at": x["due_at"].isoformat() if x["due_at"] else None}
                             for x in tickets], "candidates": candidates}
        return (panel.render_list(listing, shown["tickets"], lang), versions,
                panel.batch_options(candidates, lang), shown)

    @app.callback(
        Output(panel.PANEL, "className"), Output(panel.BODY, "children"),
        Output(panel.CHOICE, "options"), Output(panel.CHOICE, "value"),
        Output(panel.VERSION, "data"), Output(panel.MESSAGE, "children"),
        Output(panel.DISPATCH_ROW, "className"),
        Input(panel.SELECTED, "data"), Input(panel.DISPATCH, "n_clicks"),
        Input(panel.LISTED, "data"),
        State(panel.CHOICE, "value"), State(panel.VERSION, "data"),
        LANG_NOW,
        prevent_initial_call=True,
    )
    def show_or_dispatch(code, _clicks, listing, assignee, version, page_lang):
        lang = normalise(page_lang)
        row = panel.ROW_SHOWN if code else panel.ROW_HIDDEN
        if ctx.triggered_id != panel.DISPATCH:
            return (*_view(code, lang, listing=listing), row)
        who = current()
        if not code or who is None:
            return (no_update,) * 7
        try:
            with connection() as conn:
                moved = act(conn, code, "dispatch", version, actor_of(who),
                            datetime.now(TOWN_TZ), assignee=assignee)
                audit.record(conn, who.name, who.role, "ticket_action", code,
                             {"action": "dispatch", "via": "map",
                              "version": moved["version"]}, remote_addr())
        except TicketError as exc:
            return (*_view(code, lang, listing=listing)[:5],
                    t("ticket.failed", lang, reason=str(exc)), row)
        return (*_view(code, lang, listing=listing), row)

    @app.callback(
        Output(panel.BATCH, "className"), Output(panel.DRAW_GROUP, "children"),
        Input(panel.BATCH_ENTRY, "n_clicks"), Input(panel.BATCH_CLOSE, "n_clicks"),
        State(panel.BATCH, "className"), State(panel.DRAW_GROUP, "children"),
        prevent_initial_call=True,
    )
    def open_or_close_batch(_entry, _close, current_class, tools):
        # closed by default; only dispatchers may open it (their entry is the only one shown)
        who = current()
        shown = panel.batch_state(ctx.triggered_id, current_class,
                                  who is not None and who.can(DISPATCH))
        # The drawing tool goes on the map when the box first opens, and stays (with the
        # region drawn) while it is closed and opened again.
        mount = shown == panel.BATCH_OPEN and not tools
        return shown, [panel.draw_control()] if mount else no_update

    @app.callback(
        Output(panel.DRAW, "drawToolbar"), Output(panel.DRAW, "editToolbar"),
        Output(panel.BATCH_NOTE, "children", allow_duplicate=True),
        Input(panel.DRAW_RECT, "n_clicks"), Input(panel.DRAW_POLY, "n_clicks"),
        LANG_NOW,
        prevent_initial_call=True,
    )
    def start_drawing(rect, poly, page_lang):
        mode = "rectangle" if ctx.triggered_id == panel.DRAW_RECT else "polygon"
        clicks = (rect or 0) + (poly or 0)
        # the previous region goes first: one region at a time
        return ({"mode": mode, "n_clicks": clicks},
                {"mode": "remove", "action": "clear all", "n_clicks": clicks},
                t("ticket.draw_hint", normalise(page_lang)))

    @app.callback(
        Output(panel.BATCH_NOTE, "children"),
        Output(panel.LISTED, "data", allow_duplicate=True),
        Input(panel.BATCH_BUTTON, "n_clicks"),
        State(panel.LIST_VERSIONS, "data"), State(panel.LISTED, "data"),
        State(panel.BATCH_CHOICE, "value"),
        State(ids.SELECTED_REGION, "data"), LANG_NOW,
        prevent_initial_call=True,
    )
    def batch(clicks, versions, listing, chosen, selected, page_lang):
        # Triggered by the button only: an Input on the selected region stalled the drill-down
        # panel's own re-render in the browser tests (tests/ui/test_drill_down.py).
        lang = normalise(page_lang)
        who = current()
        if who is None or not who.can(DISPATCH):
            return no_update, no_update
        actor = actor_of(who)
        now = datetime.now(TOWN_TZ)
        if isinstance(listing, dict) and listing.get("codes"):
            # the listed tickets that wait for dispatch, at the versions the list showed
            items = [(code, v[0]) for code, v in (
                versions if isinstance(versions, dict) else {}).items()
                     if isinstance(v, list) and len(v) == 2 and isinstance(v[0], int)
                     and v[1] in panel.WAITING][:MAX_BATCH]
            target = f"{listing.get('kind')}:{len(items)}"
            refreshed = {**listing, "stamp": clicks}  # re-reads the list: new states shown
        else:
            region = selected if isinstance(selected, dict) else {}
            if region.get("kind") not in ("grid", "community"):
                return t("ticket.batch_pick", lang), no_update
            column = (sql.Identifier("i", "grid_code") if region["kind"] == "grid"
                      else sql.Identifier("g", "community_code"))
            with connection() as conn:
                items = [(r[0], r[1]) for r in conn.execute(
                    sql.SQL("SELECT i.code, i.version FROM incidents i JOIN grids g "
                            "ON g.code = i.grid_code WHERE {} = %s "
                            "AND i.status IN ('received', 'returned') "
                            "ORDER BY i.received_at LIMIT %s").format(column),
                    [region["code"], MAX_BATCH])]
            target = f"{region['kind']}/{region['code']}"
            refreshed = no_update
        if not items:
            return t("ticket.batch_done", lang, n=0, total=0), no_update
        with connection() as conn:
            assignee = chosen if isinstance(chosen, str) and chosen != panel.EACH else None
            out = dispatch_batch(conn, actor, items, now, assignee=assignee)
            for refused in (r for r in out["results"] if not r["ok"]):
                log.info("batch dispatch refused %s: %s", refused["code"], refused["error"])
            audit.record(conn, who.name, who.role, "ticket_action", target,
                         {"action": "dispatch", "batch": len(items),
                          "done": out["dispatched"], "via": "map"}, remote_addr())
        return panel.batch_report(out, lang), refreshed
