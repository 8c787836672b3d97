"""Loading the demo is idempotent and all-or-nothing."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from psycopg import sql

from geo.demo import TABLES, DemoError, DemoLoadError, load_demo
from geo.demo import copy_load as copy_load_module

pytestmark = pytest.mark.db
SEED = 20220501


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t)))
                .fetchone()[0] for t in TABLES}


def _fingerprint(url: str) -> tuple:
    with psycopg.connect(url) as conn:
        return conn.execute("""
            SELECT (SELECT md5(string_agg(code || address || ST_AsEWKB(geom)::text, ','
                                          ORDER BY code)) FROM buildings),
                   (SELECT md5(string_agg(code || name || coalesce(id_number, ''), ','
                                          ORDER BY code)) FROM persons)""").fetchone()


def _indexes(url: str) -> set[tuple[str, str, str, bool]]:
    """(table, index, definition, valid) of every index on the demo's tables."""
    with psycopg.connect(url) as conn:
        return set(conn.execute(
            "SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s)", [TABLES]))


def test_loading_twice_changes_nothing(demo_db_url):
    # The demo's data ends at today's midnight in Beijing: pin the day, so that a run crossing
    # 00:00 Asia/Shanghai (16:00 UTC) does not compare two different days' towns.
    day = dt.date(2026, 11, 30)
    load_demo(demo_db_url, scale="town", seed=SEED, anchor=day)
    before, print_before = _counts(demo_db_url), _fingerprint(demo_db_url)
    returned = load_demo(demo_db_url, scale="town", seed=SEED, anchor=day)
    assert returned == before
    assert _counts(demo_db_url) == before
    assert _fingerprint(demo_db_url) == print_before


def test_a_failed_load_writes_nothing(demo_db_url, monkeypatch):
    before, indexes = _counts(demo_db_url), _indexes(demo_db_url)
    real = copy_load_module.to_csv

    def broken(df, table):
        if table == "units":
            raise DemoLoadError("simulated failure while writing units")
        return real(df, table)

    monkeypatch.setattr(copy_load_module, "to_csv", broken)
    with pytest.raises(DemoLoadError, match="units"):
        load_demo(demo_db_url, scale="town", seed=SEED + 1)
    assert _counts(demo_db_url) == before
    assert _indexes(demo_db_url) == indexes  # dropped for the COPYs, back with the rollback


def test_a_load_into_emptied_tables_builds_secondary_indexes_after_the_copy(demo_db_url,
                                                                         monkeypatch):
    """The reload empties the tables (only the demo town is stored): while COPY writes, a table
    keeps only the indexes that enforce a rule; afterwards every index is back as it was."""
    before = _indexes(demo_db_url)
    assert any(t == "households" and n == "households_building_idx" for t, n, _, _ in before)
    seen: dict[str, set[str]] = {}
    real = copy_load_module.copy_table

    def watching(conn, table, data):
        seen.setdefault(table, {r[0] for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])})
        return real(conn, table, data)

    monkeypatch.setattr(copy_load_module, "copy_table", watching)
    load_demo(demo_db_url, scale="town", seed=SEED)
    assert seen["households"] == {"households_pkey"}
    assert "buildings_geom_idx" not in seen["buildings"] and "buildings_pkey" in seen["buildings"]
    assert "incidents_external_idx" in seen["incidents"]  # unique: a rule, kept while writing
    assert _indexes(demo_db_url) == before


def test_unknown_scale_is_a_user_error(demo_db_url):
    with pytest.raises(DemoError, match="unknown scale"):
        load_demo(demo_db_url, scale="county", seed=SEED)


def test_unmigrated_database_is_named_in_the_error(admin_url, settings):
    from geo.database import create_database, drop_database, server_url

    name = "gridcmd_test_unmigrated_demo"
    drop_database(admin_url, name)
    create_database(admin_url, name)
    try:
        with pytest.raises(DemoLoadError, match="gridcmd db migrate"):
            load_demo(server_url(settings, name), seed=SEED)
    finally:
        drop_database(admin_url, name)
