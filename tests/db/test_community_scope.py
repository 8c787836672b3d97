"""A community user's H3 answers hold only its own communities: drill-down and region export.

A cell used to belong to the community under its centre, so a res-7 cell spanning several
communities handed a community user its neighbours' buildings, households and staff.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import psycopg
import pytest
from flask.testing import FlaskClient

from dashboard.settings import Settings
from tests.clients import SCOPED_COMMUNITY, api_client

pytestmark = pytest.mark.db

SCOPE_GRIDS = "SELECT code FROM grids WHERE community_code = %(c)s"


@pytest.fixture(scope="module")
def cells(shared_demo_url: str) -> dict[str, str]:
    """A res-7 cell holding buildings of the scope and of most other communities, and one
    lying wholly outside the scope."""
    with psycopg.connect(shared_demo_url) as conn:
        mixed = conn.execute(f"""
            SELECT h3_parent(b.h3_cell, 7) AS cell
            FROM buildings b JOIN grids g ON g.code = b.grid_code
            GROUP BY 1
            HAVING bool_or(g.community_code = %(c)s) AND count(DISTINCT g.community_code) > 2
            ORDER BY count(*) FILTER (WHERE g.grid_code NOT IN ({SCOPE_GRIDS})) DESC, 1
            LIMIT 1""".replace("g.grid_code", "g.code"), {"c": SCOPED_COMMUNITY}).fetchone()
        outside = conn.execute("""
            SELECT h.cell FROM h3_cells h
            WHERE h.res = 7 AND NOT EXISTS (SELECT 1 FROM communities c
                WHERE c.code = %(c)s AND ST_Intersects(c.geom, h.geom))
              AND EXISTS (SELECT 1 FROM buildings b WHERE h3_parent(b.h3_cell, 7) = h.cell)
            ORDER BY h.cell LIMIT 1""", {"c": SCOPED_COMMUNITY}).fetchone()
    assert mixed and outside, "the demo town has a res-7 cell across several communities"
    return {"mixed": format(mixed[0], "x"), "outside": format(outside[0], "x")}


@pytest.fixture(scope="module")
def expected(shared_demo_url: str, cells: dict[str, str]) -> dict[str, object]:
    """The mixed cell's figures by SQL: whole and restricted to the scope's grids."""
    with psycopg.connect(shared_demo_url) as conn:
        def figures(scoped: bool) -> tuple:
            return conn.execute(f"""
                SELECT count(DISTINCT b.code), count(h.code), coalesce(sum(h.members), 0)
                FROM buildings b LEFT JOIN households h ON h.building_code = b.code
                WHERE h3_parent(b.h3_cell, 7) = %(cell)s
                  AND (NOT %(scoped)s OR b.grid_code IN ({SCOPE_GRIDS}))""",
                {"cell": int(cells["mixed"], 16), "scoped": scoped,
                 "c": SCOPED_COMMUNITY}).fetchone()
        grids = {r[0] for r in conn.execute(SCOPE_GRIDS, {"c": SCOPED_COMMUNITY})}
        return {"whole": figures(False), "scoped": figures(True), "grids": grids}


@pytest.fixture(scope="module")
def clients(settings: Settings, shared_demo_url: str) -> Iterator[dict[str, FlaskClient]]:
    """A community user and a commander over the shared demo town."""
    with (api_client(settings, shared_demo_url, "community") as community,
          api_client(settings, shared_demo_url, "commander") as commander):
        yield {"community": community, "commander": commander}


def test_the_chosen_cell_really_spans_other_communities(expected):
    whole, scoped = expected["whole"], expected["scoped"]
    assert 0 < scoped[0] < whole[0], (whole, scoped)


def test_community_drilldown_of_a_shared_cell_counts_only_its_communities(clients, cells,
                                                                         expected):
    answer = clients["community"].get(f"/api/regions/h3/{cells['mixed']}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    record = answer.get_json()
    buildings, households, residents = expected["scoped"]
    assert (record["buildings"], record["households"], record["residents"]) == (
        buildings, households, residents)
    assert record["community_code"] == SCOPED_COMMUNITY
    assert record["staff"], "the scope's own grid workers are listed"
    assert {s["grid_code"] for s in record["staff"]} <= expected["grids"]


def test_commander_still_sees_the_whole_cell(clients, cells, expected):
    record = clients["commander"].get(f"/api/regions/h3/{cells['mixed']}").get_json()
    assert (record["buildings"], record["households"], record["residents"]) == expected["whole"]
    assert {s["grid_code"] for s in record["staff"]} - expected["grids"]


def test_community_export_of_a_shared_cell_lists_only_its_buildings(clients, cells, expected):
    answer = clients["community"].get(f"/export/region/h3/{cells['mixed']}.csv?lang=en")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    rows = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    grid_column = next(k for k in rows[0] if "grid" in k.lower())
    assert len(rows) == expected["scoped"][0]
    assert {r[grid_column] for r in rows} <= expected["grids"]
    whole = clients["commander"].get(f"/export/region/h3/{cells['mixed']}.csv")
    assert len(whole.get_data().decode("utf-8-sig").splitlines()) - 1 == expected["whole"][0]


def test_a_cell_outside_the_scope_is_refused(clients, cells):
    for url in (f"/api/regions/h3/{cells['outside']}",
                f"/export/region/h3/{cells['outside']}.csv"):
        answer = clients["community"].get(url)
        assert answer.status_code == 403, url
        assert answer.get_json()["error"] == "forbidden"
        assert clients["commander"].get(url).status_code == 200
