"""`gridcmd import`: the report table, --report, exit code 1 and the summary."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from dashboard.cli import import_cmd as cli_import
from dashboard.settings import Settings
from tests.db.import_town import TOWN, incident_rows, seed_town, snapshot

pytestmark = pytest.mark.db


@pytest.fixture
def town_url(empty_db_url: str, monkeypatch) -> str:
    seed_town(empty_db_url)
    monkeypatch.setattr(cli_import, "get_settings",
                        lambda: Settings(database_url=empty_db_url, town_code=TOWN))
    return empty_db_url


def _run(*args: str):
    return CliRunner().invoke(cli_import.import_, list(args), terminal_width=200)


def test_bad_file_prints_the_report_and_exits_1(town_url, tmp_path):
    rows = incident_rows(2)
    rows.loc[1, "受理时间"] = "昨天"
    path, report = tmp_path / "incidents.csv", tmp_path / "report.csv"
    rows.to_csv(path, index=False)
    before = snapshot(town_url)
    result = _run("incidents", str(path), "--report", str(report))
    assert result.exit_code == 1
    assert "nothing was written" in result.output and "received_at" in result.output
    with report.open(encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["file", "row", "field", "reason", "fix"]
    assert lines[1][:3] == ["incidents.csv", "3", "received_at"]
    assert snapshot(town_url) == before


def test_good_file_prints_the_summary(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    incident_rows(3, "bd09").to_csv(path, index=False)
    result = _run("incidents", str(path), "--crs", "bd09")
    assert result.exit_code == 0, result.output
    assert "inserted" in result.output and "3" in result.output
    again = _run("incidents", str(path), "--crs", "bd09", "--dry-run")
    assert again.exit_code == 0 and "unchanged" in again.output and "dry run" in again.output


def test_unknown_crs_is_a_user_error(town_url, tmp_path):
    path = tmp_path / "incidents.csv"
    incident_rows(1).to_csv(path, index=False)
    result = _run("incidents", str(path), "--crs", "mars")
    assert result.exit_code != 0 and "unknown coordinate system" in str(result.exception)


def test_report_is_in_chinese_by_default_and_english_on_request(town_url, tmp_path,
                                                                monkeypatch):
    rows = incident_rows(2)
    rows.loc[1, "受理时间"] = "昨天"
    path, report = tmp_path / "incidents.csv", tmp_path / "report.csv"
    rows.to_csv(path, index=False)
    result = _run("incidents", str(path), "--report", str(report))
    assert "不是日期时间" in result.output
    with report.open(encoding="utf-8-sig") as f:
        assert "不是日期时间" in list(csv.reader(f))[1][3]
    monkeypatch.setattr(cli_import, "get_settings", lambda: Settings(
        database_url=town_url, town_code=TOWN, lang="en"))
    assert "not a date/time" in _run("incidents", str(path)).output


def test_every_problem_of_the_bad_file_has_a_chinese_reason_and_fix(town_url, tmp_path):
    from geo.importing.pipeline import run_import
    from geo.importing.problems_zh import in_chinese
    from tests.db.test_import_problems import BAD_ROWS, HEADER

    path = tmp_path / "incidents.csv"
    path.write_text(HEADER + "\n".join(r[0] for r in BAD_ROWS) + "\n", encoding="utf-8")
    problems = run_import(town_url, "incidents", path, town_code=TOWN).problems
    assert len(problems) == 8
    for problem in map(in_chinese, problems):
        for text in (problem.reason, problem.fix):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_an_import_writes_one_audit_row_and_a_dry_run_none(town_url, tmp_path):
    import psycopg

    from geo import audit

    path = tmp_path / "incidents.csv"
    incident_rows(3, "bd09").to_csv(path, index=False)
    assert _run("incidents", str(path), "--crs", "bd09", "--dry-run").exit_code == 0
    assert _run("incidents", str(path), "--crs", "bd09").exit_code == 0
    with psycopg.connect(town_url) as conn:
        rows = audit.entries(conn, action="import")
    assert len(rows) == 1
    assert rows[0]["username"].startswith("cli:") and rows[0]["target"] == "incidents:incidents.csv"
    assert rows[0]["detail"]["inserted"] == 3


def test_hotline_export_without_a_source_column_imports_as_hotline(town_url, tmp_path):
    # A file from the 12345 system has no 来源 column: all its tickets came from the hotline.
    path = tmp_path / "12345.csv"
    incident_rows(2).drop(columns=["来源"]).to_csv(path, index=False)
    result = _run("incidents", str(path))
    assert result.exit_code == 0, result.output
    assert "source = hotline (default)" in result.output  # the report names the default
    import psycopg

    with psycopg.connect(town_url) as conn:
        sources = conn.execute("SELECT DISTINCT source FROM incidents").fetchall()
    assert sources == [("hotline",)]


def test_set_gives_a_missing_column_its_value_and_is_checked(town_url, tmp_path):
    path = tmp_path / "patrol.csv"
    incident_rows(2).drop(columns=["来源"]).to_csv(path, index=False)
    result = _run("incidents", str(path), "--set", "source=巡查")
    assert result.exit_code == 0, result.output
    assert "source = 巡查 (--set)" in result.output
    import psycopg

    with psycopg.connect(town_url) as conn:
        assert conn.execute("SELECT DISTINCT source FROM incidents").fetchall() == [("patrol",)]
    bad = _run("incidents", str(path), "--set", "source=radio")
    assert bad.exit_code == 1 and "source" in bad.output
    unknown = _run("incidents", str(path), "--set", "colour=red")
    assert unknown.exit_code != 0 and "colour" in str(unknown.exception or unknown.output)
