"""The JSON body a refused request parameter gets, the same from every blueprint (the routes
in api/ and the export feature both answer with it)."""

from __future__ import annotations

from flask import Response, jsonify


def bad_parameter(parameter: str | None, message: str) -> tuple[Response, int]:
    """400 {"error": "bad_parameter", "parameter": …, "message": …}."""
    return jsonify({"error": "bad_parameter", "parameter": parameter, "message": message}), 400
