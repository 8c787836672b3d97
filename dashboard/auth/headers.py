"""Security headers on every answer."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response


def content_security_policy(script_hashes: list[str], tile_url: str | None) -> str:
    """Scripts only from this server (plus Dash's own inline bootstraps by hash); no framing."""
    images = "'self' data: blob:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        if parts.scheme and parts.netloc:
            host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
            images += f" {parts.scheme}://{host}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(sorted(set(script_hashes))),
        "style-src 'self' 'unsafe-inline'",  # React and Leaflet position elements inline
        f"img-src {images}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(response: Response, csp: str) -> Response:
    """Set the headers on `response` (answers with data are never cached)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype in ("application/json", "application/geo+json", "text/html"):
        headers.setdefault("Cache-Control", "no-store")
    return response
