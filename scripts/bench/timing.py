"""Timing of the comparison scripts in this folder (run as scripts, they import it as
`timing`): how long a call takes, and the median and 95th percentile of many."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed_ms(job: Callable[[], T]) -> tuple[float, T]:
    """How long `job()` took in milliseconds, and what it returned."""
    start = time.perf_counter()
    result = job()
    return (time.perf_counter() - start) * 1000, result


def p50_p95(values: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (the nearest rank below) of `values`."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]
