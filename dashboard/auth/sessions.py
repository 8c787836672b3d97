"""Turning a request into a principal: the session cookie, a wall token, a render credential.

The cookie holds only a random id; what it stands for (who, which role, until when) lives in
PostgreSQL (geo/web_sessions.py), so sign-out, a password change or disabling a user ends the
session at once, on every server process.
"""

from __future__ import annotations

import time
from datetime import timedelta
from threading import Lock

import psycopg
from flask import Flask, Response, current_app, g, has_app_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from psycopg_pool import PoolTimeout

from dashboard.auth.principal import Principal, current
from dashboard.auth.secret import secret_key
from dashboard.settings import get_settings
from dashboard.state import connection, get_state, statementwise
from geo.tokens import find_token, token_role
from geo.users import User
from geo.web_sessions import (
    FOREVER,
    LiveSession,
    end_session,
    find_session,
    new_id,
    open_session,
    well_formed,
)

COOKIE = "gridcmd_session"
RENDER_MAX_AGE_S = 600  # a credential must be used within this
# The snapshot browser keeps its print view open between exports: its session outlives the
# credential (it holds the print and aggregate permissions only, in the server's own browser).
RENDER_SESSION = timedelta(hours=12)
_RENDER_SALT = "gridcmd-render"
_PENDING = "gridcmd_cookie"  # g attribute: the cookie this answer must set (id, max age)
# A wall kiosk must keep showing its last figures and landmarks while the database is down:
# a token session checked within this is let in when the database cannot be asked (tokens
# see aggregates only, and cannot be revoked while the database is down anyway).
TOKEN_OUTAGE_GRACE_S = 12 * 3600
# A wall token's session is re-read from the database at most this often (a wall asks every
# few seconds); a revoked token is refused within this. Users' sessions are read every time.
RECHECK_S = 30
# A session lookup is one small query: it waits little for a connection, so a request during
# an outage does not hold its thread (and a wall callback its refresh) for long.
SESSION_WAIT_S = 2.0
_REMEMBERED_MAX = 1000


class _TokenSessions:
    """Token sessions this process has seen live, for database outages only."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[LiveSession, float]] = {}
        self._lock = Lock()

    def remember(self, session_id: str, live: LiveSession) -> None:
        with self._lock:
            if len(self._seen) >= _REMEMBERED_MAX:
                self._seen.pop(next(iter(self._seen)))
            self._seen[session_id] = (live, time.monotonic())

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._seen.pop(session_id, None)

    def recall(self, session_id: str, max_age_s: float = TOKEN_OUTAGE_GRACE_S
               ) -> LiveSession | None:
        with self._lock:
            found = self._seen.get(session_id)
        if found and time.monotonic() - found[1] < max_age_s:
            return found[0]
        return None


def _token_sessions() -> _TokenSessions:
    return current_app.extensions.setdefault("gridcmd_token_sessions", _TokenSessions())


def cookie_id() -> str | None:
    """The session id this request's cookie carries (None: none, or not one of ours)."""
    pending = g.get(_PENDING)
    if pending is not None:
        return pending[0]
    value = request.cookies.get(COOKIE)
    return value if well_formed(value) else None


def browser_id() -> str:
    """The id of this browser's cookie, made (and set on the answer) when it has none.

    A signed-out browser's id is stored nowhere: it only binds the sign-in form's token.
    """
    found = cookie_id()
    if found is None:
        found = new_id()
        _issue(found, None)
    return found


def _issue(session_id: str | None, max_age: int | None) -> None:
    setattr(g, _PENDING, (session_id, max_age))


def write_cookie(response: Response) -> Response:
    """Set (or clear) the session cookie on the answer when this request changed it."""
    pending = g.get(_PENDING)
    if pending is None:
        return response
    session_id, max_age = pending
    configured = get_state().settings.cookie_secure
    secure = request.is_secure if configured is None else configured
    if session_id is None:
        response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="Lax")
    else:
        response.set_cookie(COOKIE, session_id, max_age=max_age, path="/", secure=secure,
                            httponly=True, samesite="Lax")
    return response


def sign_in(user: User) -> Principal:
    """Start a fresh session for `user` (a new id: no fixation), ending the browser's old one."""
    settings = get_state().settings
    lifetime = timedelta(hours=settings.session_max_hours)
    session_id = new_id()
    with connection() as conn:
        old = cookie_id()
        if old:
            end_session(conn, old)
        open_session(conn, session_id, "user", user.username, user.role, lifetime,
                     remote_addr=request.remote_addr or "")
    _issue(session_id, int(lifetime.total_seconds()))
    return Principal(user.username, user.role, user.communities, user.grids)


