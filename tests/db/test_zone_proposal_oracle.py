"""The zone proposal (issue 16: bounded by the outbreak, not the district) answers exactly what
the query before that work answered (tests/db/oracle/zone_proposal_before.sql): the same zone
shapes, residents, households and every other figure, row for row, on the demo town and on an
outbreak that spans two towns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.rows import dict_row

from geo.database import configure, create_database, drop_database, server_url
from geo.sqlfiles import read_sql
from geo.zones import RING_M, ZoneRequest, check_codes, propose_zones

pytestmark = pytest.mark.db

ORACLE = (Path(__file__).parent / "oracle" / "zone_proposal_before.sql").read_text()
# The copied town's codes start with this; it lies east of the demo town, sharing its edge.
TWIN = "TWIN-"
# Tables the proposal reads, parents before children (foreign keys).
COPIED = ("towns", "communities", "grids", "compounds", "buildings", "households", "cases",
          "units", "resources", "context_features")


def _copy_sql(conn: psycopg.Connection, table: str, dx: float) -> str:
    """INSERT … SELECT of every row of `table` with its codes prefixed by TWIN and its
    geometry moved dx degrees east."""
    columns = conn.execute(
        "SELECT column_name, udt_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        [table]).fetchall()
    names, values = [], []
    for name, kind in columns:
        names.append(name)
        if kind == "geometry":
            values.append(f"ST_Translate({name}, {dx!r}, 0)")
        elif name == "code" or name.endswith("_code"):
            values.append(f"'{TWIN}' || {name}")
        else:
            values.append(name)
    return (f"INSERT INTO {table} ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM {table} WHERE code NOT LIKE '{TWIN}%%'")


@pytest.fixture(scope="module")
def two_towns_url(admin_url: str, demo_template: str, settings) -> Iterator[str]:
    """The demo town and a copy of it moved east so that the two towns touch: its cases
    make one outbreak over two towns (a real two-town load is too slow for `make test`)."""
    name = f"{demo_template}_twin"
    drop_database(admin_url, name)
    create_database(admin_url, name, template=demo_template)
    url = server_url(settings, name)
    with psycopg.connect(url) as conn:
        dx = conn.execute("SELECT ST_XMax(ST_Extent(geom)) - ST_XMin(ST_Extent(geom)) "
                          "FROM towns").fetchone()[0]
        for table in COPIED:
            conn.execute(_copy_sql(conn, table, dx))
        conn.execute("ANALYZE")
    yield url
    drop_database(admin_url, name)


def _oracle(conn: psycopg.Connection, request: ZoneRequest) -> list[dict]:
    """The proposal's rows as the old query gives them, shaped like propose_zones'."""
    check_codes(conn, request)
    rows = conn.cursor(row_factory=dict_row).execute(ORACLE, {
        "since": request.since, "until": request.until, "mode": request.mode,
        "buffer_m": request.buffer_m, "ring_m": RING_M, **request.adjustments(),
    }).fetchall()
    return rows


def _new(conn: psycopg.Connection, request: ZoneRequest) -> list[dict]:
    """The rows of the proposal's query now (before propose_zones parses the GeoJSON)."""
    rows = conn.cursor(row_factory=dict_row).execute(read_sql("queries/zone_proposal.sql"), {
        "since": request.since, "until": request.until, "mode": request.mode,
        "buffer_m": request.buffer_m, "ring_m": RING_M, **request.adjustments(),
    }).fetchall()
    return rows


def _requests(conn: psycopg.Connection) -> list[ZoneRequest]:
    """Whole outbreak and last fortnight, both modes, with and without adjustments."""
    first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                               ).fetchone()
    whole = dict(since=first, until=last + timedelta(seconds=1))
    fortnight = dict(since=last - timedelta(days=14), until=last + timedelta(seconds=1))
    compound, building = conn.execute(
        "SELECT b.compound_code, (SELECT code FROM buildings ORDER BY code DESC LIMIT 1) "
        "FROM cases c JOIN buildings b ON b.code = c.building_code "
        "WHERE b.compound_code IS NOT NULL ORDER BY c.reported_at DESC LIMIT 1").fetchone()
    return [
        ZoneRequest(**whole, mode="grid"),
        ZoneRequest(**whole, mode="buffer", buffer_m=300),
        ZoneRequest(**fortnight, mode="grid"),
        ZoneRequest(**fortnight, mode="buffer", buffer_m=800),
        ZoneRequest(**fortnight, mode="grid", add_buildings=(building,),
                    remove_compounds=(compound,), add_compounds=(compound,)),
        ZoneRequest(**fortnight, mode="buffer", remove_compounds=(compound,)),
    ]


def _assert_same(conn: psycopg.Connection) -> int:
    checked = 0
    for request in _requests(conn):
        old = _oracle(conn, request)
        assert old, request  # every request here proposes zones
        assert _new(conn, request) == old, request
        checked += 1
    return checked


def test_the_proposal_equals_the_old_query_on_the_demo_town(demo_conn):
    assert _assert_same(demo_conn) == 6


def test_the_proposal_equals_the_old_query_over_two_towns(two_towns_url, settings):
    with psycopg.connect(two_towns_url) as conn:
        configure(conn, settings)
        towns = conn.execute(
            "SELECT count(DISTINCT town_code) FROM cases WHERE category = 'confirmed'"
        ).fetchone()[0]
        assert towns == 2
        assert _assert_same(conn) == 6
        # the zones of the whole outbreak reach into both towns
        request = _requests(conn)[0]
        zones = propose_zones(conn, request)
        prevention = next(z for z in zones if z["level"] == "prevention")
        import json
        hit = conn.execute(
            "SELECT count(*) FROM towns WHERE ST_Intersects(geom, ST_GeomFromGeoJSON(%s))",
            [json.dumps(prevention["geometry"])]).fetchone()[0]
        assert hit == 2


def test_no_active_case_proposes_no_zone_in_either_query(demo_conn):
    first = demo_conn.execute("SELECT min(reported_at) FROM cases").fetchone()[0]
    request = ZoneRequest(since=first - timedelta(days=30), until=first - timedelta(days=20))
    assert _oracle(demo_conn, request) == _new(demo_conn, request) == []
