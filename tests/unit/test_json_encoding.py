"""orjson answers are the answers the standard encoder gave (keys sorted, compact, Chinese
unescaped, Flask's conversions), and `plain` is the Python walk it replaced."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from dashboard.json_encoding import _plain_walk, install, plain

SHANGHAI = timezone(timedelta(hours=8))


@dataclass
class Point:
    lat: float
    lng: float


VALUES = [
    {"b": 1, "a": [1, 2.5, None, True], "名称": "马驹桥镇", "z": {"y": (1, 2), "x": "a/b"}},
    [{"rate": 0.9234, "n": 3_000, "text": "引号\"与\\反斜杠\n换行\u2028"}],
    {"when": datetime(2026, 11, 30, 8, 5, 1, 123456, tzinfo=SHANGHAI), "day": date(2026, 1, 2),
     "amount": Decimal("12.50"), "id": UUID(int=7), "point": Point(39.7, 116.5)},
    {"big": 2**70},                        # beyond orjson's 64 bits: the json fallback
    {1: "one", 2: "two", 10: "ten"},       # non-string keys: the json fallback
    {"empty": {}, "list": [], "float": 1e-7, "neg": -0.0},
]


def answers(provider: str) -> list[bytes]:
    app = Flask("t")
    if provider == "fast":
        install(app)
    else:
        app.json = DefaultJSONProvider(app)
        app.json.ensure_ascii = False
    with app.app_context():
        return [jsonify(v).get_data() for v in VALUES]


def test_orjson_answers_equal_the_standard_encoders():
    fast, standard = answers("fast"), answers("standard")
    for value, mine, theirs in zip(VALUES, fast, standard, strict=True):
        assert json.loads(mine) == json.loads(theirs), value
        assert mine.endswith(b"\n")
    # byte for byte where the encoders agree on number spelling (everything but 1e-7)
    assert fast[:5] == standard[:5]
    assert "马驹桥镇".encode() in fast[0]


@pytest.mark.parametrize("value", [
    {"t": datetime(2026, 11, 30, 0, 0, tzinfo=SHANGHAI), "u": datetime(2026, 1, 1, tzinfo=UTC),
     "naive": datetime(2026, 1, 1, 12, 30, 15, 5), "d": date(2026, 2, 28)},
    [Decimal("3"), Decimal("3.25"), Decimal("-0"), (1, (2, 3)), "文字"],
    {"rows": [{"grid": "110112104001001", "rate": Decimal("0.5"), "n": 4}] * 3},
    {1: Decimal("2.0")},                   # non-string key: the Python walk
])
def test_plain_is_the_python_walk(value):
    assert plain(value) == _plain_walk(value)
    assert json.dumps(plain(value), sort_keys=True, default=str) == \
        json.dumps(_plain_walk(value), sort_keys=True, default=str)
