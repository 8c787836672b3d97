"""Bring a database to the point where gridcmd can use it: server up, database there, migrated."""

from __future__ import annotations

from geo.cluster import EmbeddedCluster
from geo.database import connect, create_database, server_url
from geo.migrations import migrate
from geo.settings import DatabaseSettings


def ensure_server(settings: DatabaseSettings) -> None:
    """Start the embedded cluster when no GRIDCMD_DATABASE_URL is set; else leave it be."""
    if not settings.database_url:
        EmbeddedCluster(settings).start()


def ensure_database(settings: DatabaseSettings, dbname: str | None = None) -> str:
    """Server running, database created and migrated; returns its URL."""
    ensure_server(settings)
    name = dbname or settings.database_name
    if not settings.database_url:
        create_database(server_url(settings, "postgres"), name)
    url = server_url(settings, name if (dbname or not settings.database_url) else None)
    with connect(url, settings) as conn:
        migrate(conn)
    return url
