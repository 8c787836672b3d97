"""The ticket panel on the command map: one ticket with its state, limits, assignee, the
suggested assignee (or another on-duty grid worker), the dispatch button and the history; and
the batch-dispatch box for the tickets of the region selected in the drill-down panel.

Layout and rendering here (plain functions); callbacks in panel_callbacks.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dash import dcc, html

from dashboard.i18n import t, value_labels
from dashboard.language import attr, tr
from geo.timewindow import TOWN_TZ

PANEL, BODY, CLOSE = "ticket-panel", "ticket-panel-body", "ticket-panel-close"
SELECTED, VERSION, MESSAGE = "ticket-selected", "ticket-version", "ticket-message"
CHOICE, DISPATCH = "ticket-assignee-choice", "ticket-dispatch"
BATCH, BATCH_BUTTON, BATCH_NOTE = "ticket-batch", "ticket-batch-dispatch", "ticket-batch-note"
HIDDEN, SHOWN = "gc-ticket-panel", "gc-ticket-panel gc-open"
CHOICE_PLACEHOLDER = attr(CHOICE, "placeholder", "ticket.assignee")
ATTRIBUTES = (CHOICE_PLACEHOLDER,)  # translated by dashboard/language.py, with the tr() spans


def layout(lang: str, may_dispatch: bool = False) -> html.Div:
    """The (hidden) panel, its stores and the batch box (dispatchers only); over the map."""
    return html.Div([
        dcc.Store(id=SELECTED, data=None),
        dcc.Store(id=VERSION, data=None),
        html.Div(id=PANEL, className=HIDDEN, **{"data-testid": PANEL}, children=[
            html.Button("×", id=CLOSE, className="gc-drill-close", title="close"),
            html.Div(id=BODY, className="gc-ticket-body"),
            html.Div(className="gc-ticket-dispatch", children=[
                dcc.Dropdown(id=CHOICE, options=[], clearable=False,
                             className="gc-ticket-choice",
                             placeholder=CHOICE_PLACEHOLDER.value(lang)),
                html.Button(tr("ticket.dispatch", lang), id=DISPATCH, n_clicks=0,
                            className="gc-ticket-button", **{"data-testid": DISPATCH}),
            ]),
            html.Div(id=MESSAGE, className="gc-ticket-message",
                     **{"data-testid": "ticket-message"}),
        ]),
        html.Div(id=BATCH, className="gc-ticket-batch" + ("" if may_dispatch else " gc-hidden"),
                 children=[
            html.Button(tr("ticket.batch", lang), id=BATCH_BUTTON, n_clicks=0,
                        className="gc-ticket-button", **{"data-testid": BATCH_BUTTON}),
            html.Span(id=BATCH_NOTE, className="gc-ticket-batch-note",
                      **{"data-testid": BATCH_NOTE}),
        ]),
    ])


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
