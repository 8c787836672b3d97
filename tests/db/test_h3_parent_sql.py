"""h3_parent() in the database equals h3-py's cell_to_parent for 2,000 cells, res 7-10."""

import h3.api.basic_int as h3i
import numpy as np
import psycopg

from geo.h3cells import cells


def test_sql_parent_matches_h3(empty_db_url: str):
    rng = np.random.default_rng(11)
    sample = [int(c) for c in cells(rng.uniform(39.70, 39.80, 2000),
                                    rng.uniform(116.50, 116.61, 2000))]
    with psycopg.connect(empty_db_url) as conn:
        for res in (7, 8, 9, 10):
            rows = conn.execute(
                "SELECT c, h3_parent(c, %s), h3_resolution(h3_parent(c, %s)) "
                "FROM unnest(%s::bigint[]) AS c",
                [res, res, sample],
            ).fetchall()
            for cell, parent, parent_res in rows:
                assert parent == h3i.cell_to_parent(cell, res)
                assert parent_res == res
