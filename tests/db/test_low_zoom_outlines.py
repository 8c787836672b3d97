"""Outlines at low zoom carry the decimals their zoom can show (geo/params.py digits_for_zoom)
in a compact envelope: smaller answers with every feature, its id and properties, and a valid
geometry; from zoom 16 the coordinates are as exact as before."""

from __future__ import annotations

import json

import psycopg
import pytest

from dashboard.settings import Settings
from geo.geojson import feature_collection, run_collection
from geo.params import digits_for_zoom, tolerance_for_zoom
from geo.sqlfiles import read_sql
from geo.timewindow import parse_window
from layers import REGISTRY
from tests.clients import api_client

pytestmark = pytest.mark.db

OUTLINES = [layer for layer in REGISTRY.all()
            if "outline_digits" in read_sql(f"queries/{layer.query}.sql")]
WINDOW = parse_window("2025-12-01", "2026-11-30")


def _extent(conn: psycopg.Connection) -> tuple[float, float, float, float]:
    return conn.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
                        "FROM (SELECT ST_Extent(geom) AS e FROM grids) t").fetchone()


def _exact(conn: psycopg.Connection, query: str, bbox, zoom: float) -> str:
    """The answer with every coordinate at 6 decimals (as before), simplified the same."""
    west, south, east, north = bbox
    return run_collection(conn, query, {
        "west": west, "south": south, "east": east, "north": north, "zoom": zoom,
        "tolerance": tolerance_for_zoom(zoom), "digits": 6, "outline_digits": 6,
        "since": WINDOW[0], "until": WINDOW[1]}, None)


def _features(text: str) -> list[tuple[str, str]]:
    return [(f["id"], json.dumps(f["properties"], sort_keys=True))
            for f in json.loads(text)["features"]]


def _invalid(conn: psycopg.Connection, text: str) -> int:
    return conn.execute(
        "SELECT count(*) FILTER (WHERE NOT ST_IsValid(ST_GeomFromGeoJSON(f->>'geometry'))) "
        "FROM json_array_elements(%s::json->'features') f", [text]).fetchone()[0]


def _most_decimals(text: str) -> int:
    most = 0

    def walk(node) -> None:
        nonlocal most
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, float):
            most = max(most, len(repr(node).split(".")[1]) if "." in repr(node) else 0)
    for feature in json.loads(text)["features"]:
        walk(feature["geometry"]["coordinates"])
    return most


def test_every_outline_layer_uses_the_zoom_digits():
    assert {layer.id for layer in OUTLINES} >= {"grids", "communities", "compounds", "town",
                                                 "context"}
    assert [digits_for_zoom(z) for z in (8, 11, 12, 15, 16, 18)] == [3, 4, 5, 5, 6, 6]


@pytest.mark.parametrize("layer", OUTLINES, ids=[layer.id for layer in OUTLINES])
def test_the_town_at_zoom_11_is_smaller_with_every_feature_valid(shared_demo_url, layer):
    with psycopg.connect(shared_demo_url) as conn:
        bbox = _extent(conn)
        now = feature_collection(conn, layer.query, bbox, 11, WINDOW)
        exact = _exact(conn, layer.query, bbox, 11)
        assert _features(now) == _features(exact)  # every feature, same ids and properties
        if not _features(exact):
            return  # no zones in the demo
        assert len(now.encode()) < 0.95 * len(exact.encode())
        assert _most_decimals(now) <= 4 < _most_decimals(exact)
        assert _invalid(conn, now) == 0


@pytest.mark.parametrize("zoom", [16, 18])
def test_from_zoom_16_outlines_are_as_exact_as_stored(shared_demo_url, zoom):
    with psycopg.connect(shared_demo_url) as conn:
        west, south, east, north = _extent(conn)
        middle = ((west + east) / 2, (south + north) / 2)
        bbox = (middle[0] - 0.02, middle[1] - 0.01, middle[0] + 0.02, middle[1] + 0.01)
        for layer in ("layer_grids", "layer_communities", "layer_compounds"):
            now = feature_collection(conn, layer, bbox, zoom, WINDOW)
            assert now == _exact(conn, layer, bbox, zoom)
            assert _features(now) and _most_decimals(now) == 6
        # the grids' outlines are the stored ones simplified by half a pixel, as before
        grids = json.loads(feature_collection(conn, "layer_grids", bbox, zoom))["features"]
        stored = dict(conn.execute(
            "SELECT code, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, %s), 6)::json::text "
            "FROM grids WHERE code = ANY(%s)",
            [tolerance_for_zoom(zoom), [g["id"] for g in grids]]).fetchall())
        assert {g["id"]: json.loads(stored[g["id"]]) for g in grids} == {
            g["id"]: g["geometry"] for g in grids}


def test_the_grids_of_the_town_at_zoom_11_fit_the_budget(settings: Settings, shared_demo_url):
    with psycopg.connect(shared_demo_url) as conn:
        bbox = ",".join(f"{v:.4f}" for v in _extent(conn))
        grids = conn.execute("SELECT count(*) FROM grids").fetchone()[0]
    with api_client(settings, shared_demo_url) as client:
        answer = client.get(f"/api/layers/grids?bbox={bbox}&zoom=11",
                            headers={"Accept-Encoding": "identity"})
        assert answer.status_code == 200
        body = answer.get_data()
        features = json.loads(body)["features"]
        assert len(features) == grids == 300
        # 300 grids: 113,868 bytes before (6 decimals, json_build_object's spaced envelope),
        # 103,385 now (the names and codes are most of it)
        assert len(body) < 105_000, len(body)
