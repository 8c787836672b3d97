"""Fuzz: well over a thousand malformed parameters thrown at the API get 4xx answers, never a 500
(and never a stack trace)."""

from __future__ import annotations

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
