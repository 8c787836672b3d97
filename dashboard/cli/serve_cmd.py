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
    _first_admin(settings, url)
    app = create_app(settings, database_url=url)
    worker = None
    if settings.ticket_worker_s > 0:  # 接诉即办: outbox delivery and escalation
        from geo.ticket_worker import TicketWorker

        worker = TicketWorker(url, settings)
        worker.start()
    host = host or settings.host
    port = port or settings.port
    click.echo(f"gridcmd: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    from waitress import serve as serve_wsgi

    try:
        # A production WSGI server (pure Python): one thread per pooled database connection.
        serve_wsgi(app.server, host=host, port=port, threads=max(4, settings.pool_max),
                   ident="gridcmd", clear_untrusted_proxy_headers=True)
    finally:
        if worker is not None:
            worker.stop()
        close_app(app)


def _first_admin(settings, url: str) -> None:
    """On a fresh install (no users) create `admin` with a random password, shown once."""
    import secrets
    from pathlib import Path

    from geo import audit
    from geo.database import connect
    from geo.users import add_user, has_users

    with connect(url, settings) as conn:
        if has_users(conn):
            return
        password = secrets.token_urlsafe(12)
        add_user(conn, "admin", password, "admin", display_name="初始管理员")
        database = conn.info.dbname
        audit.record(conn, "cli:serve", "admin", "user_admin", "admin", {"op": "first admin"})
        conn.commit()
    note = Path(settings.home) / "initial-admin-password"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.touch(mode=0o600)
    note.write_text(password + "\n")
    click.secho(f"首次启动：数据库 {database} 已创建管理员 admin，密码 {password}"
                f"（也保存在 {note}）\n"
                f"first start: user admin created in database {database}, password {password} "
                f"(also in {note}); "
                "add users with `gridcmd user add`", fg="yellow")
