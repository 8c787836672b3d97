"""`gridcmd export snapshot|briefing|bench`: map snapshots (PNG, PDF) and the daily briefing,
rendered by headless Chromium, and their timings."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from rich.console import Console


@click.group("export")
def export() -> None:
    """Export map snapshots (PNG, PDF) and the daily briefing (PDF); time them."""


@contextmanager
def _export_app(console: Console) -> Iterator[tuple]:
    """(app, settings, status line) over the configured database for one export, closed
    after it; the console shows "connecting …" until the export says what it draws."""
    from dashboard.app import close_app, create_print_app
    from dashboard.settings import get_settings
    from geo.bootstrap import ensure_database

    settings = get_settings()
    with console.status("connecting to the database …") as status:
        # the print view and the layer API only: the one-off process serves nothing else
        app = create_print_app(settings, database_url=ensure_database(settings))
        _warm_up()
        try:
            yield app, settings, status
        finally:
            close_app(app)


def _warm_up() -> None:
    """Ready what the first print page needs while Chromium starts (a one-off process pays
    for every first time): the place names' pinyin dictionaries, loaded in the background,
    and Dash's answers encoded by the standard library — with orjson installed, plotly's
    encoder asks it for numpy support, which imports numpy (~0.15 s) on the first answer."""
    import plotly.io

    from geo.place_names import preload

    plotly.io.json.config.default_engine = "json"
    threading.Thread(target=preload, name="gridcmd-preload", daemon=True).start()


@export.command("snapshot")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: FILE.png or FILE.pdf.")
@click.option("--layers", default=None, help="Layer ids, comma-separated "
              "(default: the default-visible area and line layers).")
@click.option("--bbox", default=None, help="west,south,east,north in WGS84 degrees "
              "(default: the town).")
@click.option("--size", default=None, help="WIDTHxHEIGHT in pixels (default 1920x1080).")
@click.option("--since", default=None, help="Window start, YYYY-MM-DD (default: 30 days ago).")
@click.option("--until", default=None, help="Window end, YYYY-MM-DD, inclusive (default: now).")
@click.option("--title", default=None, help="Map title (default: the town's command map).")
@click.option("--h3", "h3", default=None, help="H3 overlay with its legend: population, "
              "floating_ratio, cases, tickets or coverage (default: none).")
@click.option("--lang", default=None, help="zh or en: title bar, legend, labels "
              "(default: GRIDCMD_LANG).")
@click.option("--paper", default=None, help="PDF only: A4 (default) or A3, always landscape; "
              "the page is laid out at the paper's size, so --size applies to PNGs.")
def snapshot_command(out: Path, layers: str | None, bbox: str | None, size: str | None,
                     since: str | None, until: str | None, title: str | None, h3: str | None,
                     lang: str | None, paper: str | None) -> None:
    """Render the print view of the map to FILE.png or FILE.pdf (landscape A4/A3 page).

    The picture shows the whole --bbox (default: the whole town) with title, legend, scale
    bar, north arrow, time window, data-as-of time and source line.
    """
    from dashboard.export.params import check_out, parse_params
    from layers import REGISTRY

    # Every parameter is checked before the database, the server or the browser start.
    params = parse_params({"layers": layers, "bbox": bbox, "size": size, "since": since,
                           "until": until, "title": title, "h3": h3, "lang": lang,
                           "paper": paper}, REGISTRY)
    out = check_out(out)

    from dashboard.export import browser

    browser.start()  # Chromium starts while the database and the app get ready

    from dashboard.export.snapshot import snapshot

    console = Console(stderr=True)
    started = time.perf_counter()
    with _export_app(console) as (app, _settings, status), serving(app.server) as base_url:
        status.update(f"drawing {out.name} in headless Chromium …")
        # One picture, then exit: preloading a next page would only delay the exit.
        snapshot(base_url, params, out, keep_warm=False)
    console.print(f"[green]written[/] {out} ({out.stat().st_size / 1024:,.0f} KB, "
                  f"{time.perf_counter() - started:.1f} s)")


@export.command("briefing")
@click.option("--config", "config", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The briefing's config: TOML, JSON (.json) or YAML (.yaml/.yml).")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: FILE.pdf.")
@click.option("--example", is_flag=True,
              help="Print an example config (five views) and exit: "
                   "gridcmd export briefing --example > daily.toml")
def briefing_command(config: Path | None, out: Path | None, example: bool) -> None:
    """Write the daily briefing PDF: a cover with the headline figures, one page per view.

    \b
    The config (TOML; the same keys in JSON or YAML):
      title = "马驹桥镇每日简报"       the cover's title
      days = 14                        or since = / until = (YYYY-MM-DD)
      paper = "A4"                     A4 (default) or A3; every page landscape
      lang = "zh"                      zh or en
      [[views]]                        one map page each (at most 10)
      title = "近两周病例"
      layers = ["town", "cases"]       layer ids (GET /api/layers)
      bbox = "w,s,e,n"                 optional (default: the whole town)
      h3 = "cases"                     optional H3 overlay
    A bad key is named (views[2].layers) and nothing is drawn.
    Start from the example: gridcmd export briefing --example > daily.toml
    """
    if example:
        from dashboard.export.briefing_example import EXAMPLE

        click.echo(EXAMPLE, nl=False)
        return
    if config is None or out is None:
        raise click.UsageError("give --config FILE and --out FILE.pdf "
                               "(or --example to print a config to start from)")
    from dashboard.export.briefing import load_config
    from dashboard.export.params import check_out
    from geo.errors import BadParameter
    from layers import REGISTRY

    # The whole config is checked before the database, the server or the browser start.
    brief = load_config(config, REGISTRY)
    out = check_out(out)
    if out.suffix.lower() != ".pdf":
        raise BadParameter("out", f"a briefing is a PDF: {str(out)[:80]!r}")

    from dashboard.export import browser

    browser.start()

    from dashboard.export.briefing import briefing_facts, write_briefing
    from dashboard.state import get_state

    console = Console(stderr=True)
    started = time.perf_counter()
    with _export_app(console) as (app, settings, status):
        with get_state(app.server).pool.connection() as conn:
            figures, as_of = briefing_facts(conn, brief)
        with serving(app.server) as base_url:
            status.update(f"drawing {out.name} ({len(brief.views) + 1} pages) …")
            write_briefing(base_url, brief, figures, out, settings.lang, as_of)
    console.print(f"[green]written[/] {out} ({out.stat().st_size / 1024:,.0f} KB, "
                  f"{len(brief.views) + 1} pages, {time.perf_counter() - started:.1f} s)")


@export.command("bench")
@click.option("--runs", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Timed warm snapshots (cold processes and briefings: a third of it).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("bench-snapshot.json"), show_default=True, help="JSON file to write.")
def bench_command(runs: int, out: Path) -> None:
    """Time snapshots (1920x1080 PNG, warm and cold) and a five-view briefing."""
    import json
    import os

    from rich.table import Table

    from dashboard.app import close_app, create_app
    from dashboard.export import browser
    from dashboard.export.bench_snapshot import (
        briefing_args,
        cold_runs,
        cold_snapshot_args,
        warm_snapshots,
    )
    from dashboard.settings import get_settings
    from geo.bootstrap import ensure_database
    from layers import REGISTRY

    console = Console(stderr=True)
    settings = get_settings()
    url = ensure_database(settings)
    env = {**os.environ, "GRIDCMD_DATABASE_URL": url}
    few = max(1, runs // 3)
    browser.start()
    app = create_app(settings, database_url=url)
    try:
        with serving(app.server) as base_url, console.status("warm snapshots …") as status:
            timings = [warm_snapshots(base_url, REGISTRY, runs)]
            status.update("cold snapshots (a new gridcmd process each) …")
            timings.append(cold_runs("snapshot_png_cold", cold_snapshot_args, few, env))
            status.update("five-view briefings …")
            timings.append(cold_runs("briefing_five_views", briefing_args, few, env))
    finally:
        close_app(app)
        browser.close()
    table = Table(title="gridcmd export bench · 1920x1080 PNG, five-view briefing")
    for column in ("export", "runs", "p50 s", "max s", "goal s", "met"):
        table.add_column(column, justify="left" if column == "export" else "right")
    for timing in timings:
        table.add_row(timing.name, str(len(timing.runs)), f"{timing.p50:.2f}",
                      f"{timing.worst:.2f}", f"{timing.goal_s:.0f}",
                      "yes" if timing.p50 <= timing.goal_s else "NO")
    Console().print(table)
    out.write_text(json.dumps([t.as_dict() for t in timings], indent=2), encoding="utf-8")
    console.print(f"written {out}")


@contextmanager
def serving(server: Flask) -> Iterator[str]:
    """Serve `server` on a free 127.0.0.1 port in a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    # One line per request would bury the progress display.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    # a short poll interval: shutdown() waits for the loop's next turn (0.5 s by default)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              name="gridcmd-export-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        thread.join(5)
