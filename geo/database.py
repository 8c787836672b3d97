"""Connections: where the database is, how each connection is configured, the pool."""

from __future__ import annotations

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.errors import ConfigError, DatabaseUnreachable
from geo.replica import parse_lsn
from geo.settings import Settings

APPLICATION_NAME = "gridcmd"


def server_url(settings: Settings, dbname: str | None = None) -> str:
    """libpq URL of the configured server (GRIDCMD_DATABASE_URL, or the embedded cluster)."""
    if settings.database_url:
        if dbname is None:
            return settings.database_url
        return make_conninfo(settings.database_url, dbname=dbname)
    name = dbname or settings.database_name
    return f"postgresql://postgres@127.0.0.1:{settings.pg_port}/{name}"


def describe_target(url: str) -> str:
    """'host:port/db' of a conninfo, for messages (never the password)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unreadable connection string"
    host = parts.get("host") or parts.get("hostaddr") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


def configure(conn: psycopg.Connection, settings: Settings | None = None) -> None:
    """Every connection gridcmd opens goes through here: search path, timeouts, time zone."""
    timeout = settings.statement_timeout_ms if settings else 30_000
    conn.execute("SET search_path TO public")
    conn.execute("SELECT set_config('statement_timeout', %s, false)", [str(timeout)])
    conn.execute("SET TIME ZONE 'Asia/Shanghai'")
    if not conn.autocommit:
        conn.commit()


def connect(url: str, settings: Settings | None = None, autocommit: bool = False,
            configured: bool = True) -> psycopg.Connection:
    """One connection, with an error that names the host when the server cannot be reached."""
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=10,
                               application_name=APPLICATION_NAME)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnreachable(
            f"cannot reach PostgreSQL at {describe_target(url)}: {first}. "
            "Check GRIDCMD_DATABASE_URL, or unset it to use the embedded cluster "
            "(`gridcmd db start`)."
        ) from exc
    if configured:
        configure(conn, settings)
    return conn


def open_pool(url: str, settings: Settings) -> ConnectionPool:
    """The process's one pool; its owner (app, CLI, test session) closes it."""
    pool = ConnectionPool(
        url,
        min_size=settings.pool_min,
        max_size=settings.pool_max,
        kwargs={"application_name": APPLICATION_NAME, "connect_timeout": 10},
        configure=lambda conn: configure(conn, settings),
        open=False,
        name="gridcmd",
    )
    pool.open(wait=False)
    return pool


def check_replica_url(settings: Settings) -> None:
    """Refuse a GRIDCMD_REPLICA_URL that libpq cannot read (None/empty: no replica)."""
    if not settings.replica_url:
        return
    try:
        conninfo_to_dict(settings.replica_url)
    except psycopg.ProgrammingError:
        raise ConfigError("GRIDCMD_REPLICA_URL is not a libpq connection string or URL "
                          "(e.g. postgresql://postgres@127.0.0.1:54339/gridcmd)") from None


def open_replica_pool(url: str, settings: Settings) -> ConnectionPool:
    """The pool on the read replica (GRIDCMD_REPLICA_URL): every connection is checked when
    taken, so a stopped replica is noticed by the first read, which then uses the primary."""
    pool = ConnectionPool(
        url,
        min_size=0,
        max_size=settings.pool_max,
        kwargs={"application_name": f"{APPLICATION_NAME}-replica", "connect_timeout": 2},
        configure=lambda conn: configure(conn, settings),
        check=ConnectionPool.check_connection,
        open=False,
        name="gridcmd-replica",
    )
    pool.open(wait=False)
    return pool


def primary_lsn(pool: ConnectionPool) -> int | None:
    """The primary's current WAL position (None when it cannot be asked at once)."""
    try:
        with pool.connection(timeout=0.5) as conn:
            return parse_lsn(conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0])
    except (PoolTimeout, psycopg.Error):
        return None


def create_database(admin_url: str, dbname: str, template: str | None = None) -> None:
    """CREATE DATABASE dbname [TEMPLATE template] unless it exists."""
    with connect(admin_url, autocommit=True, configured=False) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if exists:
            return
        if template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(dbname), sql.Identifier(template)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def drop_database(admin_url: str, dbname: str) -> None:
    """DROP DATABASE … WITH (FORCE), for tests and resets."""
    with connect(admin_url, autocommit=True, configured=False) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(dbname)))
