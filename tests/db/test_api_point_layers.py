"""The point layers over the demo town: counts match independent SQL, windows filter, no
personal data leaves through them."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import psycopg
import pytest
from flask.testing import FlaskClient

from dashboard.map.timebar import town_today

pytestmark = pytest.mark.db

# The town centre's quarter: thousands of units, hundreds of tickets, some of everything.
CENTRE = (116.52, 39.72, 116.58, 39.77)
CENTRE_TEXT = ",".join(map(str, CENTRE))
WHOLE_TOWN = "116.40,39.65,116.70,39.85"  # asked at zoom 15: within the viewport budget
POINT_LAYERS = ("units", "tickets", "cases", "resources", "staff")
_MOBILE_OR_ID = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")

# Independent counts: ST_Intersects (the API uses the && index operator) and the window's
# bounds in the town's zone written out in SQL (the API goes through geo.timewindow).
_ENVELOPE = "ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
_PLAIN_COUNTS = {
    "units": f"SELECT count(*) FROM units WHERE {_ENVELOPE}",
    "resources": f"SELECT count(*) FROM resources WHERE {_ENVELOPE}",
    "staff": f"SELECT count(*) FROM staff WHERE on_duty AND {_ENVELOPE}",
}
_DAY = "(%s::date)::timestamp AT TIME ZONE 'Asia/Shanghai'"
_WINDOW_COUNTS = {
    "tickets": f"SELECT count(*) FROM incidents WHERE {_ENVELOPE} "
               f"AND received_at >= {_DAY} AND received_at < {_DAY} + interval '1 day'",
    "cases": f"SELECT count(*) FROM cases WHERE {_ENVELOPE} "
             f"AND reported_at >= {_DAY} AND reported_at < {_DAY} + interval '1 day'",
}


def _features(client: FlaskClient, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:200]
    return response.get_json(force=True)["features"]


def _count(conn: psycopg.Connection, sql: str, *params: object) -> int:
    return conn.execute(sql, params).fetchone()[0]


@pytest.mark.parametrize("layer_id", sorted(_PLAIN_COUNTS))
def test_plain_point_layer_counts_equal_sql_in_the_bbox(client, demo_conn, layer_id) -> None:
    features = _features(client, f"/api/layers/{layer_id}?bbox={CENTRE_TEXT}&zoom=16")
    expected = _count(demo_conn, _PLAIN_COUNTS[layer_id], *CENTRE)
    assert len(features) == expected > 10
    assert all(f["geometry"]["type"] == "Point" for f in features)


@pytest.mark.parametrize("layer_id", sorted(_WINDOW_COUNTS))
@pytest.mark.parametrize("days", [7, 30])
def test_windowed_layer_counts_equal_sql_for_the_window(client, demo_conn, layer_id,
                                                        days) -> None:
    until = town_today() - timedelta(days=1)
    since = until - timedelta(days=days - 1)
    url = (f"/api/layers/{layer_id}?bbox={CENTRE_TEXT}&zoom=14"
           f"&since={since.isoformat()}&until={until.isoformat()}")
    expected = _count(demo_conn, _WINDOW_COUNTS[layer_id], *CENTRE, since, until)
    assert len(_features(client, url)) == expected


def test_a_narrower_window_holds_fewer_cases(client) -> None:
    today = town_today()
    base = f"/api/layers/cases?bbox={WHOLE_TOWN}&zoom=13"
    week = _features(client, f"{base}&since={(today - timedelta(days=7)).isoformat()}")
    month = _features(client, f"{base}&since={(today - timedelta(days=30)).isoformat()}")
    assert 0 < len(week) < len(month)
    assert {f["id"] for f in week} <= {f["id"] for f in month}


def test_cases_carry_recency_within_zero_and_one(client) -> None:
    cases = _features(client, f"/api/layers/cases?bbox={WHOLE_TOWN}&zoom=13")
    recency = [f["properties"]["recency"] for f in cases]
    assert recency and all(0 <= r <= 1 for r in recency)


def test_default_window_is_the_last_30_days(client, demo_conn) -> None:
    features = _features(client, f"/api/layers/tickets?bbox={WHOLE_TOWN}&zoom=12")
    expected = _count(demo_conn, "SELECT count(*) FROM incidents WHERE received_at >= now() "
                                 "- interval '30 days' AND ST_Intersects(geom, "
                                 "ST_MakeEnvelope(116.40, 39.65, 116.70, 39.85, 4326))")
    assert len(features) == expected > 100


@pytest.mark.parametrize(("query", "parameter"), [
    ("since=yesterday", "since"),
    ("since=2026-13-01", "since"),
    ("until=not-a-day", "until"),
    ("since=2026-05-02&until=2026-05-01", "since"),
])
def test_a_bad_window_answers_400_naming_the_parameter(client, query, parameter) -> None:
    response = client.get(f"/api/layers/cases?bbox={CENTRE_TEXT}&zoom=14&{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["message"]


def test_registry_marks_tickets_and_cases_windowed(client) -> None:
    described = {e["id"]: e for e in client.get("/api/layers").get_json()["layers"]}
    assert {i for i, e in described.items() if e["windowed"]} == {"tickets", "cases", "hotline"}
    assert described["tickets"]["cluster"] is True
    assert all(described[i]["kind"] == "point" for i in POINT_LAYERS)


def test_staff_layer_shows_role_and_grid_only(client) -> None:
    features = _features(client, f"/api/layers/staff?bbox={WHOLE_TOWN}&zoom=15")
    assert features
    assert {key for f in features for key in f["properties"]} <= {"role", "grid_code",
                                                                   "grid_name"}


def test_no_point_layer_answer_carries_personal_data(client, demo_conn) -> None:
    staff = demo_conn.execute("SELECT name, phone FROM staff").fetchall()
    staff_names = {name for name, _ in staff}
    staff_phones = {phone for _, phone in staff if phone}
    names = staff_names | {r[0] for r in demo_conn.execute("SELECT name FROM persons")}
    assert staff_names and staff_phones
    # Some two-character names are also parts of village names (杨秀 in 杨秀店).
    grids = " ".join(r[0] for r in demo_conn.execute("SELECT name FROM grids"))
    since = (town_today() - timedelta(days=365)).isoformat()
    # The polygon layers are checked over a hand-made town in test_api_layers.py.
    for layer_id in POINT_LAYERS:
        text = client.get(f"/api/layers/{layer_id}?bbox={WHOLE_TOWN}&zoom=15&since={since}"
                          ).get_data(as_text=True)
        # No mobile number and no ID-card number anywhere in the answer.
        assert not _MOBILE_OR_ID.search(text), layer_id
        values = {str(v) for f in json.loads(text)["features"]
                  for v in f["properties"].values() if v is not None}
        # Shop names may share a surname with a resident; a whole name as a value may not.
        assert not values & names, layer_id
        if layer_id == "staff":
            assert not any(name in text for name in staff_names if name not in grids)
            assert not any(phone in text for phone in staff_phones)
