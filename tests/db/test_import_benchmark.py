"""The import benchmark: demo GeoPackages into a scratch database that is dropped afterwards."""

from __future__ import annotations

import os

import psycopg
import pytest

from geo.importing.benchmark import SCRATCH_PREFIX, kinds_to_load, run_benchmark, totals

pytestmark = pytest.mark.db


def test_parents_are_loaded_first():
    assert kinds_to_load(["households"]) == ["towns", "communities", "grids", "compounds",
                                             "buildings", "households"]


def test_small_benchmark_times_each_kind_and_drops_its_database(settings, admin_url):
    figures = run_benchmark(settings, ["buildings", "incidents"], rows=300, scale="town")
    timed = {f.kind: f for f in figures if f.timed}
    assert set(timed) == {"buildings", "incidents"}
    assert timed["buildings"].rows == 300 and timed["buildings"].geometry == "polygon"
    assert 0 < timed["incidents"].rows <= 300 and timed["incidents"].per_second > 0
    assert set(totals(figures)) == {"point", "polygon"}
    with psycopg.connect(admin_url) as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                            [f"{SCRATCH_PREFIX}{os.getpid()}"]).fetchone()[0]
    assert left == 0
