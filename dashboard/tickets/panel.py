"""The ticket panel on the command map: the tickets of a clicked cluster or of a drawn region
(code, category, status, due), one ticket with its state, limits, assignee, the suggested
assignee (or another on-duty grid worker), the dispatch button and the history; and the batch
box: draw a rectangle or polygon on the map, then dispatch the waiting tickets listed.

Layout and rendering here (plain functions); callbacks in panel_callbacks.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard.i18n import t, value_labels
from dashboard.language import attr, tr
from dashboard.page_inputs import empty_store
from geo.timewindow import TOWN_TZ

PANEL, BODY, CLOSE = "ticket-panel", "ticket-panel-body", "ticket-panel-close"
SELECTED, VERSION, MESSAGE = "ticket-selected", "ticket-version", "ticket-message"
CHOICE, DISPATCH = "ticket-assignee-choice", "ticket-dispatch"
BATCH, BATCH_BUTTON, BATCH_NOTE = "ticket-batch", "ticket-batch-dispatch", "ticket-batch-note"
HIDDEN, SHOWN = "gc-ticket-panel", "gc-ticket-panel gc-open"
# The batch box opens from the title bar (dispatchers only) and closes with its ×.
BATCH_ENTRY, BATCH_CLOSE = "ticket-batch-open", "ticket-batch-close"
BATCH_CLOSED, BATCH_OPEN = "gc-ticket-batch gc-hidden", "gc-ticket-batch gc-open"
ENTRY_SHOWN = "gc-title-button gc-ticket-batch-entry"  # the shared title-bar button look
ENTRY_HIDDEN = f"{ENTRY_SHOWN} gc-hidden"
CHOICE_PLACEHOLDER = attr(CHOICE, "placeholder", "ticket.assignee")
ENTRY_TITLE = attr(BATCH_ENTRY, "title", "ticket.batch_entry_title")
BATCH_CLOSE_TITLE = attr(BATCH_CLOSE, "title", "panel.close")
# translated by dashboard/language.py, with the tr() spans
ATTRIBUTES = (CHOICE_PLACEHOLDER, ENTRY_TITLE, BATCH_CLOSE_TITLE)
# the listed tickets (a cluster's or a drawn region's): {kind, codes, total, stamp?, error?}
LISTED, LIST_VERSIONS, LIST = "ticket-listed", "ticket-list-versions", "ticket-list"
LIST_SHOWN = "ticket-list-shown"  # the list's tickets and candidates: a switch re-words them
PICK = "ticket-pick"  # pattern-matching id of a list line: {"type": PICK, "code": …}
DISPATCH_ROW = "ticket-dispatch-row"
BATCH_CHOICE, EACH = "ticket-batch-assignee", "*"  # batch: each its suggested one, or this one
DRAW, DRAW_RECT, DRAW_POLY = "ticket-draw", "ticket-draw-rect", "ticket-draw-polygon"
DRAW_GROUP = "ticket-draw-group"  # the map's layer holding the drawing tool once it is mounted
ROW_SHOWN, ROW_HIDDEN = "gc-ticket-dispatch", "gc-ticket-dispatch gc-hidden"
WAITING = ("received", "returned")
REGION_STYLE = {"color": "#0891b2", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.08}


def layout(lang: str) -> html.Div:
    """The (hidden) panel, its stores and the (closed) batch box; over the map. The box opens
    from the title bar's entry_button, which only dispatchers see."""
    return html.Div([
        empty_store(SELECTED),
        empty_store(VERSION),
        empty_store(LISTED),
        dcc.Store(id=LIST_VERSIONS, data={}),
        empty_store(LIST_SHOWN),
        html.Div(id=PANEL, className=HIDDEN, **{"data-testid": PANEL}, children=[
            html.Button("×", id=CLOSE, className="gc-drill-close", title="close"),
            html.Div(id=LIST, className="gc-ticket-list", **{"data-testid": LIST}),
            html.Div(id=BODY, className="gc-ticket-body"),
            html.Div(id=DISPATCH_ROW, className=ROW_HIDDEN, children=[
                dcc.Dropdown(id=CHOICE, options=[], clearable=False,
                             className="gc-ticket-choice",
                             placeholder=CHOICE_PLACEHOLDER.value(lang)),
                html.Button(tr("ticket.dispatch", lang), id=DISPATCH, n_clicks=0,
                            className="gc-ticket-button", **{"data-testid": DISPATCH}),
            ]),
            html.Div(id=MESSAGE, className="gc-ticket-message",
                     **{"data-testid": "ticket-message"}),
        ]),
        html.Div(id=BATCH, className=BATCH_CLOSED, **{"data-testid": BATCH}, children=[
            html.Div(className="gc-ticket-batch-head", children=[
                html.H2(tr("ticket.batch_heading", lang), className="gc-ticket-batch-h"),
                html.Button("×", id=BATCH_CLOSE, n_clicks=0, className="gc-ticket-batch-close",
                            title=BATCH_CLOSE_TITLE.value(lang),
                            **{"data-testid": BATCH_CLOSE}),
            ]),
            html.Button(tr("ticket.draw_rect", lang), id=DRAW_RECT, n_clicks=0,
                        className="gc-ticket-draw", **{"data-testid": DRAW_RECT}),
            html.Button(tr("ticket.draw_polygon", lang), id=DRAW_POLY, n_clicks=0,
                        className="gc-ticket-draw", **{"data-testid": DRAW_POLY}),
            dcc.Dropdown(id=BATCH_CHOICE, options=batch_options([], lang), value=EACH,
                         clearable=False, searchable=False, className="gc-ticket-batch-choice"),
            html.Button(tr("ticket.batch", lang), id=BATCH_BUTTON, n_clicks=0,
                        className="gc-ticket-button", **{"data-testid": BATCH_BUTTON}),
            html.Span(id=BATCH_NOTE, className="gc-ticket-batch-note",
                      **{"data-testid": BATCH_NOTE}),
        ]),
    ])


