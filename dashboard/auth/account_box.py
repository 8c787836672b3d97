"""The title bar's account box: who is signed in (and their role), and the sign-out button."""

from __future__ import annotations

from dash import dcc, html

from dashboard.auth.login import csrf_token
from dashboard.auth.policy import UNMASK
from dashboard.auth.principal import current
from dashboard.language import tr

ACCOUNT_NAME = "account-name"
LOGOUT_BUTTON = "logout-button"


def account_box(lang: str) -> html.Div:
    """User name, role and a sign-out form (POST with the form token)."""
    who = current()
    if who is None:
        return html.Div(className="gc-account", children=[
            html.Span(id=ACCOUNT_NAME), html.Span(id=LOGOUT_BUTTON, hidden=True)])
    return html.Div(className="gc-account", children=[
        html.Span([f"{who.name} · ", tr(f"role.{who.role}", lang)], id=ACCOUNT_NAME,
                  className="gc-account-name"),
        html.Form(action="/logout", method="post", className="gc-logout", children=[
            dcc.Input(type="hidden", name="csrf", value=csrf_token()),
            html.Button(tr("logout", lang), id=LOGOUT_BUTTON, type="submit",
                        className="gc-logout-button"),
        ]),
    ])


def may_unmask() -> bool:
    """Whether the signed-in user may see personal data in clear (shows the panel's switch)."""
    who = current()
    return who is not None and who.can(UNMASK)

