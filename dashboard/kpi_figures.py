"""How a headline figure reads on a tile — the map's KPI bar, the wall and the briefing cover
share these (plain functions, no Dash), so no feature package imports another for them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from geo.kpi_extent import KPI_NAMES

SHARES = ("responded_24h_share", "solved_share", "coverage_share")
# Tiles that turn red when their figure is above zero (or the ratio above 1: 倒挂).
ALERTS = ("active_cases", "three_no_compounds")


def format_kpi(name: str, value: Any) -> str:
    """One figure as shown on its tile: counts with separators, ratios to 2 places, shares in %."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        value = float(value)
    if name in SHARES:
        return f"{value * 100:.1f}%"
    if name == "floating_ratio":
        return f"{value:.2f}"
    return f"{int(value):,}"


def tile_classes(figures: Mapping[str, Any]) -> list[str]:
    """Class of each tile in KPI_NAMES order; alert tiles are marked when they need attention."""
    classes = []
    for name in KPI_NAMES:
        value = figures.get(name)
        alert = ((name in ALERTS and value and value > 0)
                 or (name == "floating_ratio" and value is not None and value > 1))
        classes.append(f"gc-kpi gc-kpi-{name}" + (" gc-kpi-alert" if alert else ""))
    return classes
