"""One page of a long table: `limit` and `offset` from the query, and the next page's offset.

The ranking, freshness and mobilisation-gaps routes page alike (bounded answers, issue 16)."""

from __future__ import annotations

from flask import request

from geo.errors import BadParameter

MAX_OFFSET = 10_000_000


def page_args(default_limit: int, max_limit: int) -> tuple[int, int]:
    """(limit, offset) of the request: limit 1..max_limit (default `default_limit`), offset
    0..MAX_OFFSET (default 0); anything else is BadParameter (400) naming the parameter."""
    return (whole_number("limit", default_limit, 1, max_limit),
            whole_number("offset", 0, 0, MAX_OFFSET))


def whole_number(name: str, default: int, low: int, high: int) -> int:
    """Query parameter `name` as a whole number in low..high (digits only)."""
    text = request.args.get(name, str(default))
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadParameter(name, f"a whole number, {low}..{high}")
    return int(text)


def next_offset(offset: int, limit: int, total: int) -> int | None:
    """The next page's offset, None on the last page."""
    return offset + limit if offset + limit < total else None
