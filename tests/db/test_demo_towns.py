"""`gridcmd demo --towns N` (city scale): N towns with distinct codes side by side, made by the
district's generator and loaded by COPY; every rollup covers every town."""

from __future__ import annotations

import psycopg
import pytest
import shapely
from click.testing import CliRunner
from psycopg import sql

from dashboard.cli import demo_cmd
from geo.demo import MAX_TOWNS, DemoError, load_demo, town_specs
from geo.demo.copy_load import TABLES
from geo.settings import Settings

SEED = 20220501


def test_city_specs_have_distinct_codes_and_separate_places():
    specs = town_specs("city", SEED, town_code="110112104")
    assert len(specs) == 50 and len({s.code for s in specs}) == 50
    assert specs[0].code == "110112104" and specs[0].name_en == "Majuqiao"
    # the district's ten towns come first, exactly as `--scale district` makes them
    assert specs[:10] == town_specs("district", SEED, town_code="110112104")
    assert all(s.code.startswith("110199") for s in specs[10:])
    assert len({s.seed for s in specs}) == 50 and not any(s.real_names for s in specs[1:])
    # 12.5 km apart east-west, 11 km north-south: no two towns share a place
    places = {(round(s.lat, 4), round(s.lng, 4)) for s in specs}
    assert len(places) == 50
    assert [s.code for s in town_specs("town", SEED, "110112104", towns=3)] == [
        s.code for s in specs[:3]]


@pytest.mark.parametrize("towns", [0, -1, MAX_TOWNS + 1, 2.5, "3", True])
def test_a_bad_number_of_towns_is_refused(towns):
    with pytest.raises(DemoError, match="towns must be a whole number"):
        town_specs("town", SEED, "110112104", towns=towns)


@pytest.mark.parametrize("arg", ["0", "401", "many", "-3"])
def test_the_cli_refuses_a_bad_number_of_towns(arg):
    result = CliRunner().invoke(demo_cmd.demo, ["--towns", arg])
    assert result.exit_code == 2 and "--towns" in result.output


@pytest.mark.db
def test_two_towns_load_with_distinct_codes_and_counts_that_add_up(demo_db_url, monkeypatch):
    with psycopg.connect(demo_db_url) as conn:
        one_town = {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(t))).fetchone()[0] for t in TABLES}
    monkeypatch.setattr(demo_cmd, "get_settings",
                        lambda: Settings(database_url=demo_db_url, town_code="110112104"))
    result = CliRunner().invoke(demo_cmd.demo, ["--towns", "2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "demo 2 towns" in result.output and "loaded in" in result.output
    with psycopg.connect(demo_db_url) as conn:
        towns = [r[0] for r in conn.execute("SELECT code FROM towns ORDER BY code")]
        assert towns == ["110112101", "110112104"]
        for table in TABLES:
            per_town = dict(conn.execute(sql.SQL(
                "SELECT town_code, count(*) FROM {} GROUP BY 1").format(sql.Identifier(table))
            ).fetchall())
            total = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
                sql.Identifier(table))).fetchone()[0]
            assert sum(per_town.values()) == total, table
            assert set(per_town) <= set(towns), table
            # Majuqiao is the same town as the one-town demo (same seed, same generator)
            assert per_town.get("110112104", 0) == one_town[table], table
        assert conn.execute("SELECT count(DISTINCT town_code) FROM households").fetchone()[0] == 2
        # codes are prefixed by their town; no code is shared between the towns
        for table in ("communities", "grids", "buildings", "households", "incidents"):
            bad = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE left(code, 9) <> town_code"
                                       ).format(sql.Identifier(table))).fetchone()[0]
            assert bad == 0, table
        # side by side: the two outlines do not overlap
        a, b = (shapely.from_wkb(r[0]) for r in conn.execute(
            "SELECT ST_AsBinary(geom) FROM towns ORDER BY code"))
        assert not a.overlaps(b) and a.intersection(b).area < 1e-9
        # the rollups cover both towns
        daily = dict(conn.execute("SELECT town_code, sum(tickets) FROM ticket_daily "
                                  "WHERE grid_code = '*' GROUP BY 1").fetchall())
        tickets = dict(conn.execute("SELECT town_code, count(*) FROM incidents GROUP BY 1"
                                    ).fetchall())
        assert daily == tickets and len(tickets) == 2
        fresh = conn.execute("SELECT count(DISTINCT town_code) FROM grid_freshness_stats"
                             ).fetchone()[0]
        assert fresh == 2


@pytest.mark.db
def test_the_loader_refuses_a_bad_number_of_towns_before_writing(demo_db_url):
    with pytest.raises(DemoError, match="towns must be a whole number"):
        load_demo(demo_db_url, towns=0)
