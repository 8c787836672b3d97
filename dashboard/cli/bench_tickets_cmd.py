"""`gridcmd bench tickets`: push throughput, change-feed latency and step p95 over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dashboard.settings import get_settings


@click.command("tickets")
@click.option("--scale", type=click.Choice(["town", "district"]), default="district",
              show_default=True, help="Data size: one town, or ten (district).")
@click.option("--pushes", type=click.IntRange(20, 100_000), default=400, show_default=True,
              help="Tickets pushed sequentially, and again by the parallel clients.")
@click.option("--clients", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON file to write (default: bench-tickets-SCALE.json).")
def bench_tickets(scale: str, pushes: int, clients: int, out: Path | None) -> None:
    """Time the 接诉即办 loop against a real server over the benchmark database."""

    from dashboard.bench import BENCH_USER, bench_password
    from dashboard.tickets.bench import run_bench
    from geo.bootstrap import ensure_database
    from geo.database import connect
    from geo.demo import SCALES, load_demo

    settings = get_settings()
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    with connect(url, settings) as conn:
        towns = conn.execute("SELECT count(*) FROM towns").fetchone()[0]
        password = bench_password(conn)
    if towns != SCALES[scale]:
        click.echo(f"loading the demo at {scale} scale into the benchmark database …")
        load_demo(url, scale=scale, progress=True)
    with connect(url, settings) as conn:
        tickets, events = conn.execute("SELECT (SELECT count(*) FROM incidents), "
                                       "(SELECT count(*) FROM ticket_events)").fetchone()
    figures = run_bench(url, settings, (BENCH_USER, password), pushes, clients,
                        step=lambda text: click.echo(text, err=True))
    figures.update(scale=scale, tickets=tickets, events=events)
    for key, value in figures.items():
        click.echo(f"{key:<26} {value:,.1f}" if isinstance(value, float) else
                   f"{key:<26} {value}")
    out = out or Path(f"bench-tickets-{scale}.json")
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"written {out}")
