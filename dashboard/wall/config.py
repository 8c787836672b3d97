"""The wall's rotating views: built-in defaults, or a TOML file checked at startup.

The file (GRIDCMD_WALL_VIEWS) looks like this; `seconds` at the top is every view's default:

    seconds = 20
    [[views]]
    kind = "overview"                 # overview | h3 | hottest_grid
    [[views]]
    kind = "h3"
    metric = "cases"                  # any metric of GET /api/h3/<metric>
    days = 14                         # window of windowed metrics (cases, tickets)
    seconds = 30
    title_zh = "近两周病例"            # optional; otherwise the catalogue's name
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import GridcmdError
from layers.metrics import METRICS

KINDS = ("overview", "h3", "hottest_grid")
DEFAULT_SECONDS = 20
DEFAULT_DAYS = 14
MIN_SECONDS = 3  # shorter than this and nobody in the hall can read the view


class WallConfigError(GridcmdError):
    """The wall's view file cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class View:
    """One view of the rotation: what the map shows and for how long."""

    id: str
    kind: str
    metric: str | None = None
    days: int = DEFAULT_DAYS
    seconds: int = DEFAULT_SECONDS
    title_zh: str | None = None
    title_en: str | None = None


DEFAULT_VIEWS: tuple[View, ...] = (
    View("overview", "overview"),
    View("population", "h3", metric="population"),
    View("cases", "h3", metric="cases", days=14),
    View("coverage", "h3", metric="coverage"),
    View("hottest_grid", "hottest_grid"),
)

_KEYS = {"id", "kind", "metric", "days", "seconds", "title_zh", "title_en"}


def load_views(path: Path | None) -> tuple[View, ...]:
    """The views of the TOML file at `path` ([[views]] tables), or the defaults when None."""
    if path is None:
        return DEFAULT_VIEWS
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise WallConfigError(f"{path}: cannot read the wall view file ({exc.strerror}); "
                              "fix GRIDCMD_WALL_VIEWS or unset it for the defaults") from None
    except tomllib.TOMLDecodeError as exc:
        raise WallConfigError(f"{path}: not valid TOML: {exc}") from None
    seconds = data.get("seconds", DEFAULT_SECONDS)
    _check_seconds(path, "seconds", seconds)
    unknown = set(data) - {"views", "seconds"}
    if unknown:
        raise WallConfigError(f"{path}: unknown key {sorted(unknown)[0]!r} "
                              "(allowed: seconds, [[views]])")
    raw = data.get("views")
    if not isinstance(raw, list) or not raw:
        raise WallConfigError(f"{path}: key 'views' must hold at least one [[views]] table")
    views = tuple(_view(path, i, entry, seconds) for i, entry in enumerate(raw))
    names = [v.id for v in views]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise WallConfigError(f"{path}: views.id: {duplicate!r} is used twice")
    return views


def _view(path: Path, index: int, entry: Any, seconds: int) -> View:
    where = f"views[{index}]"
    if not isinstance(entry, dict):
        raise WallConfigError(f"{path}: {where} must be a table")
    unknown = set(entry) - _KEYS
    if unknown:
        raise WallConfigError(f"{path}: {where}.{sorted(unknown)[0]}: unknown key "
                              f"(allowed: {', '.join(sorted(_KEYS))})")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise WallConfigError(f"{path}: {where}.kind: must be one of {', '.join(KINDS)}, "
                              f"not {kind!r}")
    metric = entry.get("metric")
    if kind == "h3" and metric not in METRICS:
        raise WallConfigError(f"{path}: {where}.metric: must be one of "
                              f"{', '.join(METRICS)}, not {metric!r}")
    if kind != "h3" and metric is not None:
        raise WallConfigError(f"{path}: {where}.metric: only views of kind 'h3' have one")
    view_seconds = entry.get("seconds", seconds)
    _check_seconds(path, f"{where}.seconds", view_seconds)
    days = entry.get("days", DEFAULT_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        raise WallConfigError(f"{path}: {where}.days: must be a whole number of days, 1–366")
    for key in ("id", "title_zh", "title_en"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
            raise WallConfigError(f"{path}: {where}.{key}: must be a non-empty string")
    return View(id=entry.get("id") or f"{kind}-{index + 1}", kind=kind, metric=metric,
                days=days, seconds=view_seconds, title_zh=entry.get("title_zh"),
                title_en=entry.get("title_en"))


def _check_seconds(path: Path, key: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < MIN_SECONDS:
        raise WallConfigError(f"{path}: {key}: must be a whole number of seconds "
                              f">= {MIN_SECONDS}, not {value!r}")
