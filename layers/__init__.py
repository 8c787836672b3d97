"""What the map can show: declarative layers and their registry (no Dash here)."""

from layers.catalog import REGISTRY
from layers.model import Layer, LegendEntry
from layers.registry import DuplicateLayer, Registry, UnknownLayer

__all__ = ["REGISTRY", "DuplicateLayer", "Layer", "LegendEntry", "Registry", "UnknownLayer"]
