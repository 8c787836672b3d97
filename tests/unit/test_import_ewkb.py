"""Hex EWKB of imported geometries: the packed point path gives shapely's exact text."""

from __future__ import annotations

import numpy as np
import shapely

from geo.importing.validate import _ewkb_hex


def _by_shapely(geoms: np.ndarray) -> list[str]:
    return [shapely.to_wkb(shapely.set_srid(g, 4326), hex=True, byte_order=1,
                           output_dimension=2, include_srid=True) for g in geoms]


def test_points_match_shapely_bit_for_bit():
    rng = np.random.default_rng(5)
    xy = np.column_stack([rng.uniform(73, 135, 200), rng.uniform(18, 54, 200)])
    geoms = shapely.points(np.vstack([xy, [[-0.0, 1e-300], [116.555, 39.748]]]))
    assert _ewkb_hex(geoms) == _by_shapely(geoms)


def test_mixed_and_polygon_rows_take_the_general_path():
    geoms = np.array([shapely.Point(116.5, 39.7), shapely.box(116.5, 39.7, 116.6, 39.8)])
    assert _ewkb_hex(geoms) == _by_shapely(geoms)
    assert _ewkb_hex(geoms[:0]) == []
