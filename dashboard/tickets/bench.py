"""`gridcmd bench tickets`: the ticket loop timed over HTTP against a real waitress server.

Push throughput (one client, then 8 at once), change-feed latency (push answered → the change
visible on `GET /api/tickets/changes`, a follower polling every 50 ms) and the p95 of a step
(`dispatch`), and batch dispatch (`POST /api/tickets/batch` of 100 {code, version}, each its
own committed step). The pushed tickets are removed afterwards (their history goes with them).
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from dashboard.app import close_app, create_app
from dashboard.auth.login import form_token
from geo.database import connect
from geo.settings import Settings
from geo.tokens import create_token, revoke_token

POLL_S = 0.05


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _points(url: str, settings: Settings, n: int) -> list[tuple[float, float]]:
    with connect(url, settings) as conn:
        return conn.execute(
            "SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids "
            "ORDER BY random() LIMIT %s) x", [n]).fetchall()


def run_bench(url: str, settings: Settings, commander: tuple[str, str], pushes: int = 400,
              clients: int = 8, step=print) -> dict[str, Any]:
    """The figures (see the module doc); `commander` is (user, password) for the steps."""
    from waitress.server import create_server

    with connect(url, settings) as conn:
        token_id, token = create_token(conn, "department", "bench", label="bench 12345")
        conn.commit()
    app = create_app(settings, database_url=url)
    server = create_server(app.server, host="127.0.0.1", port=0,
                           threads=max(4, settings.pool_max))
    base = f"http://127.0.0.1:{server.effective_port}"
    threading.Thread(target=server.run, daemon=True).start()
    points = _points(url, settings, 64)
    run_id = f"{int(time.time())}"
    counter = iter(range(10**9))

    def push(http: requests.Session) -> tuple[float, dict]:
        lat, lng = points[next(counter) % len(points)]
        body = {"source": "hotline", "external_id": f"bench-{run_id}-{next(counter)}",
                "category": "noise", "text": "基准测试诉求", "lat": lat, "lng": lng}
        start = time.perf_counter()
        answer = http.post(f"{base}/api/tickets", json=body, timeout=30)
        if answer.status_code != 201:
            raise RuntimeError(f"push answered {answer.status_code}: {answer.text[:200]}")
        return time.perf_counter() - start, answer.json()

    def department() -> requests.Session:
        http = requests.Session()
        http.trust_env = False
        http.headers["Authorization"] = f"Bearer {token}"
        return http

    try:
        out: dict[str, Any] = {"pushes": pushes, "clients": clients}
        step(f"sequential pushes ({pushes}) …")
        http = department()
        start = time.perf_counter()
        seq = [push(http) for _ in range(pushes)]
        out["push_sequential_per_s"] = pushes / (time.perf_counter() - start)
        out["push_p50_ms"] = statistics.median(s for s, _ in seq) * 1000
        out["push_p95_ms"] = _p([s for s, _ in seq], 0.95) * 1000
        step(f"{clients} clients pushing {pushes} …")
        sessions = [department() for _ in range(clients)]
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            par = list(pool.map(lambda i: push(sessions[i % clients]), range(pushes)))
        out["push_parallel_per_s"] = pushes / (time.perf_counter() - start)

        step("change-feed latency …")
        out.update(_feed_latency(base, commander, department(), push))
        step("dispatch p95 …")
        boss = _signed_in(base, commander)
        times = []
        for _, ticket in seq[:200]:
            worker = (ticket.get("suggested_assignee") or {}).get("code")
            start = time.perf_counter()
            answer = boss.post(f"{base}/api/tickets/{ticket['code']}/actions",
                               json={"action": "dispatch", "version": ticket["version"],
                                     "assignee": worker}, timeout=30)
            times.append(time.perf_counter() - start)
            if answer.status_code != 200:
                raise RuntimeError(f"dispatch answered {answer.status_code}: {answer.text}")
        out["action_p50_ms"] = statistics.median(times) * 1000
        out["action_p95_ms"] = _p(times, 0.95) * 1000
        step("batch dispatch …")
        batch = [{"code": t["code"], "version": t["version"]} for _, t in par[:100]]
        start = time.perf_counter()
        answer = boss.post(f"{base}/api/tickets/batch", json={"tickets": batch}, timeout=120)
        elapsed = time.perf_counter() - start
        if answer.status_code != 200 or answer.json()["dispatched"] != len(batch):
            raise RuntimeError(f"batch answered {answer.status_code}: {answer.text[:300]}")
        out["batch_size"] = len(batch)
        out["batch_ms"] = elapsed * 1000
        out["batch_per_s"] = len(batch) / elapsed
        start = time.perf_counter()
        for _ in range(50):
            boss.get(f"{base}/api/tickets/changes?after=0&limit=200", timeout=30)
        out["feed_page_200_ms"] = (time.perf_counter() - start) / 50 * 1000
        cursor = boss.get(f"{base}/api/tickets/changes", timeout=30).json()["cursor"]
        start = time.perf_counter()
        for _ in range(200):
            boss.get(f"{base}/api/tickets/changes?after={cursor}", timeout=30)
        out["feed_idle_poll_ms"] = (time.perf_counter() - start) / 200 * 1000
        return out
    finally:
        server.close()
        close_app(app)
        with connect(url, settings) as conn:
            conn.execute("DELETE FROM incidents WHERE intake_by = %s", [f"token:{token_id}"])
            revoke_token(conn, token_id)
            conn.commit()


def _signed_in(base: str, user: tuple[str, str]) -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    page = http.get(f"{base}/login", timeout=30).text
    answer = http.post(f"{base}/login", data={"csrf": form_token(page), "username": user[0],
                                              "password": user[1]},
                       allow_redirects=False, timeout=30)
    if answer.status_code != 303:
        raise RuntimeError(f"the bench user {user[0]} could not sign in ({answer.status_code})")
    return http


def _feed_latency(base: str, commander: tuple[str, str], http: requests.Session,
                  push, n: int = 100) -> dict[str, float]:
    """Push n tickets 10 a second; a follower polls the feed every POLL_S seconds and notes
    when each code first shows up. Latency = seen − push answered."""
    follower = _signed_in(base, commander)
    cursor = follower.get(f"{base}/api/tickets/changes", timeout=30).json()["cursor"]
    seen: dict[str, float] = {}
    done = threading.Event()

    def follow() -> None:
        nonlocal cursor
        while not done.is_set():
            page = follower.get(f"{base}/api/tickets/changes?after={cursor}&limit=1000",
                                timeout=30).json()
            now = time.perf_counter()
            for change in page["changes"]:
                seen.setdefault(change["code"], now)
            cursor = page["cursor"]
            time.sleep(POLL_S)

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    answered: dict[str, float] = {}
    for _ in range(n):
        _, ticket = push(http)
        answered[ticket["code"]] = time.perf_counter()
        time.sleep(0.1)
    deadline = time.perf_counter() + 10
    while len(set(answered) & set(seen)) < n and time.perf_counter() < deadline:
        time.sleep(0.05)
    done.set()
    thread.join(timeout=5)
    lat = [max(0.0, seen[c] - answered[c]) for c in answered if c in seen]
    return {"feed_latency_p50_ms": statistics.median(lat) * 1000,
            "feed_latency_p95_ms": _p(lat, 0.95) * 1000,
            "feed_seen": len(lat), "feed_pushed": n, "feed_poll_s": POLL_S}
