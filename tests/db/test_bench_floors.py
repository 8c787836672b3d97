"""`gridcmd bench`'s floors: every endpoint has one, it is plain SQL of its own (not the query
the endpoint runs, no GeoJSON or JSON built), and on the demo town it runs and finds rows."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from dashboard.bench import run, signed_in_client
from dashboard.bench_targets import ENDPOINTS, targets
from dashboard.settings import Settings
from geo.database import connect

pytestmark = pytest.mark.db

QUERIES = Path(__file__).resolve().parents[2] / "geo" / "sql" / "queries"
# What makes an answer more than its figures: building GeoJSON / JSON, or geometry as text.
DRESSING = re.compile(r"ST_AsGeoJSON|ST_AsText|ST_AsMVT|json_build_object|json_agg|"
                      r"json_object_agg|to_json|row_to_json|jsonb_build", re.IGNORECASE)


def _words(sql: str) -> str:
    """SQL without comments, whitespace collapsed and lower-cased: two texts of one query
    compare equal however they are laid out."""
    return " ".join(re.sub(r"--[^\n]*", "", sql).lower().split())


def _statements(sql: str) -> list[str]:
    return [part for part in (_words(s) for s in sql.split(";")) if part]


def test_every_endpoint_has_a_floor_of_its_own_plain_sql():
    names = [e.name for e in ENDPOINTS]
    assert len(names) == len(set(names)), "two endpoints share a name"
    query_texts = {path.name: _words(path.read_text(encoding="utf-8"))
                   for path in QUERIES.glob("*.sql")}
    for endpoint in ENDPOINTS:
        assert isinstance(endpoint.floor, str) and endpoint.floor.strip(), endpoint.name
        floor = _words(endpoint.floor)
        assert floor.startswith(("select", "with")), endpoint.name
        assert ";" not in floor, f"{endpoint.name}: one statement"
        assert not DRESSING.search(endpoint.floor), \
            f"{endpoint.name}: a floor builds no JSON and writes no geometry as text"
        for name, text in query_texts.items():
            for statement in _statements(text):
                assert floor != statement and (len(statement) < 80 or statement not in floor), \
                    f"{endpoint.name}: the floor is {name}, the endpoint's own query"
                assert len(floor) < 80 or floor not in statement, \
                    f"{endpoint.name}: the floor is a part of {name}"
        assert endpoint.path.startswith("/"), endpoint.name


def test_each_floor_runs_and_finds_rows_on_the_demo_town(demo_conn: psycopg.Connection):
    found = targets(demo_conn)
    assert [t.name for t in found] == [e.name for e in ENDPOINTS], \
        "the demo town has cases: every endpoint is timed"
    for target in found:
        rows = target.run_floor(demo_conn)
        assert rows, f"{target.name}: the floor found no rows"
        assert any(value not in (None, 0) for row in rows for value in row), \
            f"{target.name}: the floor's rows are empty figures: {rows[:3]}"
        assert "{" not in target.path and "}" not in target.path, target.path


def test_a_floor_is_not_the_endpoint_and_the_bench_times_both(settings: Settings,
                                                               demo_db_url: str):
    """One interleaved round of every target through the signed-in app: every path answers
    200 and every floor returns rows (run() raises on any other answer)."""
    from dashboard.app import close_app, create_app

    app = create_app(settings, database_url=demo_db_url)
    try:
        with connect(demo_db_url, settings) as conn:
            figures = run(signed_in_client(app.server, conn), conn, runs=1)
    finally:
        close_app(app)
    assert [f.name for f in figures] == [e.name for e in ENDPOINTS]
    for f in figures:
        assert f.bytes > 0 and f.floor_rows > 0, f
        assert f.p50_ms > 0 and f.sql_p50_ms > 0, f


def test_bad_place_parameters_never_reach_the_floors_as_text(demo_conn: psycopg.Connection):
    """Parameters travel as bind values: a hostile grid code is data, not SQL."""
    target = next(t for t in targets(demo_conn) if t.name == "drill-down grid")
    hostile = {**target.params, "grid": "x'); DROP TABLE buildings; --"}
    rows = type(target)(target.name, target.path, target.floor, hostile).run_floor(demo_conn)
    assert rows[0][0] == 0  # no households in a grid of that name
    assert demo_conn.execute("SELECT count(*) > 0 FROM buildings").fetchone()[0]
