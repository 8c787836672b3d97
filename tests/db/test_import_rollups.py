"""An import adds the outline of every aggregate cell its rows fall in, and only those."""

from __future__ import annotations

import psycopg
import pytest

from geo.h3shapes import AGGREGATE_RESOLUTIONS
from geo.importing.pipeline import run_import
from tests.db.import_town import TOWN, incident_rows, seed_town

pytestmark = pytest.mark.db


def test_imported_points_get_every_parent_cell_outline(empty_db_url, tmp_path):
    seed_town(empty_db_url)
    with psycopg.connect(empty_db_url) as conn:
        conn.execute("DELETE FROM h3_cells")
    path = tmp_path / "incidents.csv"
    rows = incident_rows(40)
    rows["经度"] = rows["经度"] + (rows.index % 7) * 0.003  # spread over several cells
    rows.to_csv(path, index=False)
    assert not run_import(empty_db_url, "incidents", path, town_code=TOWN).problems
    with psycopg.connect(empty_db_url) as conn:
        wanted = {r[0] for r in conn.execute(
            "SELECT DISTINCT h3_parent(i.h3_cell, r.res) FROM incidents i "
            "CROSS JOIN unnest(%s::int[]) AS r(res)", [list(AGGREGATE_RESOLUTIONS)])}
        stored = {r[0] for r in conn.execute("SELECT cell FROM h3_cells")}
    assert len(wanted) > len(AGGREGATE_RESOLUTIONS)
    assert stored == wanted
