"""The sign-in page (zh-CN by default), sign-out, and the login rate limit."""

from __future__ import annotations

import re
import secrets
import time
from collections import deque
from threading import Lock

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template_string,
    request,
    session,
)

from dashboard.auth.landing import landing
from dashboard.auth.principal import current
from dashboard.auth.sessions import sign_in, sign_out
from dashboard.auth.trail import audit
from dashboard.i18n import normalise, t
from dashboard.state import connection, get_state
from geo import audit as audit_log
from geo.users import authenticate, is_locked

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


class FailureLimit:
    """At most `limit` failed sign-ins per client address in any 60 s (then 429)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = Lock()

    def blocked(self, key: str, limit: int) -> bool:
        now = time.monotonic()
        with self._lock:
            stamps = self._failures.get(key)
            while stamps and now - stamps[0] > 60:
                stamps.popleft()
            return bool(stamps) and len(stamps) >= limit

    def failed(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, deque()).append(time.monotonic())


def _limits() -> FailureLimit:
    return current_app.extensions.setdefault("gridcmd_login_limit", FailureLimit())


def form_token(page_html: str) -> str:
    """The form token written into a sign-in page (for clients that sign in by script)."""
    found = re.search(r'name="csrf" value="([^"]+)"', page_html)
    if found is None:
        raise ValueError("no form token in the page: is it the sign-in page?")
    return found.group(1)


def csrf_token() -> str:
    """The session's form token (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_ok() -> bool:
    """Whether the submitted form carries the session's token."""
    sent = request.form.get("csrf", "")
    return bool(sent) and secrets.compare_digest(sent, session.get("csrf", ""))


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


def _safe_next() -> str:
    target = request.args.get("next") or "/"
    # Only paths on this server: no scheme, no host, no protocol-relative //evil.example.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@login_api.get("/login")
def login_page():
    """The sign-in form."""
    return _page()


@login_api.post("/login")
def login_submit():
    """Check the form token, the rate limit and the password; start a session."""
    lang = _lang()
    if not csrf_ok():
        return _page(400, t("login.expired", lang))
    client = request.remote_addr or ""
    if _limits().blocked(client, get_state().settings.login_attempts_per_min):
        return _page(429, t("login.too_many", lang))
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:200]
    with connection() as conn:
        user = authenticate(conn, username, password) if username and password else None
        if user is None:
            locked = bool(username) and is_locked(conn, username)
            audit_log.record(conn, username or "-", "-", "login_failed",
                             remote_addr=request.remote_addr or "")
    if user is None:
        _limits().failed(client)
        return _page(401, t("login.locked" if locked else "login.failed", lang), username)
    g.principal = sign_in(user)
    audit("login")
    return redirect(landing(user.role, _safe_next()), code=303)


@login_api.post("/logout")
def logout():
    """End the session (the form carries the CSRF token)."""
    if not csrf_ok():
        return _page(400, t("login.expired", _lang()))
    if current() is not None:
        audit("logout")
    sign_out()
    return redirect("/login", code=303)
