"""The zone proposal's query before issue 16's zone work (tests/db/oracle/zone_proposal_before.sql)
and now (geo/sql/queries/zone_proposal.sql), interleaved on one connection over the whole
outbreak of a benchmark database, grid and buffer mode; asserts identical answers each round.

    .venv/bin/python scripts/bench/zone_proposal_compare.py district RUNS
    .venv/bin/python scripts/bench/zone_proposal_compare.py city RUNS
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from dashboard.settings import get_settings
from geo.database import connect, server_url
from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ

ORACLE = Path(__file__).parents[2] / "tests" / "db" / "oracle" / "zone_proposal_before.sql"


def main(scale: str, runs: int) -> None:
    settings = get_settings()
    url = server_url(settings, f"{settings.database_name}_bench_{scale}")
    queries = {"before": ORACLE.read_text(), "now": read_sql("queries/zone_proposal.sql")}
    with connect(url, settings) as conn:
        first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                                   ).fetchone()
        since = datetime.combine(first.astimezone(TOWN_TZ).date(), datetime.min.time(), TOWN_TZ)
        until = datetime.combine(last.astimezone(TOWN_TZ).date() + timedelta(days=1),
                                 datetime.min.time(), TOWN_TZ)
        conn.commit()
        print(f"{scale}: load before {os.getloadavg()[0]:.1f}")
        for mode in ("grid", "buffer"):
            params = {"since": since, "until": until, "mode": mode, "buffer_m": 300,
                      "ring_m": 500, "add_buildings": [], "remove_buildings": [],
                      "add_compounds": [], "remove_compounds": []}
            for query in queries.values():  # warm-up: PROJ, catalog caches, buffers
                conn.execute(query, params).fetchall()
            times: dict[str, list[float]] = {name: [] for name in queries}
            for _ in range(runs):
                answers = []
                for name, query in queries.items():
                    start = time.perf_counter()
                    answers.append(conn.execute(query, params).fetchall())
                    times[name].append((time.perf_counter() - start) * 1000)
                    conn.rollback()
                assert answers[0] == answers[1], "the answers differ"
            for name, values in times.items():
                values.sort()
                print(f"{mode:6s} {name:6s} p50 {statistics.median(values):7.1f} ms  "
                      f"p95 {values[int(0.95 * (len(values) - 1))]:7.1f} ms  ({runs} runs)")
        print(f"{scale}: load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
