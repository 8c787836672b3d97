"""Short browser caching for answers that carry no personal data: ETag, max-age, 304.

Personal data stays `no-store` (set for every data answer in dashboard/auth/headers.py); only
routes that call `cacheable` opt out of it. The cache is the signed-in user's browser alone:
`private` keeps shared proxies out, and `Vary: Cookie` keeps one user's copy from another
user of the same browser (roles and community scopes differ).
"""

from __future__ import annotations

from flask import Response

from dashboard.response_cache import not_modified

# Long enough that panning back or switching a layer off and on costs no request, short enough
# that an import or a new ticket shows within a minute on a map left open.
MAX_AGE_S = 60


def cacheable(response: Response, max_age: int = MAX_AGE_S) -> Response:
    """`response` with a strong ETag (hash of its body) and `private, max-age`; 304 when the
    browser already holds it (If-None-Match, also in the form `"tag:gzip"` flask-compress
    gives a compressed copy)."""
    response.add_etag()
    response.headers["Cache-Control"] = f"private, max-age={max_age}"
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Cookie" if vary else "Cookie"
    etag, _ = response.get_etag()
    if not_modified(etag):
        response.status_code = 304
        response.set_data(b"")
        response.headers.pop("Content-Length", None)
        response.set_etag(etag)
    return response
