"""Fuzz: well over a thousand malformed parameters thrown at the API get 4xx answers, never a 500
(and never a stack trace)."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clients import api_client

pytestmark = pytest.mark.db

BBOX = "116.55,39.72,116.60,39.76"
NASTY = ["", " ", "nan", "inf", "-inf", "1e999", "-0", "0x10", "１２", "'; DROP TABLE grids;--",
         "%00", "%", "%%", "{}", "[]", "null", "../../etc/passwd", "<script>", "\u0000",
         "\ud7ff", "1,2", "1,2,3,4,5", "9" * 400, "马驹桥", "2026-13-45", "2026-02-30",
         "yesterday", "1,2,3", "a,b,c,d", "181,0,182,1", "0,91,1,92", "5,5,5,5"]


def _not_number(text: str) -> bool:
    try:
        float(text)
    except (ValueError, OverflowError):
        return True
    return False


def _not_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip()[:10])
    except ValueError:
        return True
    return False


junk = st.one_of(st.sampled_from(NASTY), st.text(max_size=120))
# Blank means "the default" for optional parameters: malformed values are never blank.
nonblank = junk.filter(lambda text: text.strip() != "")
bad_number = st.one_of(nonblank.filter(_not_number), st.sampled_from(["nan", "inf", "-1e9", "1e9"]))
bad_date = nonblank.filter(_not_date)
bad_res = st.one_of(bad_number, st.integers().filter(lambda n: not 7 <= n <= 10).map(str))
bad_zoom = st.one_of(bad_number, st.floats(min_value=23, allow_infinity=False).map(str))
bad_lat = st.one_of(bad_number, st.floats(min_value=91, allow_infinity=False).map(str))
bad_segment = st.text(min_size=1, max_size=60).map(lambda s: quote(s, safe=""))

# (URL template with one malformed value {v}, the strategy for it)
TARGETS = [
    ("/api/layers/grids?bbox={v}&zoom=12", junk),
    (f"/api/layers/grids?bbox={BBOX}&zoom={{v}}", bad_zoom),
    (f"/api/layers/cases?bbox={BBOX}&zoom=15&since={{v}}", bad_date),
    (f"/api/layers/tickets?bbox={BBOX}&zoom=15&until={{v}}", bad_date),
    ("/api/layers/{v}?bbox=" + BBOX + "&zoom=12", bad_segment),
    (f"/api/h3/population?bbox={BBOX}&res={{v}}", bad_res),
    ("/api/h3/cases?res=8&bbox={v}", junk),
    ("/api/h3/{v}?res=8&bbox=" + BBOX, bad_segment),
    ("/api/kpis?since={v}", bad_date),
    ("/api/kpis?until={v}", bad_date),
    ("/api/regions/{v}/110112104001", bad_segment),
    ("/api/regions/grid/{v}", bad_segment),
    ("/api/regions/h3/{v}", bad_segment),
    ("/api/regions/grid/110112104-G0001?since={v}", bad_date),
    ("/api/search?q={v}", st.one_of(
        st.sampled_from(["", " ", "\t" * 3]),
        st.text(min_size=101, max_size=300).filter(lambda text: len(text.strip()) > 100))),
    ("/api/roster/nearest?kind=volunteer&lng=116.5&n=10&lat={v}", bad_lat),
    ("/api/roster/nearest?kind={v}&lng=116.5&lat=39.7&n=10", bad_segment),
    ("/api/roster/nearest?kind=volunteer&lng=116.5&lat=39.7&n={v}", st.one_of(
        bad_number, st.integers().filter(lambda n: not 1 <= n <= 200).map(str))),
    ("/api/performance?level={v}", bad_segment),
    ("/api/performance?sort={v}", bad_segment),
    ("/api/performance?order={v}", bad_segment),
    ("/api/freshness?stale_days={v}", bad_number),
    ("/api/zones?buffer_m={v}", bad_number),
    ("/api/zones?mode={v}", bad_segment),
    ("/export/region/grid/110112104-G0001.{v}", bad_segment),
    ("/export/region/{v}/110112104-G0001.csv", bad_segment),
    ("/api/tickets?limit={v}", bad_number),
    ("/api/tickets?cursor={v}", nonblank),
    ("/api/tickets?status={v}", bad_segment),
    ("/api/tickets/{v}", bad_segment),
    ("/api/tickets/changes?after={v}", bad_number),
    ("/api/tickets/changes?after=0&limit={v}", bad_number),
]


@pytest.fixture(scope="module")
def commander(request, shared_demo_url):
    gridcmd_settings = request.getfixturevalue("settings")
    with api_client(gridcmd_settings, shared_demo_url, "commander") as test_client:
        yield test_client


@pytest.mark.parametrize("template,strategy", TARGETS, ids=[t for t, _ in TARGETS])
def test_malformed_parameters_answer_4xx(commander, template, strategy):
    statuses: list[int] = []

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(value=strategy)
    def throw(value: str) -> None:
        url = template.replace("{v}", quote(value, safe="%") if "?" in template.split(
            "{v}")[0] else value)
        answer = commander.get(url)
        statuses.append(answer.status_code)
        body = answer.get_data(as_text=True)
        assert 400 <= answer.status_code < 500, f"{url!r} → {answer.status_code}: {body[:300]}"
        assert "Traceback" not in body

    throw()
    assert len(statuses) >= 45  # 24 targets × ≥ 45: well over 1,000 malformed requests


# -- issue 17: dates far out, hostile callback bodies, absurd nesting --------------------------
FAR_DATE = st.one_of(
    st.sampled_from(["9999-12-31", "0001-01-01", "9999-12-31T23:59:59+14:00",
                     "0001-01-01T00:00:00-12:00", "1899-12-31", "2201-01-01"]),
    st.dates().filter(lambda d: not 1900 <= d.year <= 2200).map(date.isoformat))
# Every route that reads a time window (since/until).
WINDOW_ROUTES = [
    f"/api/layers/cases?bbox={BBOX}&zoom=15&{{p}}={{v}}",
    f"/api/h3/cases?res=8&bbox={BBOX}&{{p}}={{v}}",
    "/api/kpis?{p}={v}",
    "/api/regions/grid/110112104-G0001?{p}={v}",
    "/api/performance?{p}={v}",
    "/api/zones?{p}={v}",
    "/export/region/grid/110112104-G0001.csv?{p}={v}",
    "/export/snapshot.png?{p}={v}",
]


def _json_error(answer) -> None:
    body = answer.get_data(as_text=True)
    assert 400 <= answer.status_code < 500, f"{answer.status_code}: {body[:300]}"
    assert answer.is_json and answer.get_json().get("error"), body[:300]
    assert "Traceback" not in body


@pytest.mark.parametrize("template", WINDOW_ROUTES)
def test_far_dates_answer_4xx(commander, template):
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(value=FAR_DATE, parameter=st.sampled_from(["since", "until"]))
    def throw(value: str, parameter: str) -> None:
        _json_error(commander.get(template.format(p=parameter, v=quote(value, safe=""))))

    throw()
    _json_error(commander.get(template.format(p="until", v="9999-12-31")))


@pytest.fixture(scope="module")
def wall(request, shared_demo_url):
    gridcmd_settings = request.getfixturevalue("settings")
    with api_client(gridcmd_settings, shared_demo_url, "wall") as test_client:
        yield test_client


def _callback_body(dependency: dict, values: dict[str, object]) -> dict:
    """The POST body a browser sends for `dependency`, with `values` for ids by name."""
    from geo.kpi_extent import KPI_NAMES

    def spec(part: str) -> object:
        ident, prop = part.rsplit(".", 1)
        if ident.startswith("{"):
            pattern = json.loads(ident)
            return [{"id": {**pattern, "kpi": name}, "property": prop} for name in KPI_NAMES]
        return {"id": ident, "property": prop}

    def with_value(item: dict) -> dict:
        return {**item, "value": values.get(item["id"])}

    output = dependency["output"]
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return {"output": output, "outputs": [spec(p) for p in parts],
            "inputs": [with_value(i) for i in dependency["inputs"]],
            "state": [with_value(s) for s in dependency["state"]],
            "changedPropIds": [f"{dependency['inputs'][0]['id']}."
                               f"{dependency['inputs'][0]['property']}"]}


MALFORMED_MEMORY = st.one_of(
    st.text(max_size=30), st.integers(), st.lists(st.integers(), max_size=3),
    st.fixed_dictionaries({"refreshed": st.one_of(st.text(max_size=30), st.integers(),
                                                  st.just("2026-11-30T08:00:00"))}),
    st.fixed_dictionaries({"held": st.one_of(st.text(max_size=5), st.lists(st.integers()),
                                             st.just({"C1": "not a time"}))}),
    st.fixed_dictionaries({"town": st.one_of(st.text(max_size=5), st.lists(
        st.floats(), max_size=3), st.just([1, 2, 3, "x"]))}),
    st.fixed_dictionaries({"hottest": st.one_of(st.text(max_size=5), st.just(
        {"code": "G1", "name": "x", "west": "a"}), st.integers())}),
)


def test_malformed_wall_memory_answers_4xx(wall):
    from dashboard.wall import ids as wall_ids

    dependencies = wall.get("/wall/_dash-dependencies").get_json()
    users = [d for d in dependencies
             if any(s["id"] == wall_ids.MEMORY for s in d["state"])]
    assert len(users) >= 2, "the refresh and the rotation read the wall's memory"

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(memory=MALFORMED_MEMORY, which=st.sampled_from(range(len(users))))
    def throw(memory: object, which: int) -> None:
        body = _callback_body(users[which], {wall_ids.MEMORY: memory,
                                             wall_ids.LANG: "zh", wall_ids.ROTATE: 1})
        _json_error(wall.post("/wall/_dash-update-component", json=body))

    throw()


def test_a_main_map_callback_posted_to_the_wall_answers_4xx(commander, wall):
    dependencies = commander.get("/_dash-dependencies").get_json()
    assert dependencies
    for dependency in dependencies[:10]:
        body = _callback_body(dependency, {})
        for client in (wall, commander):
            _json_error(client.post("/wall/_dash-update-component", json=body))
            _json_error(client.post("/print/_dash-update-component", json=body))


DEEP = 100_000
DEEP_BODIES = ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP,
               '{"days": ' + "[" * DEEP + "]" * DEEP + "}"]
POST_ROUTES = ["/api/zones/publish", "/export/briefing.pdf", "/_dash-update-component",
               "/wall/_dash-update-component", "/print/_dash-update-component", "/login"]


@pytest.mark.parametrize("path", POST_ROUTES)
def test_json_nested_100000_deep_answers_4xx(commander, path):
    for body in DEEP_BODIES:
        answer = commander.post(path, data=body, content_type="application/json")
        if path == "/login":  # a form: the JSON is ignored and the form token is missing
            assert 400 <= answer.status_code < 500, answer.status_code
            continue
        _json_error(answer)
