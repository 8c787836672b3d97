"""Re-importing changes nothing; a changed row, and only it, gets a new updated_at."""

from __future__ import annotations

import psycopg
import pytest

from geo.importing.pipeline import run_import
from tests.db.import_town import TOWN, incident_rows, seed_town, snapshot

pytestmark = pytest.mark.db


def _stamps(url: str) -> dict[str, object]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT code, updated_at FROM incidents").fetchall())


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    seed_town(empty_db_url)
    return empty_db_url


def test_reimport_changes_nothing(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    incident_rows(3, "gcj02").to_csv(path, index=False)
    first = run_import(town_url, "incidents", path, crs="gcj02", town_code=TOWN)
    assert first.counts.inserted == 3
    before, stamps = snapshot(town_url), _stamps(town_url)
    again = run_import(town_url, "incidents", path, crs="gcj02", town_code=TOWN)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 3)
    assert _stamps(town_url) == stamps and snapshot(town_url) == before


def test_changed_row_updates_only_its_updated_at(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    rows = incident_rows(3)
    rows.to_csv(path, index=False)
    run_import(town_url, "incidents", path, town_code=TOWN)
    stamps = _stamps(town_url)
    rows.loc[1, "诉求类别"] = "占道经营"
    rows.to_csv(path, index=False)
    result = run_import(town_url, "incidents", path, town_code=TOWN)
    assert (result.counts.inserted, result.counts.updated, result.counts.unchanged) == (0, 1, 2)
    after = _stamps(town_url)
    assert after["I1"] > stamps["I1"]
    assert after["I0"] == stamps["I0"] and after["I2"] == stamps["I2"]


def test_columns_absent_from_the_file_keep_their_stored_values(town_url, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("工号,姓名,角色,在岗,技能,经度,纬度\nS1,张三,网格员,是,\"急救,消防\",116.555,39.748\n",
                    encoding="utf-8")
    run_import(town_url, "staff", path, town_code=TOWN)
    path.write_text("工号,姓名,角色,经度,纬度\nS1,张三,网格员,116.555,39.748\n", encoding="utf-8")
    result = run_import(town_url, "staff", path, town_code=TOWN)
    assert result.counts.unchanged == 1
    with psycopg.connect(town_url) as conn:
        assert conn.execute("SELECT on_duty, skills FROM staff").fetchone() == (
            True, ["急救", "消防"])


def test_large_import_path_locks_parents_and_still_refuses_unknown_codes(town_url, tmp_path,
                                                                        monkeypatch):
    """From LOCK_FROM_ROWS rows on, FK triggers are skipped: the staged join must hold."""
    from geo.importing import upsert as upsert_module

    monkeypatch.setattr(upsert_module, "LOCK_FROM_ROWS", 1)
    path = tmp_path / "households.csv"
    path.write_text("户编号,楼栋编码,房间号,户籍人口,流动人口\nH1,B1,101,2,1\nH2,B9,102,1,1\n",
                    encoding="utf-8")
    before = snapshot(town_url)
    refused = run_import(town_url, "households", path, town_code=TOWN)
    assert [(p.row, p.field) for p in refused.problems] == [(3, "building_code")]
    assert snapshot(town_url) == before
    written = run_import(town_url, "households", path, skip_invalid=True, town_code=TOWN)
    assert written.counts.inserted == 1
    with psycopg.connect(town_url) as conn:
        assert conn.execute("SELECT code, building_code FROM households").fetchall() == [
            ("H1", "B1")]
        # The session is back to normal: the FK triggers fire again afterwards.
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("INSERT INTO households (code, town_code, building_code, room, "
                         "members, registered, floating) VALUES ('H9', %s, 'B404', '1', 0, 0, 0)",
                         [TOWN])
