"""The wall follows the ticket change feed: every LIVE_POLL_MS it reads the changes after its
cursor (one indexed range scan; nothing when nothing moved), lists the newest ones, and when
anything moved it fires the wall's own refresh (KPIs, ticker, overdue points) at once instead
of waiting for the next GRIDCMD_WALL_REFRESH tick.

Short polling rather than server-sent events: waitress gives every open request a thread from
a small pool, so one long-lived stream per wall would hold a thread for good (DESIGN.md).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import psycopg
from dash import Dash, Input, Output, State, dcc, html, no_update
from psycopg_pool import PoolTimeout

from dashboard.auth.principal import current
from dashboard.auth.ticket_actor import actor_of
from dashboard.i18n import normalise, t, value_labels
from dashboard.language import tr
from dashboard.state import get_state
from geo.ticket_store import changes
from geo.timewindow import TOWN_TZ

log = logging.getLogger(__name__)

LIVE_POLL_MS = 2000
TICK, CURSOR, ITEMS, LIST = "wall-live-tick", "wall-live-cursor", "wall-live-items", \
    "wall-live-tickets"
KEEP = 8


def components(lang: str) -> list:
    """The poll timer, its cursor and the list (placed under the wall's ticker)."""
    return [
        dcc.Interval(id=TICK, interval=LIVE_POLL_MS),
        dcc.Store(id=CURSOR, data=None),
        dcc.Store(id=ITEMS, data=[]),
        html.H2(tr("wall.live", lang), className="gc-wall-ticker-head"),
        html.Ul(id=LIST, className="gc-wall-ticker gc-wall-live", **{"data-testid": LIST}),
    ]


def items_view(items: list[dict[str, Any]], lang: str) -> list[html.Li]:
    """One line per ticket that moved: state badge, category, grid, time; overdue ones loud."""
    categories = value_labels("category", lang)
    statuses = value_labels("status", lang)
    out = []
    for item in items:
        loud = item["due_state"] == "overdue"
        soon = " gc-wall-soon" if item["due_state"] == "soon" else ""
        out.append(html.Li(
            className="gc-wall-item gc-wall-ticket" + (" gc-wall-alert" if loud else soon),
            **{"data-code": item["code"], "data-status": item["status"]}, children=[
                html.Span(t("wall.overdue", lang) if loud else
                          statuses.get(item["status"], item["status"]),
                          className="gc-wall-badge"),
                html.Span(categories.get(item["category"], item["category"]),
                          className="gc-wall-cat"),
                html.Span(datetime.fromisoformat(item["at"]).astimezone(TOWN_TZ)
                          .strftime("%H:%M:%S"), className="gc-wall-time"),
                html.Span(item.get("grid_code") or "–", className="gc-wall-grid"),
            ]))
    return out


def register(app: Dash, refresh_id: str, lang_id: str) -> None:
    """The poll callback; `refresh_id` is the wall's refresh Interval (fired on a change)."""

    @app.callback(
        Output(CURSOR, "data"), Output(ITEMS, "data"), Output(LIST, "children"),
        Output(refresh_id, "n_intervals"),
        Input(TICK, "n_intervals"), State(CURSOR, "data"), State(ITEMS, "data"),
        State(refresh_id, "n_intervals"), State(lang_id, "data"),
        prevent_initial_call=False)
    def follow(_n, cursor, items, refreshes, page_lang):
        who = current()
        if who is None:
            return no_update, no_update, no_update, no_update
        lang = normalise(page_lang)
        try:
            with get_state().pool.connection(timeout=1.5) as conn:
                feed = changes(conn, actor_of(who), datetime.now(TOWN_TZ), cursor, 200)
        except (PoolTimeout, psycopg.Error, OSError) as exc:
            log.warning("wall ticket feed: %s", exc)
            return no_update, no_update, no_update, no_update
        if cursor is None or not feed["changes"]:
            return feed["cursor"], no_update, no_update, no_update
        latest: dict[str, dict] = {}
        for change in feed["changes"]:  # oldest first: the last one per ticket wins
            latest[change["code"]] = {k: change[k] for k in (
                "code", "status", "category", "grid_code", "due_state")} | {
                "at": change["at"].isoformat()}
        kept = [i for i in (items or []) if i["code"] not in latest]
        items = (list(reversed(latest.values())) + kept)[:KEEP]
        return feed["cursor"], items, items_view(items, lang), (refreshes or 0) + 1