def entry_button(lang: str, may_dispatch: bool = False) -> html.Button:
    """The title bar's 批量派遣 button that opens the batch box; hidden for roles that may not
    dispatch (the same component on every page, so the callback's input exists; opening is
    refused for them on the server too)."""
    return html.Button(tr("ticket.batch_entry", lang), id=BATCH_ENTRY, n_clicks=0,
                       className=ENTRY_SHOWN if may_dispatch else ENTRY_HIDDEN,
                       hidden=not may_dispatch, title=ENTRY_TITLE.value(lang),
                       **{"data-testid": BATCH_ENTRY})


def batch_state(trigger: str | None, current_class: str | None, may: bool) -> str:
    """The batch box's class after a click on the title bar's entry (toggles) or on its ×."""
    if not may or trigger == BATCH_CLOSE:
        return BATCH_CLOSED
    return BATCH_CLOSED if current_class == BATCH_OPEN else BATCH_OPEN


def draw_layer() -> dl.FeatureGroup:
    """The map's layer for region selection: empty until the batch box first opens, which
    mounts draw_control() in it (the tool and its script are not part of the first paint)."""
    return dl.FeatureGroup(id=DRAW_GROUP, children=[])


def draw_control() -> dl.EditControl:
    """The drawing tool (leaflet-draw, bundled with dash-leaflet: offline). Its own toolbar is
    hidden (assets/tickets.css); the batch box's buttons start a rectangle or a polygon."""
    return dl.EditControl(
        id=DRAW, position="topright",
        draw={"polyline": False, "marker": False, "circle": False, "circlemarker": False,
              "rectangle": {"shapeOptions": REGION_STYLE, "showArea": False},
              "polygon": {"allowIntersection": False, "shapeOptions": REGION_STYLE}},
        edit={"edit": False, "remove": True})


def may_dispatch() -> bool:
    """Whether the signed-in principal may dispatch (the batch box is theirs only)."""
    from dashboard.auth.principal import current

    who = current()
    return who is not None and who.can("dispatch")


def _time(value: Any) -> str:
    if not value:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(TOWN_TZ).strftime("%Y-%m-%d %H:%M")


def render(ticket: dict[str, Any], lang: str) -> list:
    """The panel body for one ticket (the API's shape: geo.ticket_store.describe)."""
    statuses = value_labels("status", lang)
    actions = value_labels("action", lang)
    categories = value_labels("category", lang)
    status = ticket["status"]
    due_class = {"overdue": " gc-ticket-overdue", "soon": " gc-ticket-soon"}.get(
        ticket["due_state"], "")
    assignee = ticket.get("assignee")
    suggestion = ticket.get("suggested_assignee")
    lines = [
        html.H3(f"{t('ticket.title', lang)} {ticket['code']}", className="gc-drill-name"),
        html.Div(categories.get(ticket["category"], ticket["category"]),
                 className="gc-ticket-category"),
        html.Div(className="gc-ticket-row", children=[
            html.Span(t("ticket.status", lang), className="gc-ticket-key"),
            html.Span(statuses.get(status, status), className=f"gc-ticket-status gc-st-{status}",
                      **{"data-testid": "ticket-status", "data-status": status}),
        ]),
        html.Div(className="gc-ticket-row" + due_class, children=[
            html.Span(t("ticket.due", lang), className="gc-ticket-key"),
            html.Span(_time(ticket.get("due_at")), **{"data-testid": "ticket-due"}),
            html.Span(t(f"ticket.{ticket['due_state']}", lang) if due_class else "",
                      className="gc-ticket-flag"),
        ]),
        html.Div(className="gc-ticket-row", children=[
            html.Span(t("ticket.assignee", lang), className="gc-ticket-key"),
            html.Span(f"{assignee['name']}（{assignee['code']}）" if assignee
                      else t("ticket.none", lang), **{"data-testid": "ticket-assignee"}),
        ]),
    ]
    if ticket.get("escalation"):
        lines.append(html.Div(t(f"ticket.escalated.{ticket['escalation']}", lang),
                              className="gc-ticket-escalated"))
    if ticket.get("text"):
        lines.append(html.P(ticket["text"], className="gc-ticket-text"))
    if suggestion:
        where = (t("ticket.own_grid", lang) if suggestion["own_grid"]
                 else t("ticket.metres", lang, m=f"{suggestion['metres']:,.0f}"))
        lines.append(html.Div(className="gc-ticket-row", children=[
            html.Span(t("ticket.suggested", lang), className="gc-ticket-key"),
            html.Span(f"{suggestion['name']}（{suggestion['code']}）· {where}",
                      **{"data-testid": "ticket-suggested"}),
        ]))
    lines.append(html.H4(t("ticket.history", lang), className="gc-drill-h"))
    lines.append(html.Ol(className="gc-ticket-history", **{"data-testid": "ticket-history"},
                         children=[html.Li([
                             html.Span(_time(step["at"]), className="gc-ticket-when"),
                             html.Span(actions.get(step["action"], step["action"]),
                                       className="gc-ticket-action"),
                             html.Span(f"{step['actor']}（{step['role']}）",
                                       className="gc-ticket-who"),
                             html.Span(step.get("note") or "", className="gc-ticket-note"),
                         ]) for step in ticket.get("history", [])]))
    return lines


