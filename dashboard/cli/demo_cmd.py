"""`gridcmd demo`: generate and load the synthetic Majuqiao town (idempotent)."""

from __future__ import annotations

import time

import click
from rich.console import Console
from rich.table import Table

from geo.database import connect
from geo.settings import get_settings


@click.command("demo")
@click.option("--scale", type=click.Choice(["town", "district", "city"]), default="town",
              show_default=True,
              help="town: Majuqiao only; district: ten towns (10x rows); city: fifty towns.")
@click.option("--towns", type=click.IntRange(1, 400), default=None,
              help="Generate this many towns (distinct town codes, side by side) instead of "
                   "the scale's number; same generator, loaded with COPY.")
@click.option("--seed", type=int, default=20220501, show_default=True,
              help="Same seed (and same day) gives identical rows.")
@click.option("--if-empty", is_flag=True,
              help="Load only when the database holds no town yet (used by `make run`).")
def demo(scale: str, towns: int | None, seed: int, if_empty: bool) -> None:
    """Load the synthetic demo town (马驹桥镇) into the database, replacing its old rows."""
    from geo.bootstrap import ensure_database
    from geo.demo import load_demo

    settings = get_settings()
    started = time.perf_counter()
    url = ensure_database(settings)
    if if_empty:
        with connect(url, settings) as conn:
            towns = conn.execute("SELECT count(*) FROM towns").fetchone()[0]
        if towns:
            click.echo(f"the database already holds {towns} town(s); demo not reloaded")
            return
    counts = load_demo(url, scale=scale, seed=seed, progress=True, towns=towns)
    elapsed = time.perf_counter() - started

    size = f"{towns} towns" if towns else scale
    table = Table(title=f"demo {size} · seed {seed}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in counts.items():
        table.add_row(name, f"{rows:,}")
    table.add_row("[bold]total[/bold]", f"[bold]{sum(counts.values()):,}[/bold]")
    console = Console()
    console.print(table)
    console.print(f"loaded in {elapsed:.1f} s")
