"""GeoPackage/GeoJSON read through Arrow give exactly what the raw (feature by feature) reader
gives: stripped text with '' for empty, numbers kept, same geometries and CRS."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.importing import readers


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "code": [" a ", None, "c"], "中文": ["甲 ", "", "  乙"], "n": [1, None, 3],
        "m": [1, 2, 3], "r": [1.5, np.nan, 2.0], "b": [True, False, True],
        "t": pd.to_datetime(["2024-01-01 08:00:00", None, "2024-03-01 09:30:05"]),
        "d": [dt.date(2024, 1, 1), None, dt.date(2024, 2, 2)],
    }, geometry=[shapely.Point(116.5, 39.7), None, shapely.Point(116.6, 39.8)], crs="EPSG:4490")


def _raw(path):
    frame, geoms, crs = readers._read_vector(path)
    return readers._as_text(frame, keep_numbers=True), geoms, crs


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_arrow_and_raw_readers_agree(tmp_path, suffix):
    path = tmp_path / f"data{suffix}"
    frame = _frame()
    if suffix == ".geojson":  # GeoJSON dates come as Arrow date32: that file falls back
        frame = frame.drop(columns=["d"])
    pyogrio.write_dataframe(frame, path)
    arrow = readers._read_arrow(path)
    assert arrow is not None
    raw = _raw(path)
    pd.testing.assert_frame_equal(arrow[0], raw[0])
    assert arrow[0]["code"].tolist() == ["a", "", "c"]
    assert list(shapely.to_wkb(arrow[1])) == list(shapely.to_wkb(raw[1]))
    assert arrow[2] == raw[2]
    assert readers.read(path).crs == "EPSG:4490"


def test_columns_arrow_would_map_differently_fall_back_to_the_raw_reader(tmp_path):
    path = tmp_path / "data.gpkg"
    frame = _frame()
    frame["maybe"] = pd.array([True, None, False], dtype="boolean")
    pyogrio.write_dataframe(frame, path)
    assert readers._read_arrow(path) is None
    read = readers.read(path)
    pd.testing.assert_frame_equal(read.frame, _raw(path)[0])
