"""H3 cells as bigint, the way the database stores them (h3-py's strict vocabulary)."""

from __future__ import annotations

from collections.abc import Iterable

import h3.api.basic_int as h3i
import numpy as np

STORE_RES = 11  # finest resolution stored; coarser ones come from h3_parent() in SQL


def cells(lats: Iterable[float], lngs: Iterable[float], res: int = STORE_RES) -> np.ndarray:
    """H3 cells (int64) of lat/lng pairs at `res`."""
    return np.fromiter(
        (h3i.latlng_to_cell(lat, lng, res) for lat, lng in zip(lats, lngs, strict=True)),
        dtype=np.int64,
    )


def parent(cell: int, res: int) -> int:
    """Parent cell of `cell` at the coarser `res` (the Python twin of SQL h3_parent)."""
    return h3i.cell_to_parent(cell, res)
