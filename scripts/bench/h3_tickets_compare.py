"""H3 tickets per cell before (tests/db/oracle/h3_tickets_before.sql: the "many cells" branch
reads every ticket of the window; run prepared, as psycopg does after five runs) and now (the box
prefilter of migration 080, planned for its values each time as geo/geojson.py h3_collection
runs it), interleaved on a benchmark database; asserts the answers are identical to the byte.

    .venv/bin/python scripts/bench/h3_tickets_compare.py district|city RUNS
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from rounds import print_times, time_in_turns  # scripts/bench/rounds.py

from dashboard.bench_targets import place_of
from dashboard.settings import get_settings
from geo.bootstrap import ensure_database
from geo.database import connect
from geo.geojson import collection_sql, wrapped_features

ROOT = Path(__file__).resolve().parents[2]
OLD = (ROOT / "tests/db/oracle/h3_tickets_before.sql").read_text(encoding="utf-8")


def main(scale: str, runs: int) -> None:
    old_sql = wrapped_features(OLD)
    new_sql = collection_sql("h3_tickets")
    settings = get_settings()
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    with connect(url, settings) as conn:
        conn.execute("SET statement_timeout = 0")
        place = place_of(conn).params
        z16 = {k[1:]: place[k] for k in ("zwest", "zsouth", "zeast", "znorth")}
        whole = {k: place[k] for k in ("west", "south", "east", "north")}
        until = place["until"]
        cases = {
            "z16 res 10, 30 d": (z16, 10, 30), "z16 res 10, 365 d": (z16, 10, 365),
            "z16 res 9, 365 d": (z16, 9, 365), "whole res 8, 30 d": (whole, 8, 30),
            "whole res 9, 30 d": (whole, 9, 30)}
        for label, (box, res, days) in cases.items():
            params = {"res": res, **box, "since": until - timedelta(days=days),
                      "until": until, "min_count": 5, "value_kind": "", "max_rows": None}
            cells = conn.execute("SELECT count(*) FROM h3_cells_in_viewport(%(res)s, %(west)s, "
                                 "%(south)s, %(east)s, %(north)s)", params).fetchone()[0]
            # "old" as main ran it (psycopg prepares it after 5 runs: a generic plan may
            # follow), "new" as the route runs it now (unprepared: planned for its values)
            jobs = {"old": lambda p=params: conn.execute(old_sql, p).fetchone()[0],
                    "new": lambda p=params: conn.execute(new_sql, p, prepare=False
                                                         ).fetchone()[0],
                    "old unprepared": lambda p=params: conn.execute(
                        old_sql, p, prepare=False).fetchone()[0],
                    "new prepared": lambda p=params: conn.execute(new_sql, p).fetchone()[0]}
            answer = jobs["old"]()
            assert jobs["new"]() == answer, label
            print(f"{label}: {cells} cells, {len(answer or '')} bytes")
            print_times(label[:14], time_in_turns(jobs, runs))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
