"""The zone proposal with and without the covering households index (migration 061, dropped
inside a transaction that is rolled back), interleaved; asserts identical answers.

    .venv/bin/python scripts/bench/zone_people_index_compare.py district RUNS
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta

from dashboard.settings import get_settings
from geo.database import connect, server_url
from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ


def main(scale: str, runs: int) -> None:
    settings = get_settings()
    url = server_url(settings, f"{settings.database_name}_bench_{scale}")
    query = read_sql("queries/zone_proposal.sql")
    with connect(url, settings) as conn:
        first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                                   ).fetchone()
        since = datetime.combine(first.astimezone(TOWN_TZ).date(), datetime.min.time(), TOWN_TZ)
        until = datetime.combine(last.astimezone(TOWN_TZ).date() + timedelta(days=1),
                                 datetime.min.time(), TOWN_TZ)
        conn.commit()
        for mode in ("grid", "buffer"):
            params = {"since": since, "until": until, "mode": mode, "buffer_m": 300,
                      "ring_m": 500, "add_buildings": [], "remove_buildings": [],
                      "add_compounds": [], "remove_compounds": []}
            times: dict[str, list[float]] = {"without": [], "with": []}
            for _ in range(runs):
                conn.execute("DROP INDEX households_building_people_idx")
                start = time.perf_counter()
                old = conn.execute(query, params).fetchall()
                times["without"].append((time.perf_counter() - start) * 1000)
                conn.rollback()
                start = time.perf_counter()
                new = conn.execute(query, params).fetchall()
                times["with"].append((time.perf_counter() - start) * 1000)
                conn.rollback()
                assert old == new
            for key, values in times.items():
                values.sort()
                print(f"{mode:6s} {key:7s} covering index  p50 {statistics.median(values):6.0f}"
                      f" ms  p95 {values[int(0.95 * (len(values) - 1))]:6.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
