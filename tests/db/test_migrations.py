"""Migrations: each public table of DOMAIN.md has its contract columns; re-runs are no-ops."""

import psycopg

from geo.migrations import migrate, pending

CONTRACT = {
    "towns": {"code", "town_code", "updated_at", "geom", "name"},
    "communities": {"code", "town_code", "updated_at", "geom", "name", "kind", "committee_phone"},
    "grids": {"code", "town_code", "updated_at", "geom", "name", "community_code", "worker_code"},
    "compounds": {"code", "town_code", "updated_at", "geom", "name", "community_code",
                  "management", "caretaker_branch", "households"},
    "buildings": {"code", "town_code", "updated_at", "geom", "address", "grid_code",
                  "compound_code", "use", "floors", "rooms", "h3_cell"},
    "households": {"code", "town_code", "updated_at", "building_code", "room", "members",
                   "registered", "floating", "renters", "elderly", "children", "vulnerable"},
    "persons": {"code", "town_code", "updated_at", "household_code", "name", "id_number",
                "phone", "registered"},
    "units": {"code", "town_code", "updated_at", "geom", "name", "kind", "employees",
              "building_code", "h3_cell"},
    "incidents": {"code", "town_code", "updated_at", "geom", "source", "category", "status",
                  "received_at", "responded_at", "solved_at", "satisfied", "h3_cell"},
    "cases": {"code", "town_code", "updated_at", "geom", "category", "reported_at",
              "released_at", "building_code", "h3_cell"},
    "resources": {"code", "town_code", "updated_at", "geom", "kind", "name", "capacity",
                  "stock", "reach_m", "h3_cell"},
    "staff": {"code", "town_code", "updated_at", "geom", "name", "role", "phone", "grid_code",
              "skills", "h3_cell"},
    "context_features": {"code", "town_code", "updated_at", "geom", "kind"},
}


def test_every_public_table_has_its_contract_columns(empty_db_url: str):
    with psycopg.connect(empty_db_url) as conn:
        for table, expected in CONTRACT.items():
            cols = {r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [table])}
            assert expected <= cols, f"{table} lacks {expected - cols}"


def test_geometries_are_srid_4326_with_gist_indexes(empty_db_url: str):
    with psycopg.connect(empty_db_url) as conn:
        srids = conn.execute(
            "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'public'"
        ).fetchall()
        assert srids and all(srid == 4326 for _, srid in srids)
        for table, _ in srids:
            gist = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s",
                [table, "%USING gist%"]).fetchone()[0]
            assert gist >= 1, f"{table} has no GiST index"


def test_migrate_again_applies_nothing(empty_db_url: str):
    with psycopg.connect(empty_db_url) as conn:
        assert pending(conn) == []
        assert migrate(conn) == []
