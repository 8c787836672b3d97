"""`gridcmd bench connections`: idle sockets tolerated, and 50/200 keep-alive clients."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

DEFAULT_STEPS = "50,100,150,200,300,400,600,800"


@contextmanager
def _own_server(console: Console) -> Iterator[str]:
    """`gridcmd serve` on a free loopback port over the configured database."""
    from dashboard.bench_connections import health_time
    from dashboard.serve_process import free_port, serve_process
    from dashboard.settings import get_settings
    from geo.bootstrap import ensure_database

    ensure_database(get_settings())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serve_process(port, stop_wait_s=15) as proc:
        deadline = time.monotonic() + 90
        while health_time(base) == float("inf"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise click.ClickException("the benchmark's gridcmd serve did not start")
            time.sleep(0.5)
        console.print(f"serving {base} (pid {proc.pid})")
        yield base


@click.command("connections")
@click.option("--url", default=None, help="A running server on loopback (default: start "
              "its own `gridcmd serve` on a free port over the configured database).")
@click.option("--idle-steps", default=DEFAULT_STEPS, show_default=True,
              help="Idle connections to hold, step by step, while timing /healthz.")
@click.option("--clients", "client_counts", multiple=True, type=click.IntRange(1, 1000),
              default=(50, 200), show_default=True, help="Keep-alive clients (repeatable).")
@click.option("--seconds", type=click.FloatRange(1, 600), default=60, show_default=True,
              help="How long each client count runs.")
@click.option("--path", default="/healthz", show_default=True, help="What the clients ask.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON file to write (default: bench-connections.json).")
def bench_connections(url: str | None, idle_steps: str, client_counts: tuple[int, ...],
                      seconds: float, path: str, out: Path | None) -> None:
    """Idle connections held while /healthz stays under 1 s; keep-alive clients: errors, p95."""
    from dashboard.bench_connections import idle_steps as run_idle
    from dashboard.bench_connections import keep_alive_load, loopback_address

    console = Console()
    steps = [int(x) for x in idle_steps.split(",") if x.strip()]
    if url:
        try:
            loopback_address(url)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    with (_own_server(console) if url is None else _given(url)) as base:
        idle = run_idle(base, steps, lambda s: console.print(
            f"idle {s.idle} (open {s.opened}): /healthz {s.health_s * 1000:.0f} ms"))
        loads = []
        for count in client_counts:
            console.print(f"{count} keep-alive clients on {path} for {seconds:.0f} s …")
            loads.append(keep_alive_load(base, count, seconds, path))
    tolerated = max((s.opened for s in idle if s.ok), default=0)
    table = Table(title=f"gridcmd bench connections · {path}")
    for column in ("clients", "seconds", "requests", "errors", "time-outs", "p50 ms",
                   "p95 ms", "max ms"):
        table.add_column(column, justify="right")
    for f in loads:
        table.add_row(str(f.clients), f"{f.seconds:.0f}", f"{f.requests:,}", str(f.errors),
                      str(f.timeouts), f"{f.p50_ms:.1f}", f"{f.p95_ms:.1f}", f"{f.max_ms:.0f}")
    console.print(f"idle connections held with /healthz < 1 s: {tolerated}"
                  + ("" if idle and not idle[-1].ok else " (the largest step tried)"))
    console.print(table)
    out = out or Path("bench-connections.json")
    out.write_text(json.dumps({
        "idle_tolerated": tolerated,
        "idle_steps": [{"idle": s.idle, "opened": s.opened, "ok": s.ok,
                        "health_ms": None if s.health_s == float("inf") else s.health_s * 1000}
                       for s in idle],
        "keep_alive": [f.as_dict() for f in loads], "path": path}, indent=2), encoding="utf-8")
    console.print(f"written {out}")


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url.rstrip("/")
