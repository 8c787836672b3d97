"""The zone proposal counts people per building from a covering index (migration 061)."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from psycopg import ClientCursor

from geo.sqlfiles import read_sql

pytestmark = pytest.mark.db


def test_zone_proposal_counts_people_from_the_index_alone(shared_demo_url):
    """Migration 061: the proposal's per-building household sums read the covering index."""
    with psycopg.connect(shared_demo_url, autocommit=True) as conn:
        conn.execute("VACUUM households")  # the visibility map an index-only scan relies on
        first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                                   ).fetchone()
        params = {"since": first, "until": last + timedelta(days=1), "mode": "grid",
                  "buffer_m": 300, "ring_m": 500, "add_buildings": [], "remove_buildings": [],
                  "add_compounds": [], "remove_compounds": []}
        plan = "\n".join(r[0] for r in ClientCursor(conn).execute(
            "EXPLAIN (ANALYZE, COSTS OFF) " + read_sql("queries/zone_proposal.sql"), params))
        assert "Index Only Scan using households_building_people_idx" in plan
        assert "Seq Scan on households" not in plan
