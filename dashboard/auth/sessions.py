"""Turning a request into a principal: the session cookie, a wall token, a render credential."""

from __future__ import annotations

import secrets
import time

from flask import Flask, current_app, has_app_context, request, session
from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.auth.principal import Principal, current
from dashboard.auth.secret import secret_key
from dashboard.state import connection, get_state
from geo.settings import get_settings
from geo.tokens import find_token, token_role, token_valid
from geo.users import User, active_user

RECHECK_S = 30  # how often a session is checked against the users/tokens tables
RENDER_MAX_AGE_S = 600  # a credential must be used within this
# The snapshot browser keeps its print view open between exports: its session outlives the
# credential (it holds the print and aggregate permissions only, in the server's own browser).
RENDER_SESSION_S = 12 * 3600
_RENDER_SALT = "gridcmd-render"


def sign_in(user: User) -> Principal:
    """Start a fresh session for `user` (a new session: no fixation)."""
    session.clear()
    now = int(time.time())
    # The form token is made here, once: concurrent answers each rewrite the session cookie,
    # and a token first made by one of them could be lost to another's stale copy.
    session.update({"u": user.username, "r": user.role, "c": list(user.communities),
                    "g": list(user.grids), "k": "user", "seen": now, "chk": now,
                    "csrf": secrets.token_urlsafe(24)})
    session.permanent = True
    return Principal(user.username, user.role, user.communities, user.grids)


def sign_out() -> None:
    """Forget the session."""
    session.clear()


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
    """The principal of the current request, refreshing or ending its session as needed."""
    bearer = _bearer()
    if bearer is not None:
        return _from_bearer(bearer)
    render = request.args.get("render")
    if render:
        return _from_render(render)
    token = request.args.get("token")
    if token:
        return _from_token(token)
    return _from_session()


def _from_render(credential: str) -> Principal | None:
    try:
        data = URLSafeTimedSerializer(current_app.secret_key, salt=_RENDER_SALT).loads(
            credential, max_age=RENDER_MAX_AGE_S)
    except (BadSignature, TypeError, ValueError):
        return None
    session.clear()
    now = int(time.time())
    session.update({"u": f"render:{data.get('for', '')}", "r": "render", "k": "render",
                    "seen": now, "chk": now, "exp": now + RENDER_SESSION_S})
    return Principal(session["u"], "render")


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
    current = session.get("k")
    if current == "user":  # a signed-in user keeps their own (wider) session
        return _from_session()
    session.clear()
    now = int(time.time())
    session.update({"u": f"token:{token_id}", "r": role, "k": "token", "tid": token_id,
                    "seen": now, "chk": now})
    session.permanent = True
    return Principal(session["u"], role)


def _from_session() -> Principal | None:
    kind = session.get("k")
    if kind not in ("user", "token", "render"):
        return None
    now = int(time.time())
    idle_s = get_state().settings.session_idle_min * 60
    if kind == "user" and now - int(session.get("seen", 0)) > idle_s:
        session.clear()
        return None
    if kind == "render" and now > int(session.get("exp", 0)):
        session.clear()
        return None
    if now - int(session.get("chk", 0)) > RECHECK_S and not _still_valid(kind):
        session.clear()
        return None
    if now - int(session.get("seen", 0)) >= 10:  # rewrite the cookie at most every 10 s
        session["seen"] = now
    return Principal(session["u"], session["r"], tuple(session.get("c") or ()),
                     tuple(session.get("g") or ()))


def _still_valid(kind: str) -> bool:
    with connection() as conn:
        if kind == "user":
            user = active_user(conn, session["u"])
            if user is None:
                return False
            session.update({"r": user.role, "c": list(user.communities),
                            "g": list(user.grids)})
        elif kind == "token" and not token_valid(conn, int(session.get("tid", 0))):
            return False
    session["chk"] = int(time.time())
    return True
