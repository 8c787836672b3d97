"""Every node of a parsed JSON document, for tests that look for something anywhere in it."""

from __future__ import annotations

from collections.abc import Iterator


def json_nodes(value: object) -> Iterator[object]:
    """`value`, then every object, array and scalar inside it, depth first in document order."""
    yield value
    if isinstance(value, dict):
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return
    for child in children:
        yield from json_nodes(child)
