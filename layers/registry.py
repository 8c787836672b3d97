"""The list of layers the map can show; register() refuses a second layer with the same id.

`Declarations` is the shared part of every registry of declarations (layers here, H3 metrics
in layers/metrics.py): insertion order, and a refusal of a second item with the same id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

from layers.model import Layer


class _Declared(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Declared)


class Declarations(Generic[T]):
    """Declarations in order of registration, by id; a second one with an id is refused."""

    kind = "declaration"
    duplicate: type[ValueError] = ValueError

    def __init__(self) -> None:
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        """Add `item`; a second item with the same id is refused (`duplicate`)."""
        if item.id in self._items:
            raise self.duplicate(f"{self.kind} id {item.id!r} is already registered")
        self._items[item.id] = item
        return item

    def all(self) -> tuple[T, ...]:
        """Every item, in registration order."""
        return tuple(self._items.values())

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __len__(self) -> int:
        return len(self._items)


class UnknownLayer(KeyError):
    """No layer is registered under this id."""

    def __init__(self, layer_id: str) -> None:
        super().__init__(layer_id)
        self.layer_id = layer_id

    def __str__(self) -> str:
        return f"unknown layer {self.layer_id!r}"


class DuplicateLayer(ValueError):
    """A layer with this id is already registered."""


class Registry(Declarations[Layer]):
    """Layers in declaration order (which is also the drawing order, bottom first)."""

    kind = "layer"
    duplicate = DuplicateLayer

    def get(self, layer_id: str) -> Layer:
        """The layer with this id, or UnknownLayer."""
        try:
            return self._items[layer_id]
        except KeyError:
            raise UnknownLayer(layer_id) from None

    def __iter__(self) -> Iterator[Layer]:
        return iter(self._items.values())
