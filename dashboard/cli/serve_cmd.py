"""`gridcmd serve`: make sure the database is ready, then serve the dashboard."""

from __future__ import annotations

import click

from geo.settings import get_settings


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on (default: GRIDCMD_HOST).")
@click.option("--port", default=None, type=int, help="Port (default: GRIDCMD_PORT, 8050).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Server processes. 1: waitress in this process; more: gunicorn with "
                   "threaded workers sharing one socket.")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the command map on http://HOST:PORT (starts and migrates the database first)."""
    from dashboard.app import close_app, create_app
    from geo.bootstrap import ensure_database

    settings = get_settings()
    url = ensure_database(settings)
    _first_admin(settings, url)
    host = host or settings.host
    port = port or settings.port
    worker = None
    if settings.ticket_worker_s > 0:  # 接诉即办: outbox delivery and escalation (this process)
        from geo.ticket_worker import TicketWorker

        worker = TicketWorker(url, settings)
        worker.start()
    if settings.replica_url:
        from geo.database import check_replica_url, describe_target

        check_replica_url(settings)
        click.echo(f"gridcmd: read-only requests use the replica at "
                   f"{describe_target(settings.replica_url)} while it lags at most "
                   f"{settings.replica_max_lag_s:g} s")
    if workers > 1:
        from dashboard.cli.workers import serve_workers

        click.echo(f"gridcmd: serving on http://{host}:{port}/ with {workers} worker "
                   "processes (Ctrl-C to stop)")
        try:
            serve_workers(settings, url, host, port, workers)
        finally:
            if worker is not None:
                worker.stop()
        return
    app = create_app(settings, database_url=url)
    click.echo(f"gridcmd: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    from waitress import serve as serve_wsgi

    try:
        serve_wsgi(app.server, host=host, port=port, **waitress_options(settings))
    finally:
        if worker is not None:
            worker.stop()
        close_app(app)


def waitress_options(settings) -> dict:
    """How waitress holds connections: many cheap sockets, few threads, short idle time.

    Waitress reads requests on one asynchronous loop and hands only complete ones to its
    threads, so an idle or slow client costs a socket, not a thread; the limit on sockets is
    raised from waitress's 100 (which ~100 idle connections used to fill, starving every other
    client) and idle ones are closed after GRIDCMD_HTTP_IDLE_TIMEOUT_S. poll() instead of
    select() so descriptors above 1024 work. One thread per pooled database connection.
    """
    from dashboard.auth.guard import body_limit

    limit = settings.http_connection_limit
    _raise_open_files(limit + 200)  # sockets, plus the pool, logs and the browser's pipes
    return {
        "threads": max(4, settings.pool_max),
        "connection_limit": limit,
        "channel_timeout": settings.http_idle_timeout_s,
        "cleanup_interval": max(1, min(10, settings.http_idle_timeout_s // 2)),
        "asyncore_use_poll": True,
        "backlog": 2048,
        "max_request_body_size": body_limit(settings),  # larger bodies: 413 before reading
        "ident": "gridcmd",
        "clear_untrusted_proxy_headers": True,
    }


def _raise_open_files(wanted: int) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


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