def sign_out() -> None:
    """End the session in the database and clear the cookie."""
    old = cookie_id()
    if old:
        with connection() as conn:
            end_session(conn, old)
    _issue(None, None)


def render_credential(server: Flask | None = None, on_behalf_of: str | None = None) -> str:
    """A signed credential that lets the snapshot browser open the print view.

    Signed with `server`'s key, else the current app's, else (a CLI export before its app
    context exists) the configured key, which is the one its in-process server uses.
    """
    if server is not None:
        key = server.secret_key
    elif has_app_context():
        key = current_app.secret_key
    else:
        key = secret_key(get_settings())
    if on_behalf_of is None:
        who = current()
        on_behalf_of = who.name if who else "cli"
    return URLSafeTimedSerializer(key, salt=_RENDER_SALT).dumps({"for": on_behalf_of})


def resolve() -> Principal | None:
    """The principal of the current request (None: signed out, or its session has ended)."""
    bearer = _bearer()
    if bearer is not None:
        return _from_bearer(bearer)
    render = request.args.get("render")
    if render:
        return _from_render(render)
    token = request.args.get("token")
    if token:
        return _from_token(token)
    live = _live_session()
    return _principal(live) if live else None


def _idle() -> timedelta:
    return timedelta(minutes=get_state().settings.session_idle_min)


def _live_session() -> LiveSession | None:
    found = cookie_id()
    if found is None:
        return None
    recent = _token_sessions().recall(found, RECHECK_S)
    if recent is not None:
        return recent
    try:
        # one statement (and at most every 10 s an UPDATE of its idle clock), each its own
        # transaction: no BEGIN/COMMIT round trips on every request
        with connection(SESSION_WAIT_S) as conn, statementwise(conn):
            live = find_session(conn, found, _idle())
    except (PoolTimeout, psycopg.OperationalError) as exc:
        if not isinstance(exc, psycopg.errors.QueryCanceled):
            get_state().outage.mark()
        remembered = _token_sessions().recall(found)
        if remembered is None:
            raise  # 503: the database is out
        return remembered
    if live is not None and live.kind == "token":
        _token_sessions().remember(found, live)
    elif live is None:
        _token_sessions().forget(found)  # a revoked token stays out during a later outage
    return live


def _principal(live: LiveSession) -> Principal:
    return Principal(live.name, live.role, live.communities, live.grids)


def _start(kind: str, name: str, role: str, lifetime: timedelta,
           token_id: int | None = None) -> Principal:
    session_id = new_id()
    with connection() as conn:
        old = cookie_id()
        if old:
            end_session(conn, old)
        open_session(conn, session_id, kind, name, role, lifetime, token_id=token_id,
                     remote_addr=request.remote_addr or "")
    _issue(session_id, None)
    return Principal(name, role)


def _from_render(credential: str) -> Principal | None:
    try:
        data = URLSafeTimedSerializer(current_app.secret_key, salt=_RENDER_SALT).loads(
            credential, max_age=RENDER_MAX_AGE_S)
    except (BadSignature, TypeError, ValueError):
        return None
    return _start("render", f"render:{data.get('for', '')}", "render", RENDER_SESSION)


def _bearer() -> str | None:
    """The token of an `Authorization: Bearer …` header (another system's request), if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _from_bearer(value: str) -> Principal | None:
    """A department token: no session, no cookie; checked on every request."""
    with connection() as conn:
        token = find_token(conn, value)
    if token is None or token.role != "department":
        return None
    return Principal(f"token:{token.id}", token.role, collections=token.collections,
                     label=token.label)


def _from_token(token: str) -> Principal | None:
    with connection() as conn:
        found = token_role(conn, token)
    if found is None:
        return None
    token_id, role = found
    if role != "wall":  # department tokens come as a Bearer header, never in a URL
        return None
    live = _live_session()
    # A signed-in user keeps their own (wider) session; the same token keeps its session.
    if live is not None and (live.kind == "user" or live.name == f"token:{token_id}"):
        return _principal(live)
    # A token session ends with its token (revoked or expired), not by the clock.
    principal = _start("token", f"token:{token_id}", role, FOREVER, token_id=token_id)
    _token_sessions().remember(cookie_id(), LiveSession("token", principal.name, role))
    return principal
