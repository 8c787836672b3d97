"""Hexagon outlines for the cells that hold data, kept in `h3_cells` so GeoJSON is built in SQL.

There is no h3 extension in PostgreSQL here: parents are found by bit arithmetic in SQL
(h3_parent), but a cell's outline needs h3 itself, so the loader computes the outlines of
every cell in use once and stores them.
"""

from __future__ import annotations

import h3.api.basic_int as h3i
import psycopg

AGGREGATE_RESOLUTIONS = (7, 8, 9, 10)

_MISSING_CELLS = """
WITH stored AS (
    SELECT h3_cell FROM buildings
    UNION SELECT h3_cell FROM incidents
    UNION SELECT h3_cell FROM cases
    UNION SELECT h3_cell FROM resources
    UNION SELECT h3_cell FROM units
    UNION SELECT h3_cell FROM staff
)
SELECT DISTINCT h3_parent(s.h3_cell, r.res) AS cell
FROM stored s CROSS JOIN unnest(%s::int[]) AS r(res)
EXCEPT
SELECT cell FROM h3_cells
"""


def outline_wkt(cell: int) -> str:
    """WKT polygon of a cell (lng lat order, closed ring)."""
    ring = [(lng, lat) for lat, lng in h3i.cell_to_boundary(cell)]
    ring.append(ring[0])
    return "POLYGON((" + ",".join(f"{lng:.7f} {lat:.7f}" for lng, lat in ring) + "))"


def refresh_cell_shapes(conn: psycopg.Connection,
                        resolutions: tuple[int, ...] = AGGREGATE_RESOLUTIONS) -> int:
    """Store outlines of every aggregate-resolution cell that holds data; returns cells added."""
    missing = [row[0] for row in conn.execute(_MISSING_CELLS, [list(resolutions)])]
    if not missing:
        return 0
    with conn.cursor().copy("COPY h3_cells (cell, res, area_km2, geom) FROM STDIN") as copy:
        for cell in missing:
            copy.write_row((cell, h3i.get_resolution(cell), h3i.cell_area(cell, "km^2"),
                            f"SRID=4326;{outline_wkt(cell)}"))
    return len(missing)
