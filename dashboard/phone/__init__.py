"""The grid worker's phone app (/m/): a small plain HTML + JS shell with a service worker and an
IndexedDB outbox, and the JSON routes it writes through (visits, photos, reports)."""

from __future__ import annotations

from flask import Flask


def register(server: Flask) -> None:
    """Mount the phone shell (/m/) and its routes on `server`."""
    from dashboard.phone.routes import phone_api
    from dashboard.phone.shell import phone_shell

    server.register_blueprint(phone_shell)
    server.register_blueprint(phone_api)
