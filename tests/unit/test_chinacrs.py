"""GCJ-02 / BD-09 offsets and their inverses, and projected CRSs landing where expected."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely

from geo.chinacrs import (
    CrsError,
    bd09_to_wgs84,
    gcj02_to_wgs84,
    geometries_to_wgs84,
    normalise_crs,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

MAJUQIAO = (116.555, 39.748)  # lng, lat


def haversine_m(lng1, lat1, lng2, lat2) -> np.ndarray:
    """Great-circle distance in metres (sphere of mean radius; plenty for metre checks)."""
    lng1, lat1, lng2, lat2 = map(np.radians, (lng1, lat1, lng2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2)
    return 2 * 6371008.8 * np.arcsin(np.sqrt(a))


def test_gcj02_offset_at_majuqiao_is_about_510_m():
    lng, lat = wgs84_to_gcj02(*MAJUQIAO)
    assert 450 < haversine_m(*MAJUQIAO, lng, lat) < 570


def test_gcj02_round_trip_within_a_centimetre_across_china():
    rng = np.random.default_rng(1)
    lngs, lats = rng.uniform(74, 134, 2000), rng.uniform(18, 53, 2000)
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lngs, lats))
    assert haversine_m(lngs, lats, *back).max() < 0.01


def test_bd09_round_trip_within_a_centimetre_across_china():
    rng = np.random.default_rng(2)
    lngs, lats = rng.uniform(74, 134, 2000), rng.uniform(18, 53, 2000)
    back = bd09_to_wgs84(*wgs84_to_bd09(lngs, lats))
    assert haversine_m(lngs, lats, *back).max() < 0.01


def test_bd09_adds_an_offset_on_top_of_gcj02():
    glng, glat = wgs84_to_gcj02(*MAJUQIAO)
    blng, blat = wgs84_to_bd09(*MAJUQIAO)
    assert 500 < haversine_m(glng, glat, blng, blat) < 1500


def test_to_wgs84_by_name():
    g = wgs84_to_gcj02(*MAJUQIAO)
    b = wgs84_to_bd09(*MAJUQIAO)
    for crs, (x, y) in {"gcj02": g, "GCJ-02": g, "bd09": b, "wgs84": MAJUQIAO,
                        "cgcs2000": MAJUQIAO, "EPSG:4490": MAJUQIAO}.items():
        lng, lat = to_wgs84([x], [y], crs)
        assert haversine_m(*MAJUQIAO, lng[0], lat[0]) < 1, crs


def test_polygon_in_epsg4490_lands_in_place():
    poly = shapely.Polygon([(116.55, 39.74), (116.56, 39.74), (116.56, 39.75), (116.55, 39.75)])
    out = geometries_to_wgs84(poly, "EPSG:4490")
    got = np.asarray(out.exterior.coords)
    want = np.asarray(poly.exterior.coords)
    assert haversine_m(want[:, 0], want[:, 1], got[:, 0], got[:, 1]).max() < 1


@pytest.mark.parametrize(("epsg", "west_of_cm"), [(4548, True), (4547, False)])
def test_polygon_in_gauss_kruger_3_degree_zone_lands_where_expected(epsg, west_of_cm):
    # EPSG:4548 is the CM 117E zone that covers Majuqiao; 4547 (CM 114E) is its western neighbour.
    corners = np.array([(116.55, 39.74), (116.56, 39.74), (116.56, 39.75), (116.55, 39.75),
                        (116.55, 39.74)])
    fwd = pyproj.Transformer.from_crs("EPSG:4490", f"EPSG:{epsg}", always_xy=True)
    x, y = fwd.transform(corners[:, 0], corners[:, 1])
    assert (x.max() < 500_000) == west_of_cm  # false easting 500 km at the central meridian
    out = geometries_to_wgs84(shapely.Polygon(np.column_stack([x, y])), f"EPSG:{epsg}")
    got = np.asarray(out.exterior.coords)
    assert haversine_m(corners[:, 0], corners[:, 1], got[:, 0], got[:, 1]).max() < 1


def test_geometries_to_wgs84_converts_every_vertex_of_an_array():
    pts = shapely.points(*wgs84_to_gcj02([116.5, 116.6], [39.7, 39.8]))
    out = geometries_to_wgs84(pts, "gcj02")
    assert haversine_m(np.array([116.5, 116.6]), np.array([39.7, 39.8]),
                       shapely.get_x(out), shapely.get_y(out)).max() < 0.01


@pytest.mark.parametrize("bad", ["mars", "EPSG:999999", "epsg:x"])
def test_unknown_crs_is_a_user_error(bad):
    with pytest.raises(CrsError):
        normalise_crs(bad)
