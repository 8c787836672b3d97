"""The zone proposal places buildings from building_people (migration 066) by its point index:
no building point recomputed, no household read per building."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from psycopg import ClientCursor

from geo.sqlfiles import read_sql

pytestmark = pytest.mark.db


@pytest.mark.parametrize("mode", ["grid", "buffer"])
def test_zone_proposal_places_buildings_by_the_rollup_point_index(shared_demo_url, mode):
    with psycopg.connect(shared_demo_url, autocommit=True) as conn:
        first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                                   ).fetchone()
        params = {"since": first, "until": last + timedelta(days=1), "mode": mode,
                  "buffer_m": 300, "ring_m": 500, "add_buildings": [], "remove_buildings": [],
                  "add_compounds": [], "remove_compounds": []}
        plan = "\n".join(r[0] for r in ClientCursor(conn).execute(
            "EXPLAIN (ANALYZE, COSTS OFF) " + read_sql("queries/zone_proposal.sql"), params))
        assert "Index Scan using building_people_point_idx on building_people" in plan
        assert "on households" not in plan  # the figures come with the point
        assert "buildings_point_idx" not in plan  # no point on surface recomputed
        assert "Seq Scan on buildings" not in plan
