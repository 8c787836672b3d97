"""Loading the demo is idempotent and all-or-nothing."""

from __future__ import annotations

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


def test_loading_twice_changes_nothing(demo_db_url):
    before, print_before = _counts(demo_db_url), _fingerprint(demo_db_url)
    returned = load_demo(demo_db_url, scale="town", seed=SEED)
    assert returned == before
    assert _counts(demo_db_url) == before
    assert _fingerprint(demo_db_url) == print_before


def test_a_failed_load_writes_nothing(demo_db_url, monkeypatch):
    before = _counts(demo_db_url)
    real = copy_load_module.to_csv

    def broken(df, table):
        if table == "units":
            raise DemoLoadError("simulated failure while writing units")
        return real(df, table)

    monkeypatch.setattr(copy_load_module, "to_csv", broken)
    with pytest.raises(DemoLoadError, match="units"):
        load_demo(demo_db_url, scale="town", seed=SEED + 1)
    assert _counts(demo_db_url) == before


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
