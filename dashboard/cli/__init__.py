"""`gridcmd`: the command line (database, demo town, server)."""

from __future__ import annotations

import sys

import click

from dashboard.cli.bench_import_cmd import bench_group
from dashboard.cli.bench_load_cmd import bench_load
from dashboard.cli.bench_replica_cmd import bench_replica
from dashboard.cli.bench_tickets_cmd import bench_tickets
from dashboard.cli.demo_cmd import demo
from dashboard.cli.export_cmd import bench_command as export_bench
from dashboard.cli.export_cmd import export
from dashboard.cli.import_cmd import import_
from dashboard.cli.serve_cmd import serve
from dashboard.cli.template_cmd import template
from dashboard.cli.tickets_cmd import tickets
from dashboard.cli.users_cmd import audit, token, user
from dashboard.settings import get_settings
from geo.cluster import EmbeddedCluster
from geo.database import connect, server_url
from geo.errors import GridcmdError
from geo.migrations import migrate


class _Group(click.Group):
    """Turns GridcmdError into a one-line message and exit code 1 (no traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GridcmdError as exc:
            click.secho(f"错误 / error: {exc}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=_Group)
def main() -> None:
    """gridcmd — 城乡结合部基层治理指挥地图 / command map for fringe-town governance."""


@main.group(cls=_Group)
def db() -> None:
    """The database: embedded PostgreSQL + PostGIS, or GRIDCMD_DATABASE_URL."""


def _embedded_only(action: str) -> EmbeddedCluster | None:
    settings = get_settings()
    if settings.database_url:
        click.echo(f"GRIDCMD_DATABASE_URL is set: that server is used; nothing to {action}.")
        return None
    return EmbeddedCluster(settings)


@db.command("start")
def db_start() -> None:
    """Create (once) and start the embedded cluster, create the database, migrate."""
    from geo.bootstrap import ensure_database

    settings = get_settings()
    url = ensure_database(settings)
    click.echo(f"database ready: {url}")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded cluster."""
    cluster = _embedded_only("stop")
    if cluster:
        cluster.stop()
        click.echo("embedded PostgreSQL stopped")


def _report(status, absent: str) -> None:
    """Print a cluster's state; exit 3 unless it runs (`absent`: the word for no data yet)."""
    if status.running:
        click.echo(f"running: pid {status.pid}, port {status.port}, data {status.data_dir}")
        return
    state = "stopped" if status.initialised else absent
    click.echo(f"{state}: port {status.port}, data {status.data_dir}")
    sys.exit(3)


@db.command("status")
def db_status() -> None:
    """Tell whether the database runs; exit 0 if it does, 3 if not."""
    settings = get_settings()
    if settings.database_url:
        with connect(settings.database_url, settings) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
        click.echo(f"external server reachable (PostgreSQL {version})")
        return
    _report(EmbeddedCluster(settings).status(), absent="not initialised")


@db.command("url")
def db_url() -> None:
    """Print the libpq URL (for psql and psycopg)."""
    click.echo(server_url(get_settings()))


@db.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations."""
    from geo.bootstrap import ensure_server

    settings = get_settings()
    ensure_server(settings)
    with connect(server_url(settings), settings) as conn:
        applied = migrate(conn)
    click.echo(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")


@db.group("replica", cls=_Group)
def db_replica() -> None:
    """A streaming read replica of the embedded cluster (for GRIDCMD_REPLICA_URL)."""


def _replica(port: int):
    from geo.cluster import ReplicaCluster

    if _embedded_only("replicate") is None:
        sys.exit(1)
    return ReplicaCluster(get_settings(), port)


_PORT = click.option("--port", type=click.IntRange(1024, 65535), default=None,
                     help="the replica's port (default: GRIDCMD_PG_PORT + 10)")


def _port(port: int | None) -> int:
    return port if port is not None else get_settings().pg_port + 10


@db_replica.command("start")
@_PORT
@click.option("--fresh", is_flag=True, help="clone again from the primary (pg_basebackup)")
def db_replica_start(port: int | None, fresh: bool) -> None:
    """Clone the embedded cluster into <home>/replica (pg_basebackup -R, once) and start it."""
    replica = _replica(_port(port))
    if fresh:
        replica.destroy()
    status = replica.start()
    click.echo(f"read replica running: pid {status.pid}, port {status.port}, "
               f"data {status.data_dir}")
    click.echo(f"GRIDCMD_REPLICA_URL={replica.url()}")


@db_replica.command("stop")
@_PORT
def db_replica_stop(port: int | None) -> None:
    """Stop the read replica (its data stays; the next start catches up)."""
    _replica(_port(port)).stop()
    click.echo("read replica stopped")


@db_replica.command("status")
@_PORT
def db_replica_status(port: int | None) -> None:
    """Tell whether the read replica runs; exit 0 if it does, 3 if not."""
    _report(_replica(_port(port)).status(), absent="not cloned")


main.add_command(serve)

main.add_command(demo)
main.add_command(bench_group)  # `gridcmd bench` and `gridcmd bench import`
bench_group.add_command(export_bench, "snapshot")  # `gridcmd bench snapshot` = `export bench`
bench_group.add_command(bench_load, "load")  # `gridcmd bench load`: concurrent clients
bench_group.add_command(bench_replica, "replica")  # `gridcmd bench replica`: primary vs replica
main.add_command(export)
main.add_command(import_)
main.add_command(template)
main.add_command(user)
main.add_command(token)
main.add_command(audit)
main.add_command(tickets)  # 接诉即办: deliver, escalate, limits
bench_group.add_command(bench_tickets, "tickets")  # `gridcmd bench tickets`
