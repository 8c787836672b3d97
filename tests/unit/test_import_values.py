"""Cell parsing, header synonyms and geometry repair of imports (no database)."""

from __future__ import annotations

import numpy as np
import shapely

from geo.importing.fields import KINDS, header_map
from geo.importing.geometry import shape
from geo.importing.values import parse


def _collect():
    found = []
    return found, lambda i, field, reason, fix: found.append((i, field, reason))


def test_grid_code_header_means_own_code_in_grids_and_reference_in_buildings():
    assert header_map(KINDS["grids"], ["网格编码"], {}) == {"网格编码": "code"}
    assert header_map(KINDS["buildings"], ["网格编码 ", "楼栋地址"], {}) == {
        "网格编码 ": "grid_code", "楼栋地址": "address"}


def test_chinese_choice_values_and_bad_ones():
    spec = next(f for f in KINDS["buildings"].fields if f.name == "use")
    found, report = _collect()
    out = parse(np.array(["住宅", "Rental", "宿舍", ""], dtype=object), spec, report)
    assert list(out) == ["residential", "rental", None, None]
    assert [f[0] for f in found] == [2]


def test_integers_booleans_and_times():
    kind = KINDS["incidents"]
    found, report = _collect()
    times = parse(np.array(["2024-05-01 08:00", "2024-05-01T00:00:00Z", "x"], dtype=object),
                  next(f for f in kind.fields if f.name == "received_at"), report)
    assert list(times[:2]) == ["2024-05-01T00:00:00+00", "2024-05-01T00:00:00+00"]
    flags = parse(np.array(["是", "否", "maybe"], dtype=object),
                  next(f for f in kind.fields if f.name == "satisfied"), report)
    floors = parse(np.array(["6", "6.0", "6.5", "0"], dtype=object),
                   next(f for f in KINDS["buildings"].fields if f.name == "floors"), report)
    assert list(flags[:2]) == ["true", "false"] and list(floors[:2]) == ["6", "6"]
    assert [(i, field) for i, field, _ in found] == [
        (2, "received_at"), (2, "satisfied"), (2, "floors"), (3, "floors")]


def test_small_self_touching_ring_is_repaired_but_a_bowtie_is_not():
    # A square whose ring crosses itself in a tiny loop: make_valid barely changes the area.
    nearly = shapely.Polygon([(0, 0), (10, 0), (10, 10), (5, 10), (5.1, 10.1), (4.9, 10.1),
                              (5.1, 9.9), (0, 10)])
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    assert not nearly.is_valid and not bowtie.is_valid
    found, report = _collect()
    out = shape(np.array([nearly, bowtie], dtype=object), KINDS["buildings"], report)
    assert out[0] is not None and out[0].is_valid and abs(out[0].area - 100) < 1
    assert out[1] is None and [f[:2] for f in found] == [(1, "geometry")]
