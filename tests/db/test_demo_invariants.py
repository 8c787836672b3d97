"""The demo town is geometrically and logically consistent, and deterministic in its seed."""

from __future__ import annotations

import datetime as dt
import hashlib

import h3.api.basic_int as h3i
import numpy as np
import pandas as pd
import pytest
from psycopg import sql

from geo.demo.buildings import place_buildings
from geo.demo.compounds import place_compounds
from geo.demo.context import context_lines, keep_out
from geo.demo.frame import Clock, TownSpec
from geo.demo.population import make_households
from geo.demo.shape import build_shape
from geo.h3cells import STORE_RES

pytestmark = pytest.mark.db

GEOMETRY_TABLES = ["towns", "communities", "grids", "compounds", "buildings", "units",
                   "incidents", "cases", "resources", "staff", "context_features"]
POINT_TABLES = ["units", "incidents", "cases", "resources", "staff"]
# Overlaps between neighbours are floating-point slivers; they are measured in the storage CRS
# (edges are straight in lng/lat) and scaled to m² at 39.75° N. Reprojected or geodesic areas
# bow the long straight edges and turn 1e-8 m² slivers into metres.
M2_PER_DEG2 = 111_030.0 * 85_693.0


def _one(conn, query: sql.Composable | str, params=None):
    return conn.execute(query, params).fetchone()[0]


def _rows_where(conn, table: str, condition: str) -> int:
    """How many rows of `table` meet `condition` (SQL text written in this file)."""
    return _one(conn, sql.SQL("SELECT count(*) FROM {} WHERE {}").format(
        sql.Identifier(table), sql.SQL(condition)))


@pytest.mark.parametrize("table", GEOMETRY_TABLES)
def test_every_geometry_is_valid(demo_conn, table):
    assert _rows_where(demo_conn, table, "NOT ST_IsValid(geom)") == 0


def test_grids_tile_their_community(demo_conn):
    worst_ratio, worst_gap = demo_conn.execute("""
        SELECT max(abs(grid_area - area) / area), max(gap)
        FROM (SELECT ST_Area(c.geom::geography) AS area,
                     sum(ST_Area(g.geom::geography)) AS grid_area,
                     ST_Area(ST_Difference(c.geom, ST_Union(g.geom))::geography) AS gap
              FROM communities c JOIN grids g ON g.community_code = c.code
              GROUP BY c.code, c.geom) AS per_community""").fetchone()
    assert worst_ratio < 1e-4
    assert worst_gap < 1.0
    overlap = _one(demo_conn, """
        SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom))), 0) * %s
        FROM grids a JOIN grids b ON a.code < b.code AND ST_Intersects(a.geom, b.geom)""",
                   [M2_PER_DEG2])
    assert overlap < 0.01


def test_communities_tile_the_town(demo_conn):
    ratio, gap = demo_conn.execute("""
        SELECT abs(sum(ST_Area(c.geom::geography)) - ST_Area(t.geom::geography))
                   / ST_Area(t.geom::geography),
               ST_Area(ST_Difference(t.geom, ST_Union(c.geom))::geography)
        FROM towns t JOIN communities c ON c.town_code = t.code
        GROUP BY t.code, t.geom""").fetchone()
    assert ratio < 1e-4
    assert gap < 1.0
    overlap = demo_conn.execute("""
        SELECT coalesce(sum(a), 0), coalesce(max(a), 0) FROM (
            SELECT ST_Area(ST_Intersection(a.geom, b.geom)) * %(m2)s AS a
            FROM communities a JOIN communities b
              ON a.code < b.code AND ST_Intersects(a.geom, b.geom)) AS pairs""",
        {"m2": M2_PER_DEG2}).fetchone()
    assert overlap[0] < 0.01
    assert overlap[1] < 0.001


@pytest.mark.parametrize(("child", "parent", "key"), [
    ("buildings", "grids", "grid_code"),
    ("compounds", "grids", "grid_code"),
    ("buildings", "compounds", "compound_code"),
    ("units", "buildings", "building_code"),
    *[(t, "grids", "grid_code") for t in POINT_TABLES],
])
def test_children_lie_within_their_parent(demo_conn, child, parent, key):
    query = sql.SQL("""
        SELECT count(*) FILTER (WHERE NOT ST_Within(c.geom, p.geom)), count(*)
        FROM {child} c JOIN {parent} p ON p.code = c.{key}""").format(
        child=sql.Identifier(child), parent=sql.Identifier(parent), key=sql.Identifier(key))
    outside, total = demo_conn.execute(query).fetchone()
    assert total > 0
    assert outside == 0


@pytest.mark.parametrize("table", POINT_TABLES)
def test_point_rows_have_a_grid(demo_conn, table):
    assert _rows_where(demo_conn, table, "grid_code IS NULL") == 0


def test_cases_sit_at_their_building_centroid(demo_conn):
    off = _one(demo_conn, """
        SELECT count(*) FROM cases c JOIN buildings b ON b.code = c.building_code
        WHERE NOT ST_DWithin(c.geom, ST_Centroid(b.geom), 1e-9)""")
    assert off == 0


