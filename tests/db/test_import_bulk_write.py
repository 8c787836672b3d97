"""Large imports rebuild secondary indexes after the write: same rows, same indexes, atomic."""

from __future__ import annotations

import psycopg
import pytest

from geo.importing import bulk_write
from geo.importing import upsert as upsert_module
from geo.importing.pipeline import run_import
from tests.db.import_town import TOWN, incident_rows, seed_town, snapshot

pytestmark = pytest.mark.db


def _indexes(url: str, table: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                            "ORDER BY 1", [table]).fetchall()


@pytest.fixture
def town_url(empty_db_url: str, monkeypatch) -> str:
    """The tiny town, with every import counting as large (parents locked, indexes rebuilt)."""
    seed_town(empty_db_url)
    monkeypatch.setattr(upsert_module, "LOCK_FROM_ROWS", 1)
    monkeypatch.setattr(bulk_write, "REBUILD_FROM_ROWS", 1)
    return empty_db_url


def test_first_load_writes_the_rows_and_keeps_every_index(town_url, tmp_path):
    indexes = _indexes(town_url, "incidents")
    assert len(indexes) > 2  # the primary key and several secondary ones
    path = tmp_path / "incidents.csv"
    incident_rows(3).to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert (result.counts.inserted, result.counts.updated, result.counts.unchanged) == (3, 0, 0)
    assert _indexes(town_url, "incidents") == indexes
    with psycopg.connect(town_url) as conn:
        assert conn.execute("SELECT count(*) FROM incidents WHERE updated_at IS NOT NULL "
                            "AND h3_cell IS NOT NULL").fetchone()[0] == 3
    # The table now holds as many rows as the file: an ordinary upsert, nothing changes.
    again = run_import(town_url, "incidents", path, town_code=TOWN)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 3)


def test_larger_file_into_a_filled_table_updates_and_inserts(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    incident_rows(2).to_csv(path, index=False)
    run_import(town_url, "incidents", path, town_code=TOWN)
    rows = incident_rows(5)
    rows.loc[0, "诉求类别"] = "占道经营"
    rows.to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert (result.counts.inserted, result.counts.updated, result.counts.unchanged) == (3, 1, 1)


def test_dry_run_and_refused_file_leave_rows_and_indexes(town_url, tmp_path):
    indexes, before = _indexes(town_url, "incidents"), snapshot(town_url)
    path = tmp_path / "incidents.csv"
    incident_rows(3).to_csv(path, index=False)
    dry = run_import(town_url, "incidents", path, dry_run=True, town_code=TOWN)
    assert dry.counts.inserted == 3 and not dry.written
    bad = incident_rows(3)
    bad.loc[2, "来源"] = "飞鸽传书"
    bad.to_csv(path, index=False)
    refused = run_import(town_url, "incidents", path, town_code=TOWN)
    assert [p.row for p in refused.problems] == [4]
    assert snapshot(town_url) == before and _indexes(town_url, "incidents") == indexes


def test_a_failure_inside_the_block_rolls_the_indexes_back(town_url):
    indexes = _indexes(town_url, "incidents")
    with psycopg.connect(town_url) as conn:
        with pytest.raises(RuntimeError), conn.transaction(), \
                bulk_write.indexes_rebuilt_after(conn, "incidents") as dropped:
            assert dropped
            assert len(_in_session(conn)) < len(indexes)
            raise RuntimeError("the write failed")
        assert len(_in_session(conn)) == len(indexes)
    assert _indexes(town_url, "incidents") == indexes


def _in_session(conn: psycopg.Connection) -> list[tuple[str]]:
    return conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents'"
                        ).fetchall()


def test_small_files_never_rebuild(empty_db_url):
    with psycopg.connect(empty_db_url) as conn:
        assert not bulk_write.worth_rebuilding(conn, "incidents", 10)
        assert bulk_write.worth_rebuilding(conn, "incidents", bulk_write.REBUILD_FROM_ROWS)
