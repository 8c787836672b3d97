"""The command-map API over the demo town: H3 metrics, drill-down, KPIs, and their 400/404s."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.db

TOWN_BBOX = "116.4,39.6,116.7,39.9"


@pytest.fixture(scope="module")
def window(conn) -> str:
    """since/until query string ending at the newest case."""
    until = conn.execute("SELECT max(reported_at) FROM cases").fetchone()[0].date()
    return f"since={until.replace(day=1).isoformat()}&until={until.isoformat()}"


@pytest.mark.parametrize("metric", ["population", "floating_ratio", "coverage"])
def test_h3_metrics_answer_geojson_cells_with_values(client: FlaskClient, metric: str):
    response = client.get(f"/api/h3/{metric}?res=8&bbox={TOWN_BBOX}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    features = response.get_json(force=True)["features"]
    assert features and all("value" in f["properties"] for f in features)
    assert all(f["geometry"]["type"] == "Polygon" for f in features)


def test_population_totals_equal_the_table_where_not_suppressed(client, conn):
    features = client.get(f"/api/h3/population?res=7&bbox={TOWN_BBOX}").get_json(
        force=True)["features"]
    shown = sum(f["properties"].get("residents", 0) for f in features)
    total = conn.execute("SELECT sum(members) FROM households").fetchone()[0]
    hidden = sum(1 for f in features if f["properties"]["value"] is None)
    assert total - 4 * hidden <= shown <= total


def test_windowed_metrics_take_since_and_until(client: FlaskClient, window: str):
    for metric in ("cases", "tickets"):
        response = client.get(f"/api/h3/{metric}?res=9&bbox={TOWN_BBOX}&{window}")
        assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize(("query", "parameter"), [
    ("res=6&bbox=" + TOWN_BBOX, "res"),
    ("res=8&bbox=1,2,3", "bbox"),
    ("res=8", "bbox"),
    ("res=8&bbox=" + TOWN_BBOX + "&since=2026-99-01", "since"),
    ("res=8&bbox=" + TOWN_BBOX + "&until=2020-01-01&since=2021-01-01", "since"),
])
def test_bad_h3_parameters_answer_400_naming_them(client, query, parameter):
    metric = "cases" if "since" in query or "until" in query else "population"
    response = client.get(f"/api/h3/{metric}?{query}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter


def test_unknown_metric_and_region_answer_404(client: FlaskClient):
    assert client.get(f"/api/h3/nonsense?res=8&bbox={TOWN_BBOX}").status_code == 404
    assert client.get("/api/regions/grid/NO-SUCH-GRID").status_code == 404
    assert client.get("/api/regions/planet/x").status_code == 400


def test_grid_drill_down_equals_sql(client: FlaskClient, conn, window: str):
    code, residents = conn.execute(
        "SELECT b.grid_code, sum(h.members) FROM households h JOIN buildings b "
        "ON b.code = h.building_code GROUP BY 1 ORDER BY 1 LIMIT 1").fetchone()
    response = client.get(f"/api/regions/grid/{code}?{window}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["residents"] == residents
    assert body["parents"][0]["kind"] == "town"
    assert all("****" in s["phone"] for s in body["staff"] if s["phone"])


def test_kpis_answer_headline_figures(client: FlaskClient, conn, window: str):
    body = client.get(f"/api/kpis?{window}").get_json()
    assert body["residents"] == conn.execute(
        "SELECT sum(members) FROM households").fetchone()[0]
    assert body["three_no_compounds"] >= 20
    assert 0 <= body["coverage_share"] <= 1
    assert client.get("/api/kpis?since=garbage").status_code == 400
