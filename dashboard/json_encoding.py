"""JSON answers encoded by orjson (C) instead of the standard library's encoder.

The 12345 ranking at district scale is ~3,000 rows (2 MB of JSON): encoding it with `json`
and walking it first in Python (`plain`) cost more CPU than its query. orjson writes the same
JSON: keys sorted, compact, UTF-8 unescaped, one trailing newline, and Flask's own conversions
for what orjson is not asked to encode (dates as HTTP dates, Decimals as strings, dataclasses);
anything orjson refuses (non-string keys, integers beyond 64 bits) falls back to `json`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME \
    | orjson.OPT_PASSTHROUGH_DATACLASS


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson for compact answers (debug's indented ones: json)."""

    ensure_ascii = False  # Chinese names stay readable in JSON answers

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        try:
            data = orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except TypeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(data + b"\n", mimetype=self.mimetype)


def install(server: Flask) -> None:
    """Encode `server`'s JSON answers with orjson."""
    server.json_provider_class = FastJSONProvider
    server.json = FastJSONProvider(server)


def _plain_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def plain(value: Any) -> Any:
    """JSON-ready copy: ISO times, numbers for Decimals, lists for tuples (one pass in C;
    values orjson refuses take the Python walk)."""
    try:
        return orjson.loads(orjson.dumps(value, default=_plain_default,
                                         option=orjson.OPT_PASSTHROUGH_DATETIME))
    except TypeError:
        return _plain_walk(value)


def _plain_walk(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_walk(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_walk(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
