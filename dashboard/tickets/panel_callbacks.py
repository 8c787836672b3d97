"""Callbacks of the ticket panel: a click on a ticket opens it, the dispatch button sends it
(version-checked, as the API), the batch box dispatches the region's waiting tickets."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update
from psycopg import sql

from dashboard.auth.principal import current, remote_addr
from dashboard.auth.ticket_actor import actor_of
from dashboard.i18n import normalise, t
from dashboard.map import ids
from dashboard.state import connection
from dashboard.tickets import panel
from geo import audit
from geo.ticket_store import act, describe, fetch, suggest_assignee
from geo.tickets import DISPATCH, TicketError
from geo.timewindow import TOWN_TZ

log = logging.getLogger(__name__)
MAX_BATCH = 200


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


def _view(code: str | None, lang: str, note: str = ""):
    if not code:
        return panel.HIDDEN, [], [], None, None, note
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


def register(app: Dash) -> None:
    """Attach the ticket panel's callbacks to the map app."""

    @app.callback(
        Output(panel.SELECTED, "data"),
        Input(ids.layer_geojson("tickets"), "clickData"),
        Input(panel.CLOSE, "n_clicks"),
        prevent_initial_call=True,
    )
    def choose(feature, _close):
        if ctx.triggered_id == panel.CLOSE:
            return None
        props = (feature or {}).get("properties") or {}
        if props.get("cluster") or not props.get("code"):
            return no_update  # a cluster zooms to its tickets (point_layers.py)
        return str(props["code"])

    @app.callback(
        Output(panel.PANEL, "className"), Output(panel.BODY, "children"),
        Output(panel.CHOICE, "options"), Output(panel.CHOICE, "value"),
        Output(panel.VERSION, "data"), Output(panel.MESSAGE, "children"),
        Input(panel.SELECTED, "data"), Input(panel.DISPATCH, "n_clicks"),
        State(panel.CHOICE, "value"), State(panel.VERSION, "data"),
        State(ids.LANG_SWITCH, "value"),
        prevent_initial_call=True,
    )
    def show_or_dispatch(code, _clicks, assignee, version, page_lang):
        lang = normalise(page_lang)
        if ctx.triggered_id != panel.DISPATCH:
            return _view(code, lang)
        who = current()
        if not code or who is None:
            return (no_update,) * 6
        try:
            with connection() as conn:
                moved = act(conn, code, "dispatch", version, actor_of(who),
                            datetime.now(TOWN_TZ), assignee=assignee)
                audit.record(conn, who.name, who.role, "ticket_action", code,
                             {"action": "dispatch", "via": "map",
                              "version": moved["version"]}, remote_addr())
        except TicketError as exc:
            return (*_view(code, lang)[:5], t("ticket.failed", lang, reason=str(exc)))
        return _view(code, lang)

    @app.callback(
        Output(panel.BATCH_NOTE, "children"),
        Input(panel.BATCH_BUTTON, "n_clicks"),
        State(ids.SELECTED_REGION, "data"), State(ids.LANG_SWITCH, "value"),
        prevent_initial_call=True,
    )
    def batch(_clicks, selected, page_lang):
        # Triggered by the button only: an Input on the selected region stalled the drill-down
        # panel's own re-render in the browser tests (tests/ui/test_drill_down.py).
        lang = normalise(page_lang)
        who = current()
        region = selected if isinstance(selected, dict) else {}
        if who is None or not who.can(DISPATCH):
            return no_update
        if region.get("kind") not in ("grid", "community"):
            return t("ticket.batch_pick", lang)
        column = (sql.Identifier("i", "grid_code") if region["kind"] == "grid"
                  else sql.Identifier("g", "community_code"))
        actor = actor_of(who)
        with connection() as conn:
            codes = [r[0] for r in conn.execute(
                sql.SQL("SELECT i.code FROM incidents i JOIN grids g ON g.code = i.grid_code "
                        "WHERE {} = %s AND i.status IN ('received', 'returned') "
                        "ORDER BY i.received_at LIMIT %s").format(column),
                [region["code"], MAX_BATCH])]
            conn.commit()
            done = 0
            now = datetime.now(TOWN_TZ)
            for code in codes:
                try:
                    with conn.transaction():
                        ticket = fetch(conn, code)
                        found = suggest_assignee(conn, ticket)
                        if found:
                            act(conn, code, "dispatch", ticket["version"], actor, now,
                                assignee=found[0]["code"])
                            done += 1
                except TicketError as exc:  # out of scope or moved meanwhile: the rest go on
                    log.info("batch dispatch skipped %s: %s", code, exc)
            audit.record(conn, who.name, who.role, "ticket_action",
                         f"{region['kind']}/{region['code']}",
                         {"action": "dispatch", "batch": len(codes), "done": done,
                          "via": "map"}, remote_addr())
        return t("ticket.batch_done", lang, n=done, total=len(codes))
