"""Who may call what: every role against every kind of route, API and Dash callbacks alike."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest
from flask.testing import FlaskClient

from dashboard.map import ids
from dashboard.settings import Settings
from tests.clients import OTHER_COMMUNITY, SCOPED_COMMUNITY, api_client

pytestmark = pytest.mark.db

ROLES = ("anonymous", "wall", "community", "commander", "official", "admin")
TOWN_BBOX = "116.4,39.6,116.7,39.9"


@pytest.fixture(scope="module")
def clients(settings: Settings, shared_demo_url: str) -> Iterator[dict[str, FlaskClient]]:
    """One signed-in test client per role (and one signed out) over the shared demo town."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        yield {role: stack.enter_context(
            api_client(settings, shared_demo_url, None if role == "anonymous" else role))
            for role in ROLES}


@pytest.fixture(scope="module")
def codes(shared_demo_url: str) -> dict[str, str]:
    """A grid inside the community user's community, one outside, and a building inside."""
    with psycopg.connect(shared_demo_url) as conn:
        mine = conn.execute("SELECT min(code) FROM grids WHERE community_code = %s",
                            [SCOPED_COMMUNITY]).fetchone()[0]
        other = conn.execute("SELECT min(code) FROM grids WHERE community_code = %s",
                             [OTHER_COMMUNITY]).fetchone()[0]
        building = conn.execute(
            "SELECT min(b.code) FROM buildings b JOIN households h ON h.building_code = b.code"
            " JOIN persons p ON p.household_code = h.code WHERE b.grid_code = %s",
            [mine]).fetchone()[0]
    return {"mine": mine, "other": other, "building": building}


def _dash_body(output: str, outputs: list[dict], inputs: list[dict]) -> str:
    return json.dumps({"output": output, "outputs": outputs, "inputs": inputs,
                       "changedPropIds": [f"{ids.SELECTED_REGION}.data"], "state": []})


def _text(answer) -> str:
    return json.dumps(answer.get_json(), ensure_ascii=False)


# (method, path template, expected status per role in ROLES order)
ROUTES = [
    ("GET", "/healthz", (200, 200, 200, 200, 200, 200)),
    ("GET", "/login", (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/layers", (401, 200, 200, 200, 200, 200)),
    ("GET", f"/api/layers/grids?bbox={TOWN_BBOX}&zoom=12", (401, 200, 200, 200, 200, 200)),
    ("GET", f"/api/h3/population?res=8&bbox={TOWN_BBOX}", (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/kpis", (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/regions/grid/{mine}", (401, 403, 200, 200, 200, 200)),
    ("GET", "/api/regions/grid/{other}", (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/regions/community/{other_community}", (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/regions/building/{building}?unmask=1", (401, 403, 403, 403, 200, 403)),
    ("GET", "/api/search?q=社区", (401, 403, 200, 200, 200, 200)),
    ("GET", "/api/performance", (401, 403, 200, 200, 200, 200)),
    ("GET", "/api/freshness", (401, 403, 200, 200, 200, 200)),
    ("GET", "/export/region/grid/{mine}.csv", (401, 403, 200, 200, 200, 200)),
    ("GET", "/export/region/grid/{other}.csv", (401, 403, 403, 200, 200, 200)),
    ("GET", "/export/snapshot.png?bbox=1,2", (401, 403, 400, 400, 400, 400)),
    ("GET", "/wall/", (302, 200, 200, 200, 200, 200)),
    ("GET", "/", (302, 403, 200, 200, 200, 200)),
    ("GET", "/_dash-layout", (401, 403, 200, 200, 200, 200)),
    ("GET", "/wall/_dash-layout", (401, 200, 200, 200, 200, 200)),
    ("GET", "/print/", (302, 403, 200, 200, 200, 200)),
    ("POST", "/api/zones/publish", (401, 403, 403, 400, 400, 400)),
]


@pytest.mark.parametrize("method,path,expected", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_each_role_gets_exactly_its_routes(clients, codes, method, path, expected):
    url = path.format(other_community=OTHER_COMMUNITY, **codes)
    for role, status in zip(ROLES, expected, strict=True):
        client = clients[role]
        # POSTs carry a bad value: allowed roles get 400, so nothing is written to the shared town.
        answer = client.get(url) if method == "GET" else client.post(url, json={"days": 0})
        assert answer.status_code == status, f"{role} {method} {url}: {answer.status_code}"
        if status in (401, 403) and not url.startswith("/print"):
            assert answer.is_json and answer.get_json()["error"] in (
                "login_required", "forbidden"), (role, url)


def test_pages_send_the_signed_out_to_the_login_page(clients):
    answer = clients["anonymous"].get("/wall/?x=1")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login?next=/wall/")


def test_dash_callbacks_of_the_map_need_a_drill_down_role(clients, codes):
    """The panel callback is reached through /_dash-update-component: checked there too."""
    body = _dash_body(f"..{ids.PANEL_BODY}.children...{ids.PANEL}.className..", [
        {"id": ids.PANEL_BODY, "property": "children"},
        {"id": ids.PANEL, "property": "className"}], [
        {"id": ids.SELECTED_REGION, "property": "data",
         "value": {"kind": "grid", "code": codes["other"]}},
        {"id": ids.TIME_WINDOW, "property": "data", "value": {"since": None, "until": None}},
        {"id": ids.LANG_SWITCH, "property": "value", "value": "zh"},
        {"id": ids.PANEL_UNMASK, "property": "value", "value": []}])
    headers = {"Content-Type": "application/json"}
    statuses = {role: clients[role].post("/_dash-update-component", data=body,
                                         headers=headers) for role in ROLES}
    assert statuses["anonymous"].status_code == 401
    assert statuses["wall"].status_code == 403
    for role in ("commander", "official", "admin"):
        assert statuses[role].status_code == 200, role
        assert "无权查看" not in _text(statuses[role]), role
    # The community user reaches the callback but the server refuses another community's data.
    community = statuses["community"]
    assert community.status_code == 200
    assert "无权查看" in _text(community)


def test_cross_site_posts_are_refused(clients):
    answer = clients["commander"].post("/_dash-update-component", data="{}",
                                       headers={"Origin": "https://evil.example",
                                                "Content-Type": "application/json"})
    assert answer.status_code == 403


def test_every_answer_carries_security_headers(clients):
    for role, path in (("anonymous", "/login"), ("commander", "/api/kpis"),
                       ("commander", "/"), ("anonymous", "/api/kpis")):
        headers = clients[role].get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
