"""The guard every request passes: who is asking, may they, and the answer's security headers."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import Flask, Response, g, jsonify, redirect, request
from flask.sessions import SessionInterface

from dashboard.auth import policy
from dashboard.auth.headers import add_security_headers, content_security_policy
from dashboard.auth.login import login_api
from dashboard.auth.scope import AccessDenied
from dashboard.auth.secret import secret_key
from dashboard.auth.sessions import resolve, write_cookie
from dashboard.settings import Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A signed-out request may send at most this much (the sign-in form is a few hundred bytes):
# anything larger is refused by its Content-Length before a byte of the body is read.
ANONYMOUS_BODY_MAX = 8 * 1024


class _NoCookieSession(SessionInterface):
    """No Flask cookie session: sessions are server-side (dashboard/auth/sessions.py), and
    anything that tried to store data in a readable cookie fails loudly instead."""

    def open_session(self, app, request):
        return None

    def save_session(self, app, session, response):
        return None


def body_limit(settings: Settings) -> int:
    """The largest request body in bytes (GRIDCMD_MAX_BODY_MB), for Flask and waitress."""
    return int(settings.max_body_mb * 1024 * 1024)


def install(server: Flask, settings: Settings) -> None:
    """Sign-in pages, the per-request guard and security headers on `server`."""
    server.secret_key = secret_key(settings)
    server.session_interface = _NoCookieSession()
    server.config.update(MAX_CONTENT_LENGTH=body_limit(settings))
    server.register_blueprint(login_api)
    server.extensions["gridcmd_csp_hashes"] = []
    server.before_request(_guard)
    server.register_error_handler(AccessDenied, lambda exc: _deny(403, "forbidden", str(exc)))

    @server.after_request
    def _headers(response: Response) -> Response:
        csp = content_security_policy(server.extensions["gridcmd_csp_hashes"],
                                      settings.tile_url)
        return add_security_headers(write_cookie(response), csp)


def allow_inline_scripts(server: Flask, hashes: list[str]) -> None:
    """Let the inline bootstrap scripts of a Dash app (by their hashes) run under the CSP."""
    server.extensions["gridcmd_csp_hashes"].extend(hashes)


def _guard():
    if "\x00" in request.full_path or "\x00" in request.path:
        return _deny(400, "bad_parameter", "NUL characters are not allowed in a request")
    if request.method in UNSAFE_METHODS and not _same_origin():
        return _deny(403, "cross_origin", "cross-site request refused")
    permission = policy.required_permission(request.method, request.path)
    g.principal = resolve() if permission is not policy.PUBLIC or request.path == "/logout" \
        else None
    if g.principal is None and _body_too_large():
        return _deny(413, "too_large", f"a request before sign-in may carry at most "
                                       f"{ANONYMOUS_BODY_MAX // 1024} KB")
    if permission is policy.PUBLIC:
        return None
    if g.principal is None:
        if request.method == "GET" and _is_page():
            return redirect(f"/login?next={quote(request.full_path.rstrip('?'), safe='/')}")
        return _deny(401, "login_required", "sign in first (/login)")
    if not g.principal.can(permission):
        return _deny(403, "forbidden", f"the role {g.principal.role} may not do this")
    if request.path.startswith(("/api/", "/export/")) and _dash_catch_all():
        return _deny(404, "not_found", f"no such route: {request.path[:100]}")
    return None


def _body_too_large() -> bool:
    """Whether a signed-out request announces (or streams) more than ANONYMOUS_BODY_MAX."""
    length = request.content_length
    if length is not None:
        return length > ANONYMOUS_BODY_MAX
    # No Content-Length (chunked): cap what the form parser will read for this request.
    request.max_content_length = ANONYMOUS_BODY_MAX
    return False


def _dash_catch_all() -> bool:
    """Whether only Dash's page route (/<path:path>, which answers any path) matched."""
    rule = request.url_rule
    return rule is None or "<path:" in rule.rule


def _same_origin() -> bool:
    """Browsers send Origin (or Referer) with POSTs: it must be this server."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return True  # not a browser (CLI, tests): no ambient cookies to abuse
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def _is_page() -> bool:
    path = request.path
    return not (path.startswith(("/api/", "/export/", "/healthz", "/ogc"))
                or "/_dash-" in path)


def _deny(status: int, error: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": error, "message": message}), status
