"""`gridcmd bench`: time each endpoint against its floor, the plainest SQL giving its figures.

Requests go through the real app (Flask routing, pool, SQL, response) in-process, so the
figures are the server's own cost without network noise; the floor (dashboard/bench_targets.py,
one declarative table of endpoint and SQL text) runs on a connection of its own, endpoint and
floor taken in turn in one run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

import psycopg

from dashboard.bench_targets import Target, targets
from geo.timewindow import TOWN_TZ

__all__ = ["Figure", "Target", "as_json", "bench_password", "run", "signed_in_client",
           "targets"]


@dataclass(frozen=True)
class Figure:
    """One endpoint's timings (milliseconds) and payload, and its floor's."""

    name: str
    path: str
    p50_ms: float
    p95_ms: float
    sql_p50_ms: float  # the floor's p50 (name kept for the JSON's readers)
    ratio: float
    bytes: int
    floor_p95_ms: float = 0.0
    floor_rows: int = 0


def _interleaved(first: Callable[[], object], second: Callable[[], object], runs: int,
                 warmup: int = 2) -> tuple[list[float], list[float]]:
    """Timings of two calls taken in turn (first, second, first, …), so a load that comes and
    goes on a shared machine weighs on both alike and their ratio stays meaningful."""
    for _ in range(warmup):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for fn, times in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return a, b


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def run(client, conn: psycopg.Connection, runs: int,
        progress: Callable[[str], None] = lambda _: None,
        only: tuple[str, ...] = ()) -> list[Figure]:
    """Time every target (or those whose name contains one of `only`) through the app and
    its floor, interleaved."""
    figures = []
    for target in targets(conn):
        if only and not any(word in target.name for word in only):
            continue
        progress(target.name)
        sizes: list[int] = []

        def request(path: str = target.path, sizes: list[int] = sizes) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}: "
                                   f"{response.get_data(as_text=True)[:200]}")
            sizes.append(len(response.get_data()))

        rows: list[int] = []

        def floor(target: Target = target, rows: list[int] = rows) -> None:
            rows.append(len(target.run_floor(conn)))

        http, plain = _interleaved(request, floor, runs)
        floor_p50 = statistics.median(plain)
        p50 = statistics.median(http)
        figures.append(Figure(target.name, target.path.split("?")[0], round(p50, 1),
                              round(_p95(http), 1), round(floor_p50, 1),
                              round(p50 / floor_p50, 2) if floor_p50 else 0.0, sizes[-1],
                              round(_p95(plain), 1), rows[-1]))
    return figures


def as_json(scale: str, figures: list[Figure], counts: dict[str, int]) -> dict:
    """The JSON document `gridcmd bench` writes."""
    return {"scale": scale, "measured_at": datetime.now(TOWN_TZ).isoformat(),
            "rows": counts, "figures": [asdict(f) for f in figures]}


BENCH_USER = "gridcmd-bench"


def bench_password(conn: psycopg.Connection) -> str:
    """A fresh random password for the benchmarks' own commander user (`BENCH_USER`, made on
    first use in the benchmark database), committed; every bench signs in with it."""
    import secrets

    from geo.users import UserError, add_user, set_password

    password = secrets.token_urlsafe(16)
    try:
        set_password(conn, BENCH_USER, password)
    except UserError:
        add_user(conn, BENCH_USER, password, "commander", display_name="gridcmd bench")
    conn.commit()
    return password


def signed_in_client(server, conn: psycopg.Connection):
    """A test client of `server` signed in as the benchmark's own commander user (made or
    given a fresh random password in the benchmark database), so timings include the guard."""
    from dashboard.auth.login import form_token

    password = bench_password(conn)
    client = server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = form_token(page)
    answer = client.post("/login", data={"csrf": token, "username": BENCH_USER,
                                         "password": password})
    if answer.status_code != 303:
        raise RuntimeError(f"the benchmark user could not sign in ({answer.status_code})")
    return client
