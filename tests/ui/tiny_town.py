"""A tiny town in a throwaway cluster of its own, for tests that stop the database."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from dashboard.settings import Settings
from geo.cluster import EmbeddedCluster
from geo.h3cells import cells
from geo.rollups import refresh_derived
from tests.clients import seed_users
from tests.ui.serving import free_port

TOWN = "110112104"
TOWN_BOX = "POLYGON((116.50 39.70, 116.62 39.70, 116.62 39.80, 116.50 39.80, 116.50 39.70))"
BUILDING = ("POLYGON((116.5548 39.7478, 116.5552 39.7478, 116.5552 39.7482, 116.5548 39.7482, "
            "116.5548 39.7478))")
RIVER = "LINESTRING(116.50 39.74, 116.56 39.75, 116.62 39.76)"


@contextmanager
def tiny_town_cluster(prefix: str) -> Iterator[tuple[EmbeddedCluster, str]]:
    """A throwaway cluster on its own port (tests may stop it) holding a tiny migrated town:
    one community, grid, building, household, a case an hour old, a river; test users seeded."""
    from geo.bootstrap import ensure_database

    home = Path(tempfile.mkdtemp(prefix=prefix))
    home.chmod(0o755)  # the unprivileged server user must enter it
    settings = Settings(home=home / "c", pg_port=free_port(), database_url=None)
    cluster = EmbeddedCluster(settings)
    try:
        url = ensure_database(settings)
        cell = int(cells([39.748], [116.555])[0])
        with psycopg.connect(url) as conn:
            conn.execute("INSERT INTO towns (code, town_code, name, geom) VALUES "
                         "(%s, %s, '马驹桥镇', ST_Multi(ST_GeomFromText(%s, 4326)))",
                         [TOWN, TOWN, TOWN_BOX])
            conn.execute("INSERT INTO communities (code, town_code, name, kind, geom) VALUES "
                         "('C1', %s, '一社区', 'community', ST_Multi(ST_GeomFromText(%s, 4326)))",
                         [TOWN, TOWN_BOX])
            conn.execute("INSERT INTO grids (code, town_code, name, community_code, geom) "
                         "VALUES ('G1', %s, '一网格', 'C1', ST_GeomFromText(%s, 4326))",
                         [TOWN, TOWN_BOX])
            conn.execute("INSERT INTO buildings (code, town_code, address, grid_code, use, "
                         "floors, rooms, h3_cell, geom) VALUES ('B1', %s, '一号楼', 'G1', "
                         "'residential', 6, 24, %s, ST_GeomFromText(%s, 4326))",
                         [TOWN, cell, BUILDING])
            conn.execute("INSERT INTO households (code, town_code, building_code, room, members,"
                         " registered, floating) VALUES ('H1', %s, 'B1', '101', 3, 2, 1)",
                         [TOWN])
            conn.execute("INSERT INTO cases (code, town_code, category, reported_at, "
                         "building_code, grid_code, h3_cell, geom) SELECT 'K1', %s, "
                         "'confirmed', now() - interval '1 hour', 'B1', 'G1', h3_cell, "
                         "ST_SetSRID(ST_MakePoint(116.555, 39.748), 4326) FROM buildings "
                         "WHERE code = 'B1'", [TOWN])
            conn.execute("INSERT INTO context_features (code, town_code, kind, name, rank, geom)"
                         " VALUES ('R1', %s, 'river', '凉水河', 1, ST_GeomFromText(%s, 4326))",
                         [TOWN, RIVER])
            refresh_derived(conn)
            seed_users(conn)
        yield cluster, url
    finally:
        cluster.destroy()
        shutil.rmtree(home, ignore_errors=True)
