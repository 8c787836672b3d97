"""H3 tickets (and cases) over a small box at a fine resolution ("many cells": more than 256
cells) read the box's rows by the GiST index on geom (migration 080's h3_reach_box), not every
row of the window; the answer stays the old query's to the byte."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import ClientCursor, sql

from geo.geojson import collection_sql, h3_collection, wrapped_features
from geo.sqlfiles import read_sql

pytestmark = pytest.mark.db

ORACLE = Path(__file__).parent / "oracle"
# The queries before the box prefilter: the oracles the answers must equal.
BEFORE = {query: (ORACLE / f"{query}_before.sql").read_text(encoding="utf-8")
          for query in ("h3_tickets", "h3_cases")}
# each query's table, the GiST index the box uses, the time column of its window
TABLES = {"h3_tickets": ("incidents", "incidents_geom_idx", "received_at"),
          "h3_cases": ("cases", "cases_geom_idx", "reported_at")}
MANY_CELLS = 256  # the query's switch to one pass over the window's rows


def _collection(conn: psycopg.Connection, query: sql.Composable, params: dict) -> str:
    return conn.execute(query, {**params, "max_rows": None}).fetchone()[0]


def _old_sql(query: str) -> sql.SQL:
    return wrapped_features(BEFORE[query])


def _centre(conn: psycopg.Connection, table: str = "incidents") -> tuple[float, float]:
    """The middle of the busiest res-9 cell of `table` (a box there holds its rows)."""
    return conn.execute(sql.SQL(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c, count(*) "
        "FROM {} GROUP BY h3_parent(h3_cell, 9) ORDER BY 2 DESC LIMIT 1) t").format(
            sql.Identifier(table))).fetchone()


def _box(centre: tuple[float, float], width: float, height: float) -> dict:
    lng, lat = centre
    return {"west": lng - width / 2, "south": lat - height / 2,
            "east": lng + width / 2, "north": lat + height / 2}


def _windows(conn: psycopg.Connection, query: str = "h3_tickets"
             ) -> list[tuple[datetime, datetime]]:
    table, _, column = TABLES[query]
    first, last = conn.execute(sql.SQL("SELECT min({c}), max({c}) FROM {t}").format(
        c=sql.Identifier(column), t=sql.Identifier(table))).fetchone()
    return [(last - timedelta(days=30), last), (last - timedelta(days=365), last),
            (first, last + timedelta(days=1))]


def _cells(conn: psycopg.Connection, res: int, box: dict) -> int:
    return conn.execute("SELECT count(*) FROM h3_cells_in_viewport(%(res)s, %(west)s, "
                        "%(south)s, %(east)s, %(north)s)", {"res": res, **box}).fetchone()[0]


def test_a_small_box_at_a_fine_res_reads_its_rows_by_the_geometry_index(shared_demo_url):
    # tickets only: the demo's cases are one outbreak, nearly all inside any box holding some
    # of them, where the planner rightly keeps the reported_at index
    query = "h3_tickets"
    table, index, _ = TABLES[query]
    with psycopg.connect(shared_demo_url, autocommit=True) as conn:
        box = _box(_centre(conn, table), 0.05, 0.035)  # ~4.3 × 3.9 km: a screen at zoom 15
        assert _cells(conn, 10, box) > MANY_CELLS  # the "many cells" branch answers
        since, until = _windows(conn, query)[2]
        params = {"res": 10, **box, "since": since, "until": until, "min_count": 5}
        plan = "\n".join(r[0] for r in ClientCursor(conn).execute(
            "EXPLAIN (COSTS OFF) " + read_sql(f"queries/{query}.sql"), params))
        old_plan = "\n".join(r[0] for r in ClientCursor(conn).execute(
            "EXPLAIN (COSTS OFF) " + BEFORE[query], params))
    assert index in plan, plan
    assert "Index Cond: (geom && " in plan, plan
    assert index not in old_plan  # the old query read the window's rows


@pytest.mark.parametrize("query", ["h3_tickets", "h3_cases"])
def test_answers_equal_the_old_query_to_the_byte(shared_demo_url, query):
    table = TABLES[query][0]
    with psycopg.connect(shared_demo_url, autocommit=True) as conn:
        centre = _centre(conn, table)
        extent = conn.execute(sql.SQL(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom) AS e FROM {}) t").format(sql.Identifier(table))).fetchone()
        boxes = [_box(centre, 0.006, 0.004), _box(centre, 0.03, 0.02), _box(centre, 0.05, 0.035),
                 _box(centre, 0.08, 0.05),
                 dict(zip(("west", "south", "east", "north"), extent, strict=True))]
        new_sql, old_sql = collection_sql(query), _old_sql(query)
        compared, many_cells, features = 0, 0, 0
        for box in boxes:
            for res in (7, 8, 9, 10):
                for since, until in _windows(conn, query):
                    params = {"res": res, **box, "since": since, "until": until,
                              "min_count": 5, "value_kind": ""}
                    new = _collection(conn, new_sql, params)
                    assert new == _collection(conn, old_sql, params), (res, box, since)
                    compared += 1
                    many_cells += _cells(conn, res, box) > MANY_CELLS
                    features += (new or "").count('"Feature"')
    assert compared == 60 and many_cells >= 8 and features > 300


def test_h3_answers_are_planned_for_their_own_box_every_time(shared_demo_url):
    """psycopg prepares a query run five times on a connection, and PostgreSQL may then keep
    a generic plan for every box (575 ms instead of 5 ms for a small box at district scale):
    the H3 collections are never prepared."""
    with psycopg.connect(shared_demo_url, autocommit=True) as conn:
        box = _box(_centre(conn), 0.03, 0.02)
        window = _windows(conn)[1]
        bbox = (box["west"], box["south"], box["east"], box["north"])
        answers = {h3_collection(conn, "h3_tickets", 9, bbox, window, windowed=True,
                                 min_count=5) for _ in range(12)}
        assert len(answers) == 1 and '"Feature"' in answers.pop()
        assert conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0] == 0
        for _ in range(6):  # what the test would see if the collection were prepared
            conn.execute("SELECT count(*) FROM incidents WHERE received_at >= %s", [window[0]])
        assert conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0] == 1
