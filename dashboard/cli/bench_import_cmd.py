"""`gridcmd bench import`: import throughput from district-scale GeoPackages, rows/s per kind.

`gridcmd bench` stays what it was (the API benchmark, same options); `bench_group` adds the
`import` subcommand beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from dashboard.cli.bench_cmd import bench
from dashboard.cli.bench_connections_cmd import bench_connections
from dashboard.cli.bench_ogc_cmd import bench_ogc
from dashboard.settings import get_settings
from geo.importing.fields import KINDS

_DEFAULT_KINDS = ("buildings", "households", "incidents", "cases")


@click.command("import")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Kind to time (repeatable; default: buildings, households, incidents, "
                   "cases). Their parents are imported first, untimed.")
@click.option("--rows", type=click.IntRange(1), default=None,
              help="At most N rows per timed kind (default: the whole district).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON file to write (default: bench-import.json).")
def bench_import(kinds: tuple[str, ...], rows: int | None, out: Path | None) -> None:
    """Export the district demo to GeoPackages, import them into a scratch database, rows/s."""
    from geo.importing.benchmark import run_benchmark, totals

    console = Console()
    chosen = list(kinds or _DEFAULT_KINDS)
    with console.status("benchmarking imports") as status:
        figures = run_benchmark(get_settings(), chosen, rows, step=status.update)
    table = Table(title="gridcmd bench import · demo GeoPackages → scratch database "
                        "(* parent, untimed; stage columns in seconds)")
    stages = {"reading": "read", "validating": "check", "writing": "write",
              "refreshing": "rollups"}
    for column in ("kind", "rows", "seconds", "rows/s", *stages.values()):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for f in figures:
        label = f"{f.kind} ({f.geometry})" + ("" if f.timed else " *")
        table.add_row(label, f"{f.rows:,}", f"{f.seconds:.2f}", f"{f.per_second:,.0f}",
                      *(f"{f.stages[s]:.2f}" if s in f.stages else "–" for s in stages))
    console.print(table)
    summary = totals(figures)
    for geometry, label in (("point", "points/s"), ("polygon", "polygons/s"),
                            ("none", "table rows/s")):
        if geometry in summary:
            console.print(f"{label}: {summary[geometry]:,.0f}")
    out = out or Path("bench-import.json")
    out.write_text(json.dumps({
        "figures": [{"kind": f.kind, "geometry": f.geometry, "rows": f.rows,
                     "seconds": round(f.seconds, 3), "rows_per_s": round(f.per_second),
                     "timed": f.timed,
                     "stages_s": {k: round(v, 3) for k, v in f.stages.items()}}
                    for f in figures],
        "totals_per_s": {k: round(v) for k, v in summary.items()}}, indent=2), encoding="utf-8")
    console.print(f"written {out}")


@click.pass_context
def _bench_or_subcommand(ctx: click.Context, **options) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(bench, **options)


# `gridcmd bench [--scale …]` as before; `gridcmd bench import …` for imports.
bench_group = click.Group("bench", params=list(bench.params), help=bench.help,
                          callback=_bench_or_subcommand, invoke_without_command=True,
                          commands=[bench_import, bench_connections])
bench_group.add_command(bench_ogc)  # `gridcmd bench ogc`: the OGC API (dashboard/ogc/bench.py)
