"""Dash callback requests checked before Dash dispatches them: a body that is no JSON object, or
names a callback the addressed app does not have (a main-map callback posted to
/wall/_dash-update-component), is a 400 with the usual JSON error body instead of a KeyError
(500) deep inside Dash."""

from __future__ import annotations

from dash import Dash
from flask import Flask, jsonify, request

SUFFIX = "_dash-update-component"


def install(server: Flask, apps: list[Dash]) -> None:
    """Check every POST to an app's `<prefix>_dash-update-component` against that app."""
    by_route = {f"{app.config.routes_pathname_prefix}{SUFFIX}": app for app in apps}

    @server.before_request
    def _known_callback():
        app = by_route.get(request.path) if request.method == "POST" else None
        if app is None:
            return None
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # JSON nested beyond Python's recursion limit
            body = None
        output = body.get("output") if isinstance(body, dict) else None
        if not isinstance(output, str):
            return jsonify({"error": "bad_request",
                            "message": "a callback request is a JSON object naming its output"}
                           ), 400
        if output not in app.callback_map:
            return jsonify({"error": "bad_request",
                            "message": f"no such callback here: {output[:100]}"}), 400
        return None
