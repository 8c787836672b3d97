"""The town boundary as the map draws it (migration 082): the sliver holes the union of the
communities leaves are not drawn (they were short black bars across the town), a real hole
is; the stored boundary keeps them (areas and tiling stay exact)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.db

BBOX = "116.40,39.65,116.70,39.85"


def _interior_rings(geometry: dict) -> int:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [
        geometry["coordinates"]]
    return sum(len(polygon) - 1 for polygon in polygons)


@pytest.mark.parametrize("zoom", [11, 13])
def test_the_drawn_town_boundary_has_no_sliver_holes(client, conn, zoom: int) -> None:
    stored = conn.execute("""SELECT sum(ST_NumInteriorRings(d.geom))
                             FROM towns t, ST_Dump(t.geom) d""").fetchone()[0]
    assert stored > 0  # the demo's boundary does have them: the test would see them drawn
    answer = client.get(f"/api/layers/town?bbox={BBOX}&zoom={zoom}")
    assert answer.status_code == 200
    features = json.loads(answer.get_data(as_text=True))["features"]
    assert len(features) == 1
    assert _interior_rings(features[0]["geometry"]) == 0


def test_a_real_hole_is_kept_and_the_outer_ring_is_unchanged(conn) -> None:
    # A 1 km square with a 200 m square enclave (40,000 m²) and a 1 m × 0.2 m sliver.
    kept, outer_same, parts = conn.execute("""
        WITH shape AS (
            SELECT ST_Transform(ST_SetSRID(ST_GeomFromText(
                'MULTIPOLYGON(((0 0,1000 0,1000 1000,0 1000,0 0),
                              (100 100,300 100,300 300,100 300,100 100),
                              (600 600,601 600,601 600.2,600 600.2,600 600)))'),
                32650), 4326) AS geom)
        SELECT ST_NumInteriorRings(ST_GeometryN(without_sliver_holes(geom, 100), 1)),
               ST_Equals(ST_ExteriorRing(ST_GeometryN(without_sliver_holes(geom, 100), 1)),
                         ST_ExteriorRing(ST_GeometryN(geom, 1))),
               ST_NumGeometries(without_sliver_holes(geom, 100))
        FROM shape""").fetchone()
    assert (kept, outer_same, parts) == (1, True, 1)
