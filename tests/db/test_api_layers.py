"""The layer API and /healthz over a small hand-made town with known answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import psycopg
import pytest
from flask.testing import FlaskClient

from dashboard.app import close_app, create_app
from dashboard.settings import Settings
from layers import REGISTRY
from tests.clients import api_client

pytestmark = pytest.mark.db

# Two communities side by side, four grids, three compounds, three buildings, one river.
# Grid G1 and G2 lie in the south-west quarter; G3 and G4 in the north-east quarter.
FIXTURE_SQL = """
INSERT INTO towns (code, town_code, name, name_en, geom) VALUES
 ('T1', 'T1', '测试镇', 'Test town', ST_Multi(ST_MakeEnvelope(116.50, 39.70, 116.60, 39.80, 4326)));
INSERT INTO communities (code, town_code, name, kind, committee_phone, geom) VALUES
 ('C1', 'T1', '新海南里', 'community', '010-11112222',
  ST_Multi(ST_MakeEnvelope(116.50, 39.70, 116.55, 39.80, 4326))),
 ('C2', 'T1', '大白村', 'village', '010-33334444',
  ST_Multi(ST_MakeEnvelope(116.55, 39.70, 116.60, 39.80, 4326)));
INSERT INTO grids (code, town_code, name, community_code, geom) VALUES
 ('G1', 'T1', '第一网格', 'C1', ST_MakeEnvelope(116.500, 39.70, 116.525, 39.75, 4326)),
 ('G2', 'T1', '第二网格', 'C1', ST_MakeEnvelope(116.525, 39.70, 116.550, 39.75, 4326)),
 ('G3', 'T1', '第三网格', 'C2', ST_MakeEnvelope(116.550, 39.75, 116.575, 39.80, 4326)),
 ('G4', 'T1', '第四网格', 'C2', ST_MakeEnvelope(116.575, 39.75, 116.600, 39.80, 4326));
INSERT INTO compounds (code, town_code, name, community_code, grid_code, management,
                       caretaker_branch, households, geom) VALUES
 ('P1', 'T1', '物业小区', 'C1', 'G1', 'property', false, 300,
  ST_MakeEnvelope(116.505, 39.705, 116.515, 39.715, 4326)),
 ('P2', 'T1', '三无小区', 'C1', 'G2', 'three_no', true, 120,
  ST_MakeEnvelope(116.530, 39.705, 116.540, 39.715, 4326)),
 ('P3', 'T1', '准物业小区', 'C2', 'G3', 'quasi', false, 80,
  ST_MakeEnvelope(116.555, 39.755, 116.565, 39.765, 4326));
INSERT INTO buildings (code, town_code, address, grid_code, compound_code, use, floors, rooms,
                       h3_cell, geom) VALUES
 ('B1', 'T1', '物业小区1号楼', 'G1', 'P1', 'residential', 6, 24, 0,
  ST_MakeEnvelope(116.5060, 39.7060, 116.5065, 39.7063, 4326)),
 ('B2', 'T1', '物业小区2号楼', 'G1', 'P1', 'residential', 6, 24, 0,
  ST_MakeEnvelope(116.5070, 39.7060, 116.5075, 39.7063, 4326)),
 ('B3', 'T1', '大白村15号院', 'G3', NULL, 'rental', 2, 14, 0,
  ST_MakeEnvelope(116.5600, 39.7600, 116.5603, 39.7602, 4326));
INSERT INTO households (code, town_code, building_code, room, members, registered, floating)
 VALUES ('H1', 'T1', 'B1', '101', 3, 1, 2);
INSERT INTO persons (code, town_code, household_code, name, id_number, phone, registered)
 VALUES ('X1', 'T1', 'H1', '张秘密', '110112199001011234', '13912345678', false);
INSERT INTO units (code, town_code, name, kind, shop_kind, employees, grid_code, h3_cell, geom)
 VALUES ('U1', 'T1', '好再来小吃', 'shop_five_small', 'eatery', 3, 'G1', 0,
  ST_SetSRID(ST_MakePoint(116.508, 39.708), 4326));