@pytest.mark.parametrize("table", [*POINT_TABLES, "buildings"])
def test_h3_cell_is_the_cell_of_the_point(demo_conn, table):
    point = "ST_Centroid(geom)" if table == "buildings" else "geom"
    query = sql.SQL("SELECT h3_cell, ST_Y({p}), ST_X({p}) FROM {t} ORDER BY code LIMIT 200"
                    ).format(p=sql.SQL(point), t=sql.Identifier(table))
    rows = demo_conn.execute(query).fetchall()
    assert rows
    for cell, lat, lng in rows:
        assert cell == h3i.latlng_to_cell(lat, lng, STORE_RES)


def test_compound_households_count_their_buildings_households(demo_conn):
    wrong = _one(demo_conn, """
        SELECT count(*) FROM compounds c
        LEFT JOIN (SELECT b.compound_code, count(*) AS n
                   FROM households h JOIN buildings b ON b.code = h.building_code
                   GROUP BY b.compound_code) AS x ON x.compound_code = c.code
        WHERE c.households <> coalesce(x.n, 0)""")
    assert wrong == 0


def test_incident_status_agrees_with_timestamps(demo_conn):
    # The 接诉即办 chain (issue #14) replaced received/responded/solved: before the response
    # (accepted) no responded_at, after it no solved_at until closed.
    wrong = _one(demo_conn, """
        SELECT count(*) FROM incidents WHERE NOT coalesce(CASE
            WHEN status IN ('received', 'dispatched') THEN responded_at IS NULL
                 AND solved_at IS NULL AND satisfied IS NULL
            WHEN status IN ('accepted', 'in_progress', 'submitted') THEN responded_at IS NOT NULL
                 AND solved_at IS NULL AND satisfied IS NULL
            WHEN status = 'closed' THEN responded_at IS NOT NULL AND solved_at >= responded_at
                 AND satisfied IS NOT NULL
        END, false) OR received_at > now() OR responded_at > now() OR solved_at > now()""")
    assert wrong == 0
    open_ones = _one(demo_conn, "SELECT count(*) FROM incidents WHERE status <> 'closed'")
    assert open_ones > 0


def test_every_demo_ticket_has_a_history_that_ends_in_its_state(demo_conn):
    wrong = _one(demo_conn, """
        SELECT count(*) FROM incidents i
        LEFT JOIN LATERAL (SELECT to_status, version, count(*) OVER () AS n FROM ticket_events
                           WHERE ticket_code = i.code ORDER BY id DESC LIMIT 1) e ON true
        WHERE e.to_status IS DISTINCT FROM i.status OR e.version <> i.version
           OR e.n <> i.version""")
    assert wrong == 0
    states = {r[0] for r in demo_conn.execute("SELECT DISTINCT status FROM incidents")}
    assert {"received", "dispatched", "accepted", "in_progress", "submitted",
            "closed"} <= states
    # the figures' columns are the history's: first response = the accept step, solved = the
    # closing step
    projected = _one(demo_conn, """
        SELECT count(*) FROM incidents i WHERE
            i.responded_at IS DISTINCT FROM (SELECT min(at) FROM ticket_events
                                             WHERE ticket_code = i.code AND action = 'accept')
         OR i.solved_at IS DISTINCT FROM (SELECT max(at) FROM ticket_events
                                          WHERE ticket_code = i.code AND to_status = 'closed')""")
    assert projected == 0
    unordered = _one(demo_conn, """
        SELECT count(*) FROM ticket_events a JOIN ticket_events b
          ON a.ticket_code = b.ticket_code AND a.version < b.version AND a.at > b.at""")
    assert unordered == 0


def test_household_counts_add_up(demo_conn):
    wrong = _one(demo_conn, """
        SELECT count(*) FROM households
        WHERE members < 1 OR elderly + children > members OR vulnerable > members""")
    assert wrong == 0


def _digest(frames: dict[str, pd.DataFrame]) -> str:
    h = hashlib.sha256()
    for name in sorted(frames):
        frame = frames[name].drop(columns=["geom"], errors="ignore")
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        if "geom" in frames[name]:
            h.update("".join(frames[name]["geom"].map(lambda g: g.wkb_hex)).encode())
    return h.hexdigest()


def _early_stages(seed: int) -> str:
    spec = TownSpec(code="110112104", name="马驹桥镇", name_en="Majuqiao", seed=seed)
    rng = np.random.default_rng(spec.seed)
    shape = build_shape(spec, rng)
    features = context_lines(spec, rng, shape.boundary)
    buildings = place_buildings(rng, shape, keep_out(features))
    compounds, _ = place_compounds(rng, shape, buildings)
    households = make_households(rng, spec, buildings, np.zeros(len(shape.grid_geom)),
                                 Clock(dt.date(2022, 5, 1)).end)
    grids = pd.DataFrame({"geom": shape.grid_geom, "region": shape.grid_region})
    return _digest({"grids": grids, "buildings": buildings, "compounds": compounds,
                    "households": households})


def test_same_seed_generates_identical_rows():
    assert _early_stages(20220501) == _early_stages(20220501)
    assert _early_stages(20220501) != _early_stages(7)
