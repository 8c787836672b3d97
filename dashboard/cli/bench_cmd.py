"""`gridcmd bench`: the performance figures, printed as a table and written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
from psycopg import sql
from rich.console import Console
from rich.table import Table

from dashboard.settings import get_settings


@click.command("bench")
@click.option("--scale", type=click.Choice(["town", "district", "city"]), default="town",
              show_default=True, help="Data size: one town, ten (district) or fifty (city).")
@click.option("--towns", type=click.IntRange(1, 400), default=None,
              help="Number of demo towns instead of the scale's (e.g. --scale city --towns 20).")
@click.option("--runs", type=click.IntRange(3, 1000), default=20, show_default=True,
              help="Timed requests per endpoint (after two warm-up requests).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON file to write (default: bench-SCALE.json).")
@click.option("--reload", is_flag=True, help="Reload the demo data even if it is there.")
@click.option("--only", multiple=True, metavar="WORDS",
              help="Only the endpoints whose name contains WORDS (repeatable).")
def bench(scale: str, towns: int | None, runs: int, out: Path | None, reload: bool,
          only: tuple[str, ...]) -> None:
    """Time every API endpoint against its floor, the plainest SQL giving the same figures
    (p50/p95, payload, ratio), the two interleaved."""
    from dashboard.app import close_app, create_app
    from dashboard.bench import as_json, run, signed_in_client
    from geo.bootstrap import ensure_database
    from geo.database import connect
    from geo.demo import load_demo, town_count

    settings = get_settings()
    console = Console()
    # Its own database per scale, so a benchmark never replaces the town being served.
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    wanted = town_count(scale, towns)
    with connect(url, settings) as conn:
        stored = conn.execute("SELECT count(*) FROM towns").fetchone()[0]
    if reload or stored != wanted:
        console.print(f"loading the demo ({wanted} towns) into the benchmark database …")
        load_demo(url, scale=scale, progress=True, towns=towns)
    with connect(url, settings) as conn:
        counts = {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
                      sql.Identifier(t))).fetchone()[0]
                  for t in ("buildings", "households", "incidents", "cases")}
    # what an answer costs to compute, so no answer cache (its repeats would be hits)
    app = create_app(settings.model_copy(update={"response_cache_mb": 0}), database_url=url)
    try:
        with connect(url, settings) as conn, console.status("benchmarking") as status:
            figures = run(signed_in_client(app.server, conn), conn, runs,
                          lambda name: status.update(f"benchmarking {name}"), only)
    finally:
        close_app(app)

    table = Table(title=f"gridcmd bench · {scale} · {wanted} towns · "
                        f"{counts['buildings']:,} buildings, {counts['households']:,} households, "
                        f"{counts['incidents']:,} tickets · {runs} runs, with the floor")
    for column in ("endpoint", "p50 ms", "p95 ms", "floor p50 ms", "floor p95 ms", "ratio",
                   "payload"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for f in figures:
        table.add_row(f.name, f"{f.p50_ms:.1f}", f"{f.p95_ms:.1f}", f"{f.sql_p50_ms:.1f}",
                      f"{f.floor_p95_ms:.1f}", f"{f.ratio:.2f}×", f"{f.bytes / 1024:,.1f} KB")
    console.print(table)
    out = out or Path(f"bench-{scale}.json")
    out.write_text(json.dumps(as_json(scale, figures, counts), ensure_ascii=False, indent=2),
                   encoding="utf-8")
    console.print(f"written {out}")
