"""The phone app's shell: /m/ (the page), its script, style, service worker, manifest, icons.

The files live in dashboard/phone/static, not in assets/: Dash adds every .js and .css under
its assets folder to each of its pages, and the phone's files must not load on the command map.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, redirect, send_from_directory

from dashboard.i18n import STRINGS
from dashboard.state import get_state

STATIC = Path(__file__).resolve().parent / "static"
SHELL_FILES = {  # name → mimetype; everything the service worker caches as the app shell
    "app.js": "text/javascript", "outbox.js": "text/javascript", "geo.js": "text/javascript",
    "app.css": "text/css", "icon-192.png": "image/png", "icon-512.png": "image/png",
    "manifest.webmanifest": "application/manifest+json",
}

phone_shell = Blueprint("gridcmd_phone_shell", __name__)


@phone_shell.after_request
def _phone_headers(response: Response) -> Response:
    # The phone app needs the position (reports, distance to a task); the rest of the site
    # keeps geolocation=() from the guard's headers.
    response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    return response


@phone_shell.get("/m")
def phone_root():
    """/m → /m/ (the service worker's scope)."""
    return redirect("/m/", code=308)


@phone_shell.get("/m/")
def phone_page():
    """The app's one page (a grid worker lands here after signing in)."""
    return send_from_directory(STATIC, "index.html", mimetype="text/html", max_age=0)


@phone_shell.get("/m/sw.js")
def service_worker():
    """The service worker, served from /m/ so that its scope is the app."""
    response = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"  # a new version is picked up at once
    return response


@phone_shell.get("/m/strings.js")
def strings():
    """The phone's user-facing strings in the configured language (from the one catalogue)."""
    lang = "en" if get_state().settings.lang.lower().startswith("en") else "zh"
    table = {key[len("phone."):]: entry[lang] for key, entry in STRINGS.items()
             if key.startswith("phone.")}
    body = f"self.GC_LANG = {json.dumps(lang)};\nself.GC_STRINGS = " \
           f"{json.dumps(table, ensure_ascii=False)};\n"
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@phone_shell.get("/m/<name>")
def shell_file(name: str):
    """One file of the app shell (404 for anything else)."""
    if name not in SHELL_FILES:
        return Response("not found", status=404, mimetype="text/plain")
    response = send_from_directory(STATIC, name, mimetype=SHELL_FILES[name], max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
