"""`gridcmd export snapshot`: the map as a PNG or PDF file, rendered by headless Chromium."""

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
    """Export map snapshots (PNG, PDF) and the daily briefing (PDF)."""


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
def snapshot_command(out: Path, layers: str | None, bbox: str | None, size: str | None,
                     since: str | None, until: str | None, title: str | None) -> None:
    """Render the print view of the map to FILE.png or FILE.pdf."""
    from dashboard.export.params import check_out, parse_params
    from layers import REGISTRY

    # Every parameter is checked before the database, the server or the browser start.
    params = parse_params({"layers": layers, "bbox": bbox, "size": size, "since": since,
                           "until": until, "title": title}, REGISTRY)
    out = check_out(out)

    from dashboard.export import browser

    browser.start()  # Chromium starts while the database and the app get ready

    from dashboard.app import close_app, create_app
    from dashboard.export.snapshot import snapshot
    from geo.bootstrap import ensure_database
    from geo.settings import get_settings

    console = Console(stderr=True)
    started = time.perf_counter()
    settings = get_settings()
    with console.status("connecting to the database …") as status:
        app = create_app(settings, database_url=ensure_database(settings))
        try:
            with serving(app.server) as base_url:
                status.update(f"drawing {out.name} in headless Chromium …")
                # One picture, then exit: preloading a next page would only delay the exit.
                snapshot(base_url, params, out, keep_warm=False)
        finally:
            close_app(app)
    console.print(f"[green]written[/] {out} ({out.stat().st_size / 1024:,.0f} KB, "
                  f"{time.perf_counter() - started:.1f} s)")


@export.command("briefing")
@click.option("--config", "config", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The briefing's TOML file.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: FILE.pdf.")
def briefing_command(config: Path, out: Path) -> None:
    """Write the daily briefing PDF: a cover with the headline figures, one page per view."""
    from dashboard.export.briefing import load_config
    from dashboard.export.params import check_out
    from geo.features import BadParameter
    from layers import REGISTRY

    # The whole config is checked before the database, the server or the browser start.
    brief = load_config(config, REGISTRY)
    out = check_out(out)
    if out.suffix.lower() != ".pdf":
        raise BadParameter("out", f"a briefing is a PDF: {str(out)[:80]!r}")

    from dashboard.export import browser

    browser.start()

    from dashboard.app import close_app, create_app
    from dashboard.export.briefing import write_briefing
    from dashboard.state import get_state
    from geo.bootstrap import ensure_database
    from geo.kpis import kpis
    from geo.settings import get_settings
    from geo.timewindow import parse_window

    console = Console(stderr=True)
    started = time.perf_counter()
    settings = get_settings()
    with console.status("connecting to the database …") as status:
        app = create_app(settings, database_url=ensure_database(settings))
        try:
            with get_state(app.server).pool.connection() as conn:
                figures = kpis(conn, parse_window(brief.since, brief.until))
            with serving(app.server) as base_url:
                status.update(f"drawing {out.name} ({len(brief.views) + 1} pages) …")
                write_briefing(base_url, brief, figures, out, settings.lang)
        finally:
            close_app(app)
    console.print(f"[green]written[/] {out} ({out.stat().st_size / 1024:,.0f} KB, "
                  f"{len(brief.views) + 1} pages, {time.perf_counter() - started:.1f} s)")


@contextmanager
def serving(server: Flask) -> Iterator[str]:
    """Serve `server` on a free 127.0.0.1 port in a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    # One line per request would bury the progress display.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="gridcmd-export-server",
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        thread.join(5)
