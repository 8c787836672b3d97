"""Timing the exports: a warm and a cold 1920×1080 PNG snapshot, and a five-view briefing.

Cold means what a user at the command line waits for: a new `gridcmd export snapshot`
process (Python, the app, Chromium) from start to written file. Warm means a server that has
exported before: the browser is up and the next print page preloaded. The briefing runs as
cron runs it: `gridcmd export briefing` in a new process.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from dashboard.export.params import parse_params
from layers.registry import Registry

WARM_SIZE = "1920x1080"
GOALS_S = {"snapshot_png_warm": 2.0, "snapshot_png_cold": 6.0, "briefing_five_views": 20.0}
BRIEFING = """title = "马驹桥镇每日简报"
days = 7
[[views]]
title = "全镇小区"
layers = "communities,compounds,town"
[[views]]
title = "诉求分布"
layers = ["compounds", "tickets"]
[[views]]
title = "人口压力"
layers = "town"
h3 = "population"
[[views]]
title = "全镇网格"
layers = "grids,town"
[[views]]
title = "病例分布"
layers = "town,cases"
h3 = "cases"
"""


@dataclass(frozen=True)
class Timing:
    """One measured export: its runs in seconds and the goal it is held to."""

    name: str
    runs: list[float]
    goal_s: float

    @property
    def p50(self) -> float:
        """The median run."""
        return statistics.median(self.runs)

    @property
    def worst(self) -> float:
        """The slowest run."""
        return max(self.runs)

    def as_dict(self) -> dict:
        """JSON-ready figures."""
        return {**asdict(self), "p50_s": round(self.p50, 3), "max_s": round(self.worst, 3),
                "met": self.p50 <= self.goal_s}


def warm_snapshots(base_url: str, registry: Registry, runs: int) -> Timing:
    """`runs` PNG snapshots at 1920×1080 from the running server, after one to warm up."""
    from dashboard.export.snapshot import snapshot

    views = [parse_params({"size": WARM_SIZE}, registry),
             parse_params({"size": WARM_SIZE, "layers": "town,cases", "h3": "population"},
                          registry)]
    times = []
    with tempfile.TemporaryDirectory(prefix="gridcmd-bench-") as folder:
        snapshot(base_url, views[0], Path(folder) / "warm-up.png")
        for number in range(runs):
            out = Path(folder) / f"run{number}.png"
            started = time.perf_counter()
            snapshot(base_url, views[number % len(views)], out)
            times.append(time.perf_counter() - started)
    return Timing("snapshot_png_warm", times, GOALS_S["snapshot_png_warm"])


def cold_runs(name: str, command: Callable[[Path], list[str]], runs: int,
              env: dict[str, str]) -> Timing:
    """`runs` new gridcmd processes, each timed from start to exit (a failure raises)."""
    times = []
    with tempfile.TemporaryDirectory(prefix="gridcmd-bench-") as folder:
        for number in range(runs):
            args = command(Path(folder) / str(number))
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "dashboard.cli", *args], env=env,
                                  capture_output=True, text=True, timeout=300)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError(f"gridcmd {' '.join(args[:2])} failed: "
                                   f"{done.stderr.strip()[-300:]}")
    return Timing(name, times, GOALS_S[name])


def cold_snapshot_args(stem: Path) -> list[str]:
    """`gridcmd export snapshot` of the town at 1920×1080."""
    return ["export", "snapshot", "--out", f"{stem}.png", "--size", WARM_SIZE]


def briefing_args(stem: Path) -> list[str]:
    """`gridcmd export briefing` of the five views above."""
    config = stem.with_suffix(".toml")
    config.write_text(BRIEFING, encoding="utf-8")
    return ["export", "briefing", "--config", str(config), "--out", f"{stem}.pdf"]
