"""Exports cannot stall the server: size and views are bounded (400 naming the limit), renders
in flight are bounded server-wide and per user (429 with Retry-After), and a KPI request
during renders answers at once."""

from __future__ import annotations

import json
import threading
import time
import urllib.error

import pytest

from tests.clients import api_client
from tests.ui import serving
from tests.ui.serving import signed_in_get

pytestmark = pytest.mark.ui

VIEW = {"title": "全镇", "layers": ["town"]}


@pytest.mark.parametrize(("method", "url", "body", "parameter", "limit"), [
    ("GET", "/export/snapshot.png?size=3841x2160", None, "size", "3840x2160"),
    ("GET", "/export/snapshot.pdf?size=7680x4320", None, "size", "3840x2160"),
    ("POST", "/export/briefing.pdf", {"title": "x", "size": "7680x4320", "views": [VIEW]},
     "size", "3840x2160"),
    ("POST", "/export/briefing.pdf", {"title": "x", "views": [VIEW] * 11}, "views",
     "at most 10"),
])
def test_oversize_exports_are_refused_naming_the_limit(settings, shared_demo_url, method, url,
                                                       body, parameter, limit):
    with api_client(settings, shared_demo_url) as client:
        answer = (client.get(url) if method == "GET" else
                  client.post(url, data=json.dumps(body), content_type="application/json"))
    assert answer.status_code == 400, answer.get_data(as_text=True)[:300]
    found = answer.get_json()
    assert found["parameter"] == parameter and limit in found["message"], found


def _get(base: str, path: str, role: str) -> tuple[int, dict[str, str], float]:
    signed_in_get(f"{base}/api/layers", role)  # signs this role in once per server
    opener = serving._openers[(base, role)]
    started = time.monotonic()
    try:
        with opener.open(f"{base}{path}", timeout=120) as response:
            response.read()
            return response.status, dict(response.headers), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, dict(exc.headers), time.monotonic() - started


def test_concurrent_exports_beyond_the_limits_get_429_and_kpis_stay_fast(server):
    # Five renders at once: four users (the commander twice) against 2 slots, 1 per user.
    roles = ["commander", "commander", "official", "admin", "community"]
    for role in set(roles):
        signed_in_get(f"{server}/api/layers", role)
    results: list[tuple[str, int, dict[str, str], float]] = []
    start = threading.Barrier(len(roles))

    def export(role: str, number: int) -> None:
        start.wait()
        status, headers, seconds = _get(
            server, f"/export/snapshot.png?size=1280x720&title=n{number}", role)
        results.append((role, status, headers, seconds))

    threads = [threading.Thread(target=export, args=(role, n)) for n, role in enumerate(roles)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the admitted renders are drawing now
    kpi_status, _, kpi_seconds = _get(server, "/api/kpis", "commander")
    for thread in threads:
        thread.join(150)
    statuses = sorted(status for _, status, _, _ in results)
    assert len(results) == len(roles)
    assert 1 <= statuses.count(200) <= 2, results
    busy = [r for r in results if r[1] == 429]
    assert len(busy) >= len(roles) - 2, statuses
    assert all(int(headers["Retry-After"]) > 0 for _, _, headers, _ in busy)
    assert all(seconds < 5 for *_, seconds in busy), "a refusal does not wait for a render"
    assert kpi_status == 200 and kpi_seconds < 3, kpi_seconds
    # once the renders are done, the slots are free again
    assert _get(server, "/export/snapshot.png?size=640x480", "official")[0] == 200
