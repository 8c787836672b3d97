"""The one-way rule between the rooms, checked on the source: geo/ imports neither layers/ nor
dashboard/ nor Dash; api/ imports no feature package and no feature package imports api/ or
another feature package where this is enforced (zones and ops)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ("map", "zones", "ops", "export", "wall", "tickets", "phone", "ogc")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _files("geo"), ids=lambda p: str(p.relative_to(ROOT)))
def test_geo_imports_nothing_above_it(path: Path) -> None:
    for name in _imports(path):
        assert not name.startswith(("layers", "dashboard", "dash", "flask")), name


@pytest.mark.parametrize("path", _files("dashboard/api"), ids=lambda p: str(p.relative_to(ROOT)))
def test_api_imports_no_feature_package(path: Path) -> None:
    for name in _imports(path):
        assert not name.startswith(tuple(f"dashboard.{f}" for f in FEATURES)), name


@pytest.mark.parametrize("feature,other", [("zones", "ops"), ("ops", "zones")])
def test_zones_and_ops_do_not_import_each_other(feature: str, other: str) -> None:
    # What both need (role names, the call list's address) lives in dashboard/roster_text.py.
    for path in _files(f"dashboard/{feature}"):
        for name in _imports(path):
            assert not name.startswith(f"dashboard.{other}"), (path, name)


@pytest.mark.parametrize("feature", FEATURES)
def test_no_feature_package_imports_the_routes(feature: str) -> None:
    # Routes and features both call plain functions below them; the app mounts the routes.
    for path in _files(f"dashboard/{feature}"):
        for name in _imports(path):
            assert not name.startswith("dashboard.api"), (path, name)


@pytest.mark.parametrize("feature", ("export", "wall"))
def test_the_briefing_and_the_wall_take_kpi_formatting_from_below_the_map(feature: str) -> None:
    # A figure reads the same on the map's bar, the wall and the briefing cover: one module
    # (dashboard/kpi_figures.py) serves all three; the wall and exports import nothing of map/.
    for path in _files(f"dashboard/{feature}"):
        for name in _imports(path):
            assert not name.startswith("dashboard.map.kpibar"), (path, name)


@pytest.mark.parametrize("feature", [f for f in FEATURES if f != "map"])
def test_features_take_the_page_ids_from_below_the_map(feature: str) -> None:
    # The ids every feature wires to (the map, the language switch, the time window, the
    # selected region, the layers) live in dashboard/page_ids.py, their callback dependencies
    # in dashboard/page_inputs.py; dashboard/map/ids.py holds the map's own parts.
    for path in _files(f"dashboard/{feature}"):
        for name in _imports(path):
            assert not name.startswith("dashboard.map.ids"), (path, name)
