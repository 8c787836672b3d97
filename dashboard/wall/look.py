"""How the wall's map looks on its dark theme: context muted under the data, bigger case dots.

The registry's styles suit the light command map; on the wall the beige roads were brighter
than the data. These copies keep every class of the registry and change only colour, weight
and opacity, so the eye goes to cases and overdue tickets first.
"""

from __future__ import annotations

import copy
from typing import Any

# Context on the dark wall: rivers a deep blue, roads a dim slate, rail darker still.
MUTED_CONTEXT = {
    "base": {"color": "#3a4a5f", "weight": 1.5, "opacity": 0.7},
    "river": {"color": "#2c6a9e", "weight": 3, "opacity": 0.75},
    "water": {"color": "#2c6a9e", "fillColor": "#1d4a70", "fillOpacity": 0.5},
    "road": {"color": "#44556b", "opacity": 0.7},
    "rail": {"color": "#33404f"},
    "park": {"color": "#2f4a3a", "fillColor": "#1f3328", "fillOpacity": 0.45},
}
ROAD_WEIGHTS = {"1": 3, "2": 2, "3": 1}
# Area layers: thin, dim outlines; the town boundary stays the one strong line.
MUTED_AREAS = {
    "communities": {"weight": 1.2, "opacity": 0.55, "fillOpacity": 0.08},
    "grids": {"weight": 0.6, "opacity": 0.35, "fillOpacity": 0},
    "town": {"color": "#9fb3c8", "weight": 2.5, "opacity": 0.9},
}
CASE_RADIUS_SCALE = 2.0  # on top of wall.js's own growth with the screen


def wall_style(layer_id: str, style: dict[str, Any]) -> dict[str, Any]:
    """The registry `style` of a base layer, muted for the dark wall."""
    style = copy.deepcopy(style)
    if layer_id == "context":
        style.setdefault("base", {}).update(MUTED_CONTEXT["base"])
        for name, options in style.get("classes", {}).items():
            options.update(MUTED_CONTEXT.get(name, {}))
        if "scale" in style:
            style["scale"]["options"]["weight"] = dict(ROAD_WEIGHTS)
    elif layer_id in MUTED_AREAS:
        style.setdefault("base", {}).update(MUTED_AREAS[layer_id])
    return style


def case_style(style: dict[str, Any]) -> dict[str, Any]:
    """The cases layer's dot style with every radius scaled up for the far end of the hall."""
    style = copy.deepcopy(style)
    for options in [style.get("base", {}), *style.get("classes", {}).values()]:
        if "radius" in options:
            options["radius"] = round(options["radius"] * CASE_RADIUS_SCALE, 1)
    return style
