"""The list of layers the map can show; register() refuses a second layer with the same id."""

from __future__ import annotations

from collections.abc import Iterator

from layers.model import Layer


class UnknownLayer(KeyError):
    """No layer is registered under this id."""

    def __init__(self, layer_id: str) -> None:
        super().__init__(layer_id)
        self.layer_id = layer_id

    def __str__(self) -> str:
        return f"unknown layer {self.layer_id!r}"


class DuplicateLayer(ValueError):
    """A layer with this id is already registered."""


class Registry:
    """Layers in declaration order (which is also the drawing order, bottom first)."""

    def __init__(self) -> None:
        self._layers: dict[str, Layer] = {}

    def register(self, layer: Layer) -> Layer:
        """Add a layer; a second layer with the same id is refused."""
        if layer.id in self._layers:
            raise DuplicateLayer(f"layer id {layer.id!r} is already registered")
        self._layers[layer.id] = layer
        return layer

    def get(self, layer_id: str) -> Layer:
        """The layer with this id, or UnknownLayer."""
        try:
            return self._layers[layer_id]
        except KeyError:
            raise UnknownLayer(layer_id) from None

    def all(self) -> tuple[Layer, ...]:
        """Every layer, in declaration order."""
        return tuple(self._layers.values())

    def __contains__(self, layer_id: object) -> bool:
        return layer_id in self._layers

    def __iter__(self) -> Iterator[Layer]:
        return iter(self._layers.values())

    def __len__(self) -> int:
        return len(self._layers)
