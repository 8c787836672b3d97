"""The deterministic synthetic demo town (Majuqiao, 马驹桥镇) and its loader.

`load_demo` generates one town (or ten for the district scale) from a seed and an anchor date
and replaces their rows in the database in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pandas as pd

from geo.demo.copy_load import TABLES, load
from geo.demo.errors import DemoError, DemoLoadError
from geo.demo.frame import CENTRE_LAT, CENTRE_LNG, M_PER_DEG_LAT, M_PER_DEG_LNG, Clock, TownSpec
from geo.demo.names import OTHER_TOWNS, synthetic_towns
from geo.demo.town import STAGES, generate_town
from geo.settings import DatabaseSettings

__all__ = ["DemoError", "DemoLoadError", "MAX_TOWNS", "SCALES", "TABLES", "generate",
           "load_demo", "town_count", "town_specs"]

SCALES = {"town": 1, "district": 10, "city": 50}
MAX_TOWNS = 400  # Beijing has ~330 towns and sub-districts
DEFAULT_SEED = 20220501
# District layout: towns side by side, 12.5 km apart east-west and 11 km north-south.
_STEP_X, _STEP_Y, _COLUMNS = 12_500.0, 11_000.0, 5


def town_count(scale: str, towns: int | None = None) -> int:
    """How many towns a load makes: `towns` when given (1–MAX_TOWNS), else the scale's."""
    if scale not in SCALES:
        raise DemoError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    if towns is None:
        return SCALES[scale]
    if isinstance(towns, bool) or not isinstance(towns, int) or not 1 <= towns <= MAX_TOWNS:
        raise DemoError(f"towns must be a whole number from 1 to {MAX_TOWNS}, not {towns!r}")
    return towns


def town_specs(scale: str, seed: int, town_code: str | None = None,
               towns: int | None = None) -> list[TownSpec]:
    """The towns of a scale (or `towns` of them): Majuqiao first, then the synthetic
    neighbours — Tongzhou's real towns, then numbered synthetic towns (city scale) — laid out
    five to a row, each from its own seed."""
    n = town_count(scale, towns)
    code = town_code or DatabaseSettings().town_code
    specs = [TownSpec(code=code, name="马驹桥镇", name_en="Majuqiao", seed=seed)]
    others = [t for t in OTHER_TOWNS + synthetic_towns(n) if t[0] != code][: n - 1]
    for k, (other, name, name_en) in enumerate(others, start=1):
        col, row = k % _COLUMNS, k // _COLUMNS
        specs.append(TownSpec(
            code=other, name=name, name_en=name_en, seed=(seed, k), real_names=False,
            lat=CENTRE_LAT - row * _STEP_Y / M_PER_DEG_LAT,
            lng=CENTRE_LNG + col * _STEP_X / M_PER_DEG_LNG))
    return specs


def default_anchor() -> dt.date:
    """Today in Beijing: the demo's activity ends at 00:00 Asia/Shanghai of this date."""
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def generate(scale: str = "town", seed: int = DEFAULT_SEED, anchor: dt.date | None = None,
             town_code: str | None = None, stage: Callable[[str], None] = lambda _: None,
             towns: int | None = None) -> Iterator[tuple[str, dict[str, pd.DataFrame]]]:
    """(town code, tables) of every town of the scale, generated lazily one town at a time."""
    end = Clock(anchor or default_anchor()).end
    for spec in town_specs(scale, seed, town_code, towns):
        yield spec.code, generate_town(spec, end, lambda s, c=spec.code: stage(f"{s} ({c})"))


@contextmanager
def _reporter(enabled: bool, total: int) -> Iterator[Callable[[str], None]]:
    if not enabled:
        yield lambda _: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<32}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total}"), TimeElapsedColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("starting", total=total)
        first = [True]

        def step(label: str) -> None:
            if not first[0]:
                bar.advance(task)
            first[0] = False
            bar.update(task, description=label)

        yield step
        bar.update(task, completed=total, description="done")


def load_demo(url: str, scale: str = "town", seed: int = DEFAULT_SEED, progress: bool = False,
              anchor: dt.date | None = None, towns: int | None = None) -> dict[str, int]:
    """Generate the demo town(s) and replace their rows at `url`; returns row counts per table.
    `towns` overrides the scale's number of towns (`gridcmd demo --towns N`)."""
    specs = town_specs(scale, seed, towns=towns)
    total = len(specs) * (len(STAGES) + len(TABLES)) + 3  # + indexes, rollups, ANALYZE
    with _reporter(progress, total) as step:
        batches = generate(scale, seed, anchor, stage=step, towns=towns)
        return load(url, [s.code for s in specs], batches, step)