def choice_options(candidates: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The dropdown's on-duty grid workers: masked name, code, own grid or distance."""
    return [{"value": c["code"],
             "label": f"{c['name']}（{c['code']}）· " + (
                 t("ticket.own_grid", lang) if c["own_grid"]
                 else t("ticket.metres", lang, m=f"{c['metres']:,.0f}"))}
            for c in candidates]


def render_list(listing: dict[str, Any], tickets: list[dict[str, Any]], lang: str) -> list:
    """The panel's list: a heading (how many, how many waiting) and a line per ticket — code,
    category, status, due time and overdue/soon flag; a click opens the ticket."""
    if listing.get("error"):
        return [html.Div(t("ticket.failed", lang, reason=listing["error"]),
                         className="gc-ticket-message")]
    statuses = value_labels("status", lang)
    categories = value_labels("category", lang)
    waiting = sum(1 for x in tickets if x["status"] in WAITING)
    given = listing.get("total")
    total = max(given if isinstance(given, int) else 0, len(tickets))
    kind = "region" if listing.get("kind") == "region" else "cluster"
    heading = t(f"ticket.list_{kind}", lang, n=total,
                shown=len(tickets), waiting=waiting)
    lines = []
    for item in tickets:
        flag = item["due_state"] if item["due_state"] in ("overdue", "soon") else ""
        lines.append(html.Li(className="gc-ticket-line" + (f" gc-ticket-{flag}" if flag else ""),
                             **{"data-testid": "ticket-list-item", "data-code": item["code"],
                                "data-status": item["status"]}, children=[
            html.Button(id={"type": PICK, "code": item["code"]}, n_clicks=0,
                        className="gc-ticket-pick", children=[
                html.Span(item["code"], className="gc-ticket-code"),
                html.Span(categories.get(item["category"], item["category"]),
                          className="gc-ticket-cat"),
                html.Span(statuses.get(item["status"], item["status"]),
                          className=f"gc-ticket-status gc-st-{item['status']}"),
                html.Span(_time(item.get("due_at")), className="gc-ticket-when"),
                html.Span(t(f"ticket.{flag}", lang) if flag else "",
                          className="gc-ticket-flag"),
            ])]))
    return [html.H3(heading, className="gc-drill-name", **{"data-testid": "ticket-list-head"}),
            html.Ol(lines, className="gc-ticket-lines")]


def batch_report(out: dict[str, Any], lang: str) -> list:
    """The batch box's answer: how many were dispatched and, per refused ticket, why."""
    done = out["dispatched"]
    total = len(out["results"])
    refused = [r for r in out["results"] if not r["ok"]]
    return [html.Span(t("ticket.batch_done", lang, n=done, total=total)),
            html.Ul([html.Li(refusal(r, lang), **{"data-testid": "ticket-refused",
                                                  "data-code": r["code"]})
                     for r in refused], className="gc-ticket-refused") if refused else ""]


def refusal(result: dict[str, Any], lang: str) -> str:
    """Why one ticket of a batch was not dispatched, in the page's language where the reason
    is one of the usual ones (moved meanwhile, outside the caller's scope), else as the server
    said it."""
    statuses = value_labels("status", lang)
    if result.get("http") == 409 and result.get("current_status"):
        return t("ticket.refused_stale", lang, code=result["code"],
                 status=statuses.get(result["current_status"], result["current_status"]),
                 version=result.get("current_version"))
    if result.get("http") == 403:
        return t("ticket.refused_scope", lang, code=result["code"])
    return f"{result['code']}：{result['error']}"


def batch_options(candidates: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The batch box's assignee choice: each ticket to its own suggested worker (default), or
    all of them to one on-duty grid worker near the listed tickets."""
    return [{"value": EACH, "label": t("ticket.batch_each", lang)},
            *choice_options(candidates, lang)]
