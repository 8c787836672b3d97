"""The sign-in page (zh-CN by default), sign-out, form tokens and the sign-in throttle."""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, redirect, render_template_string, request

from dashboard.auth.landing import landing
from dashboard.auth.principal import current
from dashboard.auth.sessions import browser_id, cookie_id, sign_in, sign_out
from dashboard.auth.trail import audit
from dashboard.i18n import normalise, t
from dashboard.state import connection, get_state
from geo import audit as audit_log
from geo import login_throttle
from geo.users import authenticate

login_api = Blueprint("gridcmd_login", __name__)

_PAGE = """<!doctype html>
<html lang="{{ html_lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><link rel="stylesheet" href="/assets/login.css"></head>
<body class="gc-login"><main class="gc-login-box">
<h1>{{ title }}</h1><h2>{{ heading }}</h2>
{% if error %}<p class="gc-login-error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="/login{{ query }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label>{{ user_label }}<input name="username" autocomplete="username" required maxlength="64"
 value="{{ username }}" autofocus></label>
<label>{{ password_label }}<input name="password" type="password"
 autocomplete="current-password" required maxlength="200"></label>
<button type="submit">{{ submit }}</button></form>
<p class="gc-login-note">{{ note }}</p></main></body></html>"""


def form_token(page_html: str) -> str:
    """The form token written into a sign-in page (for clients that sign in by script)."""
    found = re.search(r'name="csrf" value="([^"]+)"', page_html)
    if found is None:
        raise ValueError("no form token in the page: is it the sign-in page?")
    return found.group(1)


def _token_for(browser: str) -> str:
    # Derived, not stored: the cookie carries only the random id, and without the server's
    # key nobody can compute the token of an id.
    key = str(current_app.secret_key).encode()
    return hmac.new(key, f"csrf:{browser}".encode(), hashlib.sha256).hexdigest()


def csrf_token() -> str:
    """The form token of this browser (bound to its cookie's id)."""
    return _token_for(browser_id())


def csrf_ok() -> bool:
    """Whether the submitted form carries the token of this browser's cookie."""
    sent = request.form.get("csrf", "")
    browser = cookie_id()
    return bool(sent) and browser is not None and hmac.compare_digest(sent, _token_for(browser))


def _lang() -> str:
    return normalise(request.args.get("lang") or get_state().settings.lang)


def _page(status: int = 200, error: str | None = None, username: str = "") -> Response:
    lang = _lang()
    query = "?" + request.query_string.decode() if request.query_string else ""
    body = render_template_string(
        _PAGE, html_lang="en" if lang == "en" else "zh-CN", title=t("title", lang),
        heading=t("login.heading", lang), error=error, csrf=csrf_token(), query=query,
        user_label=t("login.username", lang), password_label=t("login.password", lang),
        submit=t("login.submit", lang), note=t("login.note", lang), username=username)
    return Response(body, status=status, mimetype="text/html")


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this server, else "/".

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    `/<tab>/evil.example` and `/\\evil.example` mean //evil.example: any space, control
    character or backslash is refused outright, as is anything with a scheme or a host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(c.isspace() or not c.isprintable() for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


@login_api.get("/login")
def login_page():
    """The sign-in form."""
    return _page()


@login_api.post("/login")
def login_submit():
    """Check the form token, the throttle and the password; start a session."""
    lang = _lang()
    if not csrf_ok():
        return _page(400, t("login.expired", lang))
    client = request.remote_addr or ""
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:200]
    with connection() as conn:
        wait = login_throttle.retry_after(conn, client, username)
    if wait is not None:
        answer = _page(429, t("login.too_many", lang), username)
        answer.headers["Retry-After"] = str(wait)
        return answer
    with connection() as conn:
        # Unknown name, wrong password, disabled account: the same work, the same answer.
        user = authenticate(conn, username, password) if username and password else None
        if user is None:
            login_throttle.failed(conn, client, username,
                                  get_state().settings.login_attempts_per_min)
            audit_log.record(conn, username or "-", "-", "login_failed", remote_addr=client)
        else:
            login_throttle.succeeded(conn, client, username)
    if user is None:
        return _page(401, t("login.failed", lang), username)
    g.principal = sign_in(user)
    audit("login")
    return redirect(landing(user.role, safe_next(request.args.get("next"))), code=303)


@login_api.post("/logout")
def logout():
    """End the session (the form carries the CSRF token)."""
    if not csrf_ok():
        return _page(400, t("login.expired", _lang()))
    if current() is not None:
        audit("logout")
    sign_out()
    return redirect("/login", code=303)
