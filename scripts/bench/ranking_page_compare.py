"""The 12345 ranking of every grid before (the query as on `main`: categories and repeat
callers for every grid) and now (counts per grid first, categories and repeat callers for the
page only), interleaved on a benchmark database; asserts the answers are identical.

    .venv/bin/python scripts/bench/ranking_page_compare.py district|city RUNS [BASE]

BASE is the git revision holding the old query (default main).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from psycopg.rows import dict_row
from rounds import print_times, time_in_turns, windows  # scripts/bench/rounds.py

from dashboard.settings import get_settings
from geo.bootstrap import ensure_database
from geo.database import connect
from geo.operations import hotline_performance
from geo.ticket_days import window_params

QUERY = "geo/sql/queries/hotline_performance.sql"


def main(scale: str, runs: int, base: str = "main") -> None:
    root = Path(__file__).resolve().parents[2]
    old_sql = subprocess.run(["git", "show", f"{base}:{QUERY}"], cwd=root, check=True,
                             capture_output=True, text=True).stdout
    settings = get_settings()
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    with connect(url, settings) as conn:
        conn.execute("SET statement_timeout = 0")
        cur = conn.cursor(row_factory=dict_row)
        for name, (since, until) in windows().items():
            psince = since - (until - since)
            params = {"level": "grid", "since": since, "until": until, "psince": psince,
                      "town_code": None, **window_params(psince, since, "p_"),
                      **window_params(since, until, "c_")}
            jobs = {
                "old, every grid": lambda p=params: cur.execute(old_sql, p).fetchall(),
                "new, every grid": lambda s=since, u=until: hotline_performance(
                    conn, "grid", (s, u)),
                "new, page of 500": lambda s=since, u=until: hotline_performance(
                    conn, "grid", (s, u), None, 500, 0),
                "new, page of 50": lambda s=since, u=until: hotline_performance(
                    conn, "grid", (s, u), None, 50, 0),
            }
            whole = jobs["old, every grid"]()
            assert jobs["new, every grid"]() == whole
            assert jobs["new, page of 500"]() == whole[:500]
            print_times(name, time_in_turns(jobs, runs))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
