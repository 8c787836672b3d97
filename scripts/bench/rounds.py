"""Shared by the scripts here: time jobs in turns (a, b, c, a, b, c, …) so a load that comes
and goes on a shared machine weighs on each alike, and print p50/p95 per job."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from geo.timewindow import TOWN_TZ


def windows() -> dict[str, tuple[datetime, datetime]]:
    """The two 30-day windows the comparisons time: whole town days, and up to now."""
    midnight = datetime.now(TOWN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    now = datetime.now(TOWN_TZ)
    return {"whole days": (midnight - timedelta(days=30), midnight),
            "now-30d..now": (now - timedelta(days=30), now)}


def time_in_turns(jobs: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Milliseconds of `runs` rounds of every job, one after the other in each round."""
    times: dict[str, list[float]] = {k: [] for k in jobs}
    for _ in range(runs):
        for key, job in jobs.items():
            start = time.perf_counter()
            job()
            times[key].append((time.perf_counter() - start) * 1000)
    return times


def print_times(label: str, times: dict[str, list[float]]) -> None:
    """One line per job: label, job, p50 and p95 in ms."""
    for key, values in times.items():
        values = sorted(values)
        print(f"{label:14s} {key:18s} p50 {statistics.median(values):8.1f} ms  "
              f"p95 {values[int(0.95 * (len(values) - 1))]:8.1f} ms")
