"""Bounded and cheap answers: a per-request budget, compression, ETags and what stays no-store."""

from __future__ import annotations

import gzip
import json

import pytest

from geo.errors import OverBudget
from geo.geojson import feature_collection
from geo.params import MAX_VIEWPORT_PX

pytestmark = pytest.mark.db

TOWN_BBOX = "116.4,39.6,116.7,39.9"
# A 1920x1080 screen at zoom 16 in the middle of the demo town.
Z16_BBOX = "116.5344,39.7392,116.5756,39.7568"


def test_viewport_too_large_for_its_zoom_answers_400_naming_bbox_and_limit(client):
    answer = client.get(f"/api/layers/buildings?bbox={TOWN_BBOX}&zoom=18")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["parameter"] == "bbox"
    assert f"{MAX_VIEWPORT_PX} x {MAX_VIEWPORT_PX}" in body["message"]


def test_the_same_box_at_a_town_zoom_is_within_the_budget(client):
    answer = client.get(f"/api/layers/grids?bbox={TOWN_BBOX}&zoom=12")
    assert answer.status_code == 200
    assert answer.get_json(force=True)["features"]


def test_more_features_than_the_budget_are_refused_not_truncated(conn):
    box = tuple(float(v) for v in Z16_BBOX.split(","))
    whole = json.loads(feature_collection(conn, "layer_buildings", box, 16))
    n = len(whole["features"])
    assert n > 10
    # exactly at the budget: the whole answer
    at_budget = json.loads(feature_collection(conn, "layer_buildings", box, 16, max_features=n))
    assert at_budget == whole
    with pytest.raises(OverBudget) as refused:
        feature_collection(conn, "layer_buildings", box, 16, max_features=n - 1)
    assert refused.value.parameter == "bbox"
    assert f"{n - 1:,}" in str(refused.value)
    raw = conn.execute("SELECT count(*) FROM buildings WHERE ST_Intersects(geom, "
                       "ST_MakeEnvelope(%s, %s, %s, %s, 4326))", box).fetchone()[0]
    assert n == raw


@pytest.mark.parametrize("path", [
    f"/api/layers/buildings?bbox={Z16_BBOX}&zoom=16",
    f"/api/h3/population?res=9&bbox={TOWN_BBOX}",
])
def test_geojson_is_gzipped_when_asked_and_decompresses_to_the_same_json(client, path):
    plain = client.get(path)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = packed.get_data()
    assert len(body) < len(plain.get_data()) / 3
    assert json.loads(gzip.decompress(body)) == json.loads(plain.get_data())


@pytest.mark.parametrize("path", [
    f"/api/layers/grids?bbox={TOWN_BBOX}&zoom=13",
    f"/api/h3/population?res=8&bbox={TOWN_BBOX}",
])
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_layers_without_personal_data_carry_an_etag_and_answer_304(client, path, encoding):
    first = client.get(path, headers={"Accept-Encoding": encoding})
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, max-age=60"
    assert "Cookie" in first.headers["Vary"]
    again = client.get(path, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    other = client.get(path, headers={"Accept-Encoding": encoding,
                                      "If-None-Match": '"not-this-one"'})
    assert other.status_code == 200
    # the same content (a gzip stream carries its making time in its header: compare inside)
    unpack = gzip.decompress if encoding == "gzip" else (lambda data: data)
    assert unpack(other.get_data()) == unpack(first.get_data())


def test_drill_down_and_the_cases_layer_stay_no_store(client, conn):
    grid = conn.execute("SELECT code FROM grids ORDER BY code LIMIT 1").fetchone()[0]
    for path in (f"/api/regions/grid/{grid}",
                 f"/api/layers/cases?bbox={TOWN_BBOX}&zoom=13",
                 "/api/kpis"):
        answer = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in answer.headers, path
        repeat = client.get(path, headers={"If-None-Match": "*"})
        assert repeat.status_code == 200, path
