"""`gridcmd bench replica`: read-only endpoints served by the primary vs by the read replica."""

from __future__ import annotations

import os
import statistics
import time

import click
from rich.console import Console
from rich.table import Table

from dashboard.settings import get_settings
from geo.errors import GridcmdError

DEFAULT_PATHS = ("/api/kpis", "/api/performance?level=grid", "/api/freshness?limit=50")


@click.command("replica")
@click.option("--runs", type=click.IntRange(5, 1000), default=40, show_default=True,
              help="Timed requests per endpoint and side (after three warm-up requests).")
@click.option("--path", "paths", multiple=True, metavar="PATH",
              help="A read-only endpoint to time (repeatable; default: KPIs, ranking, "
                   "freshness).")
def bench_replica(runs: int, paths: tuple[str, ...]) -> None:
    """Time reads through an app on the primary only and one with GRIDCMD_REPLICA_URL,
    interleaved request by request (p50/p95 ms), with the load average."""
    from dashboard.app import close_app, create_app
    from dashboard.auth.login import form_token
    from dashboard.bench import BENCH_USER, bench_password
    from dashboard.state import get_state
    from geo.database import connect, server_url

    settings = get_settings()
    if not settings.replica_url:
        raise GridcmdError("set GRIDCMD_REPLICA_URL first (`gridcmd db replica start` prints it)")
    for path in paths:
        if not path.startswith("/api/") or any(c in path for c in "\r\n "):
            raise GridcmdError(f"--path must be an /api/ path without spaces: {path[:80]!r}")
    url = server_url(settings)
    with connect(url, settings) as conn:
        password = bench_password(conn)
    # where reads go and what they cost, so no answer cache (its repeats would be hits)
    settings = settings.model_copy(update={"response_cache_mb": 0})
    apps = {"primary": create_app(settings.model_copy(update={"replica_url": None}),
                                  database_url=url),
            "replica": create_app(settings, database_url=url)}
    try:
        clients = {}
        for side, app in apps.items():
            client = app.server.test_client()
            token = form_token(client.get("/login").get_data(as_text=True))
            answer = client.post("/login", data={"csrf": token, "username": BENCH_USER,
                                                 "password": password})
            if answer.status_code != 303:
                raise GridcmdError(f"the benchmark user could not sign in ({side})")
            client.delete_cookie("gridcmd_wrote")  # time the replica, not read-your-writes
            clients[side] = client
        router = get_state(apps["replica"].server).replica
        if not router.serves():
            raise GridcmdError(f"the replica does not serve reads: {router.describe()}")
        rows = []
        for path in paths or DEFAULT_PATHS:
            times: dict[str, list[float]] = {side: [] for side in clients}
            for i in range(runs + 3):
                for side, client in clients.items():
                    start = time.perf_counter()
                    answer = client.get(path)
                    elapsed = (time.perf_counter() - start) * 1000
                    if answer.status_code != 200:
                        raise GridcmdError(f"{path} answered {answer.status_code} ({side})")
                    if i >= 3:
                        times[side].append(elapsed)
            rows.append((path, *(_p50_p95(times[side]) for side in ("primary", "replica"))))
        served = router.describe()
    finally:
        for app in apps.values():
            close_app(app)
    table = Table(title=f"gridcmd bench replica · {runs} runs each, interleaved")
    for column in ("endpoint", "primary p50", "primary p95", "replica p50", "replica p95"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for path, (p50, p95), (r50, r95) in rows:
        table.add_row(path, f"{p50:.1f} ms", f"{p95:.1f} ms", f"{r50:.1f} ms", f"{r95:.1f} ms")
    console = Console()
    console.print(table)
    console.print(f"replica after the run: state {served['state']}, lag {served['lag_s']} s; "
                  "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg()))


def _p50_p95(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[18]
