"""`gridcmd bench load`: concurrent clients against `gridcmd serve --workers N` on loopback."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from dashboard.settings import get_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@click.command("load")
@click.option("--scale", type=click.Choice(["town", "district"]), default="district",
              show_default=True, help="The benchmark database to serve (loaded if missing).")
@click.option("--workers", type=click.IntRange(1, 8), default=1, show_default=True,
              help="Server processes (`gridcmd serve --workers`).")
@click.option("--clients", "clients_list", type=click.IntRange(1, 500), multiple=True,
              help="Concurrent clients (repeatable: one run per value; default 50).")
@click.option("--seconds", type=click.IntRange(1, 600), default=60, show_default=True,
              help="Length of each run.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON file to write (default: bench-load.json).")
def bench_load(scale: str, workers: int, clients_list: tuple[int, ...], seconds: int,
               out: Path | None) -> None:
    """Start a server on a loopback port over the benchmark database, then time N clients
    asking the benchmark's endpoints: requests, errors by status, p50/p95/p99."""
    from dashboard.bench import BENCH_USER, bench_password, targets
    from dashboard.loadbench import run_load, sign_in_cookie, wait_until_up
    from geo.bootstrap import ensure_database
    from geo.database import connect
    from geo.demo import SCALES, load_demo

    settings = get_settings()
    console = Console()
    name = f"{settings.database_name}_bench_{scale}"
    url = ensure_database(settings, name)
    with connect(url, settings) as conn:
        if conn.execute("SELECT count(*) FROM towns").fetchone()[0] != SCALES[scale]:
            conn.close()
            load_demo(url, scale=scale, progress=True)
    with connect(url, settings) as conn:
        password = bench_password(conn)
        # The interactive endpoints; the zone proposal (a deliberate, heavier action) is left out.
        paths = [t.path for t in targets(conn) if "zone proposal" not in t.name]

    port = _free_port()
    env = {**os.environ, "GRIDCMD_DATABASE_NAME": name}
    if settings.database_url:
        env["GRIDCMD_DATABASE_URL"] = url
    server = subprocess.Popen(  # our own child; stopped by its pid below
        [sys.executable, "-m", "dashboard.cli", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers)], env=env, start_new_session=True)
    runs = []
    try:
        wait_until_up(port)
        cookie = sign_in_cookie(port, BENCH_USER, password)
        for clients in clients_list or (50,):
            with console.status(f"{clients} clients for {seconds} s on {workers} worker(s)"):
                runs.append(run_load(port, cookie, paths, clients, seconds).summary())
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and its workers (its own group)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    table = Table(title=f"gridcmd bench load · {scale} · {workers} worker(s) · {seconds} s · "
                        f"{len(paths)} endpoints round-robin")
    for column in ("clients", "requests", "req/s", "errors", "by status", "p50 ms", "p95 ms",
                   "p99 ms"):
        table.add_column(column, justify="right")
    for r in runs:
        table.add_row(str(r["clients"]), f"{r['requests']:,}", f"{r['requests_per_s']:.1f}",
                      str(r["errors"]), ", ".join(f"{k}: {v}" for k, v in r["by_status"].items()),
                      f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}")
    console.print(table)
    out = out or Path("bench-load.json")
    out.write_text(json.dumps({"scale": scale, "workers": workers, "seconds": seconds,
                               "paths": paths, "runs": runs}, ensure_ascii=False, indent=2),
                   encoding="utf-8")
    console.print(f"written {out}")
