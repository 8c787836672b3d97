"""Old (window scan, tests/db/oracle/) vs new (ticket_daily rollup) KPIs and 12345 ranking,
interleaved on a benchmark database; asserts the answers are identical.

    .venv/bin/python scripts/bench/ticket_rollup_compare.py district|city RUNS
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from psycopg.rows import dict_row

from dashboard.settings import get_settings
from geo.bootstrap import ensure_database
from geo.database import connect
from geo.kpis import kpis
from geo.operations import hotline_performance
from geo.timewindow import TOWN_TZ

ORACLE = Path(__file__).resolve().parents[2] / "tests" / "db" / "oracle"


def main(scale: str, runs: int) -> None:
    settings = get_settings()
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    kpi_old = (ORACLE / "kpis_scan.sql").read_text(encoding="utf-8")
    rank_old = (ORACLE / "hotline_performance_scan.sql").read_text(encoding="utf-8")
    midnight = datetime.now(TOWN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    now = datetime.now(TOWN_TZ)
    windows = {"whole days": (midnight - timedelta(days=30), midnight),
               "now-30d..now": (now - timedelta(days=30), now)}
    with connect(url, settings) as conn:
        conn.execute("SET statement_timeout = 0")
        cur = conn.cursor(row_factory=dict_row)
        for name, (since, until) in windows.items():
            params = {"since": since, "until": until, "town_code": None}
            jobs = {
                "kpis old": lambda p=params: cur.execute(kpi_old, p).fetchone(),
                "kpis new": lambda s=since, u=until: kpis(conn, (s, u)),
                "ranking grid old": lambda p=params: cur.execute(
                    rank_old, {**p, "level": "grid"}).fetchall(),
                "ranking grid new": lambda s=since, u=until: hotline_performance(
                    conn, "grid", (s, u)),
            }
            old, new = jobs["kpis old"](), jobs["kpis new"]()
            assert {k: new[k] for k in old} == old
            assert jobs["ranking grid old"]() == jobs["ranking grid new"]()
            times: dict[str, list[float]] = {k: [] for k in jobs}
            for _ in range(runs):
                for key, job in jobs.items():
                    start = time.perf_counter()
                    job()
                    times[key].append((time.perf_counter() - start) * 1000)
            for key, values in times.items():
                values.sort()
                print(f"{name:14s} {key:18s} p50 {statistics.median(values):8.1f} ms  "
                      f"p95 {values[int(0.95 * (len(values) - 1))]:8.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
