"""`gridcmd serve`: make sure the database is ready, then serve the dashboard."""

from __future__ import annotations

import click

from geo.settings import get_settings


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default: GRIDCMD_HOST).")
@click.option("--port", default=None, type=int, help="Port (default: GRIDCMD_PORT, 8050).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the command map on http://HOST:PORT (starts and migrates the database first)."""
    from dashboard.app import close_app, create_app
    from geo.bootstrap import ensure_database

    settings = get_settings()
    url = ensure_database(settings)
    app = create_app(settings, database_url=url)
    host = host or settings.host
    port = port or settings.port
    click.echo(f"gridcmd: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        # waitress is not installed; Flask's threaded server is enough for one command hall.
        app.run(host=host, port=port, debug=False)
    finally:
        close_app(app)
