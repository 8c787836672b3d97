"""What a wall token sees of epidemic cases: cells with counts ("<5" under five), never the
building a case lives in nor its date. Drill-down roles still get the points."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from flask.testing import FlaskClient

from dashboard.settings import Settings
from dashboard.wall.feed import alert_marks
from tests.clients import api_client

pytestmark = pytest.mark.db

# zoom 14: the whole town box at zoom 15 is over the per-request viewport budget (issue 16)
URL = "/api/layers/cases?bbox=116.4,39.6,116.7,39.9&zoom=14&since=2026-09-01&until=2026-11-30"


@pytest.fixture(scope="module")
def clients(settings: Settings, shared_demo_url: str) -> Iterator[dict[str, FlaskClient]]:
    with (api_client(settings, shared_demo_url, "wall") as wall,
          api_client(settings, shared_demo_url, "commander") as commander):
        yield {"wall": wall, "commander": commander}


@pytest.fixture(scope="module")
def centroids(shared_demo_url: str) -> set[tuple[float, float]]:
    """Every building centroid, at the layer's 6 decimals."""
    with psycopg.connect(shared_demo_url) as conn:
        return {(round(x, 6), round(y, 6)) for x, y in conn.execute(
            "SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM buildings")}


def _points(answer) -> list[tuple[tuple[float, float], dict]]:
    assert answer.status_code == 200
    return [((round(f["geometry"]["coordinates"][0], 6), round(f["geometry"]["coordinates"][1], 6)),
             f["properties"]) for f in answer.get_json()["features"]]


def test_commander_gets_case_points_on_their_buildings(clients, centroids):
    points = _points(clients["commander"].get(URL))
    assert len(points) > 50
    assert sum(xy in centroids for xy, _ in points) > len(points) // 2
    assert all("reported" in props for _, props in points)


def test_wall_gets_cells_never_a_building_or_a_date(clients, centroids, shared_demo_url):
    points = _points(clients["wall"].get(URL))
    assert points, "the wall still sees where cases cluster"
    assert not [xy for xy, _ in points if xy in centroids]
    for _, props in points:
        assert props["aggregated"] is True and "reported" not in props
        assert "building_code" not in props and "grid_code" not in props
        assert props["count"] == "<5" or int(props["count"]) >= 5
    with psycopg.connect(shared_demo_url) as conn:
        expected = conn.execute(
            "SELECT count(DISTINCT (h3_parent(h3_cell, 8), category)) FROM cases"
            " WHERE reported_at >= '2026-09-01' AND reported_at < '2026-12-01'").fetchone()[0]
    assert len(points) == expected


def test_a_new_case_pulses_its_cell_on_the_wall(clients, shared_demo_url):
    with psycopg.connect(shared_demo_url) as conn:
        code, category, lng, lat, cell = conn.execute(
            "SELECT code, category, ST_X(geom), ST_Y(geom), to_hex(h3_parent(h3_cell, 8))"
            " FROM cases ORDER BY code LIMIT 1").fetchone()
    marks = alert_marks([{"kind": "case", "code": code, "category": category, "lng": lng,
                          "lat": lat}], {code: "2026-11-30T08:00:00+08:00"})
    assert f"{cell}-{category}" in marks