INSERT INTO incidents (code, town_code, source, category, status, received_at, address,
                       grid_code, h3_cell, geom)
 VALUES ('I1', 'T1', 'hotline', 'noise', 'received', now() - interval '1 day',
  '物业小区1号楼101 张秘密家', 'G1', 0, ST_SetSRID(ST_MakePoint(116.507, 39.707), 4326));
INSERT INTO cases (code, town_code, category, reported_at, grid_code, h3_cell, geom)
 VALUES ('E1', 'T1', 'confirmed', now() - interval '2 days', 'G1', 0,
  ST_SetSRID(ST_MakePoint(116.506, 39.706), 4326));
INSERT INTO resources (code, town_code, kind, name, grid_code, h3_cell, geom)
 VALUES ('R9', 'T1', 'clinic', '测试卫生站', 'G3', 0,
  ST_SetSRID(ST_MakePoint(116.56, 39.76), 4326));
INSERT INTO staff (code, town_code, name, role, phone, grid_code, on_duty, h3_cell, geom)
 VALUES ('S1', 'T1', '李秘密', 'grid_worker', '13812345678', 'G1', true, 0,
  ST_SetSRID(ST_MakePoint(116.509, 39.709), 4326));
INSERT INTO context_features (code, town_code, kind, name, rank, geom) VALUES
 ('R1', 'T1', 'river', '凉水河', 1,
  ST_GeomFromText('LINESTRING(116.50 39.72, 116.5512345678 39.7412345678, 116.60 39.78)', 4326));
INSERT INTO zone_plans (code, town_code, version, published_by, params) VALUES
 ('T1-ZP0001', 'T1', 1, '值班员', '{"since": "2026-01-01T00:00:00+08:00", "days": 14}');
INSERT INTO zones (code, town_code, plan_code, level, residents, households, figures, geom)
 VALUES ('T1-ZP0001-containment', 'T1', 'T1-ZP0001', 'containment', 3, 1, '{}',
  ST_Multi(ST_MakeEnvelope(116.505, 39.705, 116.515, 39.715, 4326)));
