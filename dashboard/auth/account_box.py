"""The title bar's account box: who is signed in (and their role), and the sign-out button."""

from __future__ import annotations

from dash import Dash, Input, Output, dcc, html

from dashboard.auth.login import csrf_token
from dashboard.auth.policy import UNMASK
from dashboard.auth.principal import current
from dashboard.i18n import normalise, t

ACCOUNT_NAME = "account-name"
LOGOUT_BUTTON = "logout-button"


def account_box(lang: str) -> html.Div:
    """User name, role and a sign-out form (POST with the form token)."""
    who = current()
    if who is None:  # the ids stay, so the language callback always finds its outputs
        return html.Div(className="gc-account", children=[
            html.Span(id=ACCOUNT_NAME), html.Span(id=LOGOUT_BUTTON, hidden=True)])
    return html.Div(className="gc-account", children=[
        html.Span(account_text(lang), id=ACCOUNT_NAME, className="gc-account-name"),
        html.Form(action="/logout", method="post", className="gc-logout", children=[
            dcc.Input(type="hidden", name="csrf", value=csrf_token()),
            html.Button(t("logout", lang), id=LOGOUT_BUTTON, type="submit",
                        className="gc-logout-button"),
        ]),
    ])


def may_unmask() -> bool:
    """Whether the signed-in user may see personal data in clear (shows the panel's switch)."""
    who = current()
    return who is not None and who.can(UNMASK)


def account_text(lang: str) -> str:
    """'wang · 指挥长' / 'wang · Commander' for the signed-in user ('' when none)."""
    who = current()
    return f"{who.name} · {t(f'role.{who.role}', lang)}" if who is not None else ""


def register(app: Dash, language_input: str) -> None:
    """Follow the page's language switch (component id `language_input`)."""

    @app.callback(
        Output(ACCOUNT_NAME, "children"),
        Output(LOGOUT_BUTTON, "children"),
        Input(language_input, "value"),
        prevent_initial_call=True,
    )
    def switch_language(lang):
        lang = normalise(lang)
        return account_text(lang), t("logout", lang)
