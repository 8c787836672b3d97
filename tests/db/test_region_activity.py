"""A drill-down's activity figures read the region's tickets once by the GiST index: the same
ticket figures as the query before (tests/db/oracle/region_activity_scan.sql) for every grid and
community of the demo town, H3 cells and buildings, over several windows; the plan never
touches the index of every ticket received in the window."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import h3.api.basic_int as h3i
import psycopg
import pytest
from psycopg.rows import dict_row

from geo.regions import region_keys
from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ

pytestmark = pytest.mark.db

ORACLE = (Path(__file__).parent / "oracle" / "region_activity_scan.sql").read_text(
    encoding="utf-8")
TODAY = datetime.now(TOWN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
WINDOWS = [(TODAY - timedelta(days=30), TODAY), (TODAY - timedelta(days=7), TODAY),
           (TODAY - timedelta(days=400), TODAY + timedelta(days=1)),
           (TODAY - timedelta(days=3, hours=5), TODAY - timedelta(days=1, hours=7)),
           (TODAY + timedelta(days=10), TODAY + timedelta(days=20))]


def _regions(conn: psycopg.Connection) -> list[tuple[str, str]]:
    grids = [("grid", r[0]) for r in conn.execute("SELECT code FROM grids ORDER BY code")]
    communities = [("community", r[0]) for r in
                   conn.execute("SELECT code FROM communities ORDER BY code")]
    buildings = [("building", r[0]) for r in conn.execute(
        "SELECT building_code FROM incidents WHERE building_code IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5")]
    cells = [("h3", h3i.int_to_str(h3i.cell_to_parent(r[0], res))) for res in (7, 8, 9) for r in
             conn.execute("SELECT h3_cell FROM incidents GROUP BY 1 ORDER BY count(*) DESC, 1 "
                          "LIMIT 3")]
    return grids + communities + buildings + cells


def test_activity_equals_the_old_query_for_every_region_and_window(demo_conn):
    cur = demo_conn.cursor(row_factory=dict_row)
    new = read_sql("queries/region_activity.sql")
    regions = _regions(demo_conn)
    assert len(regions) > 50
    tickets_seen = 0
    for kind, code in regions:
        outline = cur.execute(read_sql("queries/region_outline.sql"),
                              region_keys(kind, code)).fetchone()
        assert outline is not None, (kind, code)
        for since, until in WINDOWS:
            args = {"geom": outline["geom"], "since": since, "until": until}
            answer = cur.execute(new, args).fetchone()
            old = cur.execute(ORACLE, args).fetchone()
            assert {k: answer[k] for k in old} == old, (kind, code, since, until)
            tickets_seen += sum(w["n"] for w in answer["ticket_trend"] or [])
    assert tickets_seen > 1000  # the windows hold tickets: the comparison is not of empties


def test_the_plan_reads_the_regions_tickets_by_their_outline_only(demo_conn):
    grid = demo_conn.execute("SELECT grid_code FROM incidents GROUP BY 1 ORDER BY count(*) DESC "
                             "LIMIT 1").fetchone()[0]
    outline = demo_conn.cursor(row_factory=dict_row).execute(
        read_sql("queries/region_outline.sql"), region_keys("grid", grid)).fetchone()
    plan = "\n".join(r[0] for r in demo_conn.execute(
        "EXPLAIN " + read_sql("queries/region_activity.sql"),
        {"geom": outline["geom"], "since": WINDOWS[0][0], "until": WINDOWS[0][1]}))
    assert "incidents_geom_idx" in plan
    assert "incidents_received_idx" not in plan and "incidents_open_due_idx" not in plan, plan
