"""The SQL h3_parent bit arithmetic agrees with h3-py (checked here in pure Python)."""

import h3.api.basic_int as h3i
import numpy as np

from geo.h3cells import STORE_RES, cells


def _parent_by_bits(cell: int, res: int) -> int:
    # the same expression as migration 001's h3_parent()
    return ((cell & ~(15 << 52)) | (res << 52)) | ((1 << ((15 - res) * 3)) - 1)


def test_bit_parent_matches_h3_for_res_7_to_10():
    rng = np.random.default_rng(7)
    lats = rng.uniform(39.70, 39.80, 2000)
    lngs = rng.uniform(116.50, 116.61, 2000)
    for cell in cells(lats, lngs):
        for res in range(7, 11):
            assert _parent_by_bits(int(cell), res) == h3i.cell_to_parent(int(cell), res)


def test_cells_are_stored_at_store_res():
    (cell,) = cells([39.748], [116.555])
    assert h3i.get_resolution(int(cell)) == STORE_RES
