"""The grid worker's phone app (/m/): a small plain HTML + JS shell with a service worker and an
IndexedDB outbox. Its JSON routes (visits, photos, reports, tasks) are in dashboard/api/phone.py."""

from __future__ import annotations

from flask import Flask


def register(server: Flask) -> None:
    """Mount the phone shell (/m/) on `server`."""
    from dashboard.phone.shell import phone_shell

    server.register_blueprint(phone_shell)
