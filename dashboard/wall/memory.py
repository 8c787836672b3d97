"""The wall's browser-side memory (dcc.Store `wall-memory`), checked before a callback uses it.

The store comes back from the browser with every refresh and rotation, so it is request input:
a malformed value (a string, a naive time, a town of three numbers) is a 400, not a 500 deep
inside a callback.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from geo.errors import BadParameter

PARAMETER = "wall-memory"
_TIMES = ("refreshed", "last_ok")
_BOX = ("west", "south", "east", "north")


def _bad(why: str) -> BadParameter:
    return BadParameter(PARAMETER, f"malformed wall memory: {why}")


def _time(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise _bad(f"{where} must be an ISO time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"{where} must be an ISO time") from None
    if moment.tzinfo is None:
        raise _bad(f"{where} needs a UTC offset")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"{where} must be a finite number")
    return float(value)


def read_memory(memory: Any) -> dict[str, Any]:
    """The store's value, checked: {} for none; BadParameter('wall-memory') when malformed."""
    if memory is None:
        return {}
    if not isinstance(memory, dict):
        raise _bad("not an object")
    checked: dict[str, Any] = {}
    for key in _TIMES:
        if memory.get(key) is not None:
            checked[key] = _time(memory[key], key)
    held = memory.get("held")
    if held is not None:
        if not isinstance(held, dict) or len(held) > 1000:
            raise _bad("held must be an object of case codes")
        checked["held"] = {str(code): _time(since, "held") for code, since in held.items()}
    town = memory.get("town")
    if town is not None:
        if not isinstance(town, list) or len(town) != 4:
            raise _bad("town must be four numbers (west, south, east, north)")
        checked["town"] = [_number(v, "town") for v in town]
    hottest = memory.get("hottest")
    if hottest is not None:
        if not isinstance(hottest, dict):
            raise _bad("hottest must be an object")
        for key in ("code", "name"):
            if not isinstance(hottest.get(key), str):
                raise _bad(f"hottest.{key} must be text")
        for key in _BOX:
            _number(hottest.get(key), f"hottest.{key}")
        if hottest.get("geometry") is not None and not isinstance(hottest["geometry"], dict):
            raise _bad("hottest.geometry must be GeoJSON")
        checked["hottest"] = hottest
    return checked
