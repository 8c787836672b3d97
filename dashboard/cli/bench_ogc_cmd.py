"""`gridcmd bench ogc`: OGC API items of buildings at limit 1000 and a full ogr2ogr copy."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from dashboard.settings import get_settings


@click.command("ogc")
@click.option("--scale", type=click.Choice(["town", "district"]), default="district",
              show_default=True, help="Data size: one town, or ten (district).")
@click.option("--runs", type=click.IntRange(3, 1000), default=30, show_default=True,
              help="Timed items requests (first page and pages deep in the table).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=1000, show_default=True,
              help="Features per items request.")
@click.option("--page-size", type=click.IntRange(1, 10_000), default=1000, show_default=True,
              help="ogr2ogr's OAPIF PAGE_SIZE for the full copy of the buildings.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON file to write (default: bench-ogc-SCALE.json).")
def bench_ogc(scale: str, runs: int, limit: int, page_size: int, out: Path | None) -> None:
    """Time /ogc/ items of buildings (p50/p95, bytes) and a paged ogr2ogr copy (seconds)."""
    from dashboard.ogc.bench import run
    from geo.bootstrap import ensure_database
    from geo.database import connect
    from geo.demo import SCALES, load_demo

    settings = get_settings()
    console = Console()
    # The same database per scale as `gridcmd bench`: loaded once, never the served town.
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    with connect(url, settings) as conn:
        towns = conn.execute("SELECT count(*) FROM towns").fetchone()[0]
    if towns != SCALES[scale]:
        console.print(f"loading the demo at {scale} scale into the benchmark database …")
        load_demo(url, scale=scale, progress=True)
    with console.status("benchmarking /ogc/") as status:
        f = run(settings, url, runs, limit, page_size, status.update)
    table = Table(title=f"gridcmd bench ogc · {scale} · {f.buildings:,} buildings")
    for column in ("measure", "value"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    table.add_row(f"items limit={f.page_limit} p50", f"{f.p50_ms:.1f} ms")
    table.add_row(f"items limit={f.page_limit} p95", f"{f.p95_ms:.1f} ms")
    table.add_row("items page size", f"{f.page_bytes / 1024:,.1f} KB")
    table.add_row(f"every page by next links, limit={f.copy_page_size}",
                  f"{f.walk_seconds:.1f} s")
    if f.copy_seconds is None:
        table.add_row("ogr2ogr copy", "ogr2ogr not installed (scripts/system-deps.sh)")
    else:
        table.add_row(f"ogr2ogr copy, PAGE_SIZE={f.copy_page_size}",
                      f"{f.copy_seconds:.1f} s ({f.copied:,} features)")
    console.print(table)
    out = out or Path(f"bench-ogc-{scale}.json")
    out.write_text(json.dumps({"scale": scale, **asdict(f)}, indent=2), encoding="utf-8")
    console.print(f"written {out}")
