"""since/until are parsed by one parser on every route that accepts them: garbage is a 400
naming the parameter everywhere, including routes whose answer does not use the window (an H3
metric without a time dimension used to ignore it and answer 200)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.clients import api_client

pytestmark = pytest.mark.db

BBOX = "116.55,39.72,116.60,39.76"
GRID = "110112104-G0001"
# Every GET route that reads since/until, with the rest of its parameters valid.
WINDOW_ROUTES = [
    f"/api/layers/grids?bbox={BBOX}&zoom=13",          # a layer without a window
    f"/api/layers/cases?bbox={BBOX}&zoom=15",          # a windowed layer
    f"/api/h3/population?res=8&bbox={BBOX}",           # metrics without a window
    f"/api/h3/floating_ratio?res=8&bbox={BBOX}",
    f"/api/h3/coverage?res=8&bbox={BBOX}",
    f"/api/h3/cases?res=8&bbox={BBOX}",                # windowed metrics
    f"/api/h3/tickets?res=8&bbox={BBOX}",
    "/api/kpis?lang=zh",
    f"/api/regions/grid/{GRID}?lang=zh",
    "/api/performance?level=community",
    "/api/zones?mode=grid",
    f"/export/region/grid/{GRID}.csv?lang=zh",
    "/export/snapshot.png?size=800x600",
]
GARBAGE = ["garbage", "2026-13-45", "yesterday", "2026-02-30", "１２", "'; DROP TABLE cases;--"]


@pytest.fixture(scope="module")
def commander(request, shared_demo_url):
    with api_client(request.getfixturevalue("settings"), shared_demo_url, "commander") as client:
        yield client


@pytest.mark.parametrize("parameter", ["since", "until"])
@pytest.mark.parametrize("route", WINDOW_ROUTES)
def test_garbage_window_is_refused_naming_the_parameter(commander, route, parameter):
    for value in GARBAGE:
        answer = commander.get(f"{route}&{parameter}={quote(value, safe='')}")
        assert answer.status_code == 400, (route, value, answer.get_data(as_text=True)[:200])
        body = answer.get_json()
        assert body["error"] == "bad_parameter" and body["parameter"] == parameter, body


@pytest.mark.parametrize("route", WINDOW_ROUTES)
def test_reversed_window_is_refused_on_every_route(commander, route):
    answer = commander.get(f"{route}&since=2026-03-10&until=2026-03-01")
    assert answer.status_code == 400 and answer.get_json()["parameter"] == "since"


@pytest.mark.parametrize("route", [r for r in WINDOW_ROUTES if r.startswith("/api/h3/")])
def test_a_good_window_still_answers_every_metric(commander, route):
    answer = commander.get(f"{route}&since=2026-01-01&until=2026-03-01")
    assert answer.status_code == 200
    assert answer.get_json()["type"] == "FeatureCollection"


@pytest.mark.parametrize("body", [
    {"since": "garbage"}, {"until": "2026-13-45"}, {"since": 20260101}, {"until": ["2026"]},
    {"since": {"a": 1}},
])
def test_publishing_with_a_bad_window_publishes_nothing(commander, body):
    before = commander.get("/api/zones/published").get_json()["plans"]
    answer = commander.post("/api/zones/publish", json=body)
    assert answer.status_code == 400, answer.get_data(as_text=True)[:200]
    assert answer.get_json()["parameter"] == next(iter(body))
    assert commander.get("/api/zones/published").get_json()["plans"] == before