"""

WHOLE_TOWN = "116.49,39.69,116.61,39.81"
SW_QUARTER = "116.51,39.71,116.54,39.74"  # meets G1 and G2 only


@pytest.fixture
def town_url(empty_db_url: str) -> str:
    """A fresh database holding the hand-made town."""
    with psycopg.connect(empty_db_url) as conn:
        conn.execute(FIXTURE_SQL)
    return empty_db_url


@pytest.fixture
def client(town_url: str, settings: Settings) -> Iterator[FlaskClient]:
    """A Flask test client of the app reading the hand-made town."""
    with api_client(settings, town_url) as client:
        yield client


def _codes(response) -> list[str]:
    return [f["properties"]["code"] for f in response.get_json(force=True)["features"]]


def test_healthz_reports_database_ok_with_counts_and_timestamp(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["counts"]["grids"] == 4
    assert body["counts"]["buildings"] == 3
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body["data_as_of"])


def test_healthz_answers_503_json_when_database_is_unreachable(settings: Settings) -> None:
    app = create_app(settings, database_url="postgresql://postgres@127.0.0.1:1/nowhere")
    try:
        response = app.server.test_client().get("/healthz")
    finally:
        close_app(app)
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable"
    assert "Traceback" not in response.get_data(as_text=True)


def test_layer_list_is_the_registry_with_both_titles(client: FlaskClient) -> None:
    layers = client.get("/api/layers").get_json()["layers"]
    assert [entry["id"] for entry in layers] == [layer.id for layer in REGISTRY]
    for entry in layers:
        assert entry["title"]["zh"] and entry["title"]["en"]
        assert entry["kind"] in ("polygon", "line", "point")
        assert entry["legend"]
    buildings = next(e for e in layers if e["id"] == "buildings")
    assert buildings["min_zoom"] == 15


def test_grids_in_bbox_are_exactly_those_intersecting_it(client: FlaskClient,
                                                         town_url: str) -> None:
    response = client.get(f"/api/layers/grids?bbox={SW_QUARTER}&zoom=14")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    collection = response.get_json(force=True)
    assert collection["type"] == "FeatureCollection"
    with psycopg.connect(town_url) as conn:
        expected = conn.execute(
            "SELECT count(*) FROM grids "
            "WHERE ST_Intersects(geom, ST_MakeEnvelope(116.51, 39.71, 116.54, 39.74, 4326))"
        ).fetchone()[0]
    assert len(collection["features"]) == expected == 2
    assert _codes(response) == ["G1", "G2"]
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Polygon"
    assert first["properties"]["name"] == "第一网格"
    assert first["properties"]["community_name"] == "新海南里"


def test_coordinates_are_rounded_to_six_decimals(client: FlaskClient) -> None:
    # A box a screen wide at zoom 18 (the whole town at zoom 18 is over the viewport budget).
    text = client.get("/api/layers/context?bbox=116.54,39.73,116.56,39.75&zoom=18"
                      ).get_data(as_text=True)
    numbers = re.findall(r"-?\d+\.(\d+)", text)
    assert numbers and max(len(digits) for digits in numbers) <= 6


def test_every_layer_answers_a_feature_collection(client: FlaskClient) -> None:
    for layer in REGISTRY:
        response = client.get(f"/api/layers/{layer.id}?bbox={WHOLE_TOWN}&zoom=16")
        assert response.status_code == 200, layer.id
        collection = json.loads(response.get_data(as_text=True))
        assert collection["type"] == "FeatureCollection"
        assert collection["features"], layer.id


def test_layers_carry_no_personal_or_contact_data(client: FlaskClient) -> None:
    for layer in REGISTRY:
        text = client.get(f"/api/layers/{layer.id}?bbox={WHOLE_TOWN}&zoom=16").get_data(
            as_text=True)
        for secret in ("张秘密", "13912345678", "110112199001011234", "010-1111", "李秘密",
                       "13812345678"):
            assert secret not in text, layer.id


def test_compounds_carry_management_and_caretaker_flag(client: FlaskClient) -> None:
    collection = client.get(f"/api/layers/compounds?bbox={WHOLE_TOWN}&zoom=15").get_json(
        force=True)
    by_code = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert by_code["P2"]["management"] == "three_no"
    assert by_code["P2"]["caretaker_branch"] is True
    assert by_code["P1"]["caretaker_branch"] is False


@pytest.mark.parametrize("bbox", [
    "116.5,39.7,116.6",            # three numbers
    "116.5,39.7,116.6,39.8,1",     # five numbers
    "west,39.7,116.6,39.8",        # not a number
    "116.6,39.7,116.5,39.8",       # west > east
    "116.5,39.8,116.6,39.7",       # south > north
    "116.5,39.7,116.6,95",         # latitude out of range
    "116.5,39.7,200,39.8",         # longitude out of range
    "nan,39.7,116.6,39.8",         # not finite
    "",                            # empty
])
def test_bad_bbox_answers_400_naming_bbox(client: FlaskClient, bbox: str) -> None:
    response = client.get(f"/api/layers/grids?bbox={bbox}&zoom=14")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == "bbox"
    assert "bbox" in body["message"]


def test_missing_bbox_answers_400(client: FlaskClient) -> None:
    response = client.get("/api/layers/grids?zoom=14")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "bbox"


@pytest.mark.parametrize("zoom", ["abc", "23", "-1", "", "inf"])
def test_bad_zoom_answers_400_naming_zoom(client: FlaskClient, zoom: str) -> None:
    response = client.get(f"/api/layers/grids?bbox={WHOLE_TOWN}&zoom={zoom}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "zoom"


def test_unknown_layer_answers_404(client: FlaskClient) -> None:
    response = client.get(f"/api/layers/nosuch?bbox={WHOLE_TOWN}&zoom=14")
    assert response.status_code == 404
    assert "nosuch" in response.get_json()["message"]


def test_buildings_below_min_zoom_answer_an_empty_collection(client: FlaskClient) -> None:
    # Decision: out of its zoom range a layer answers 200 with no features (not 400), so a
    # client can ask every visible layer without knowing each one's range.
    below = client.get(f"/api/layers/buildings?bbox={WHOLE_TOWN}&zoom=14")
    assert below.status_code == 200
    assert below.get_json(force=True) == {"type": "FeatureCollection", "features": []}
    at = client.get(f"/api/layers/buildings?bbox={WHOLE_TOWN}&zoom=15")
    assert _codes(at) == ["B1", "B2", "B3"]
