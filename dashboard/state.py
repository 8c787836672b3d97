"""What one running app owns (settings, the connection pool, the layer registry)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

import psycopg
from flask import Flask, current_app
from psycopg_pool import ConnectionPool

from geo.settings import Settings
from layers.registry import Registry

_KEY = "gridcmd"
# Longest a request or callback waits for a pooled connection before it gives up (503).
QUERY_WAIT_S = 10.0


@dataclass(frozen=True)
class AppState:
    """Per-process state, stored on the Flask app."""

    settings: Settings
    pool: ConnectionPool
    registry: Registry
    database_url: str


def attach(server: Flask, state: AppState) -> None:
    """Store the state on the Flask app."""
    server.extensions[_KEY] = state


def get_state(server: Flask | None = None) -> AppState:
    """The state of `server`, or of the app handling the current request."""
    return (server or current_app).extensions[_KEY]


def connection() -> AbstractContextManager[psycopg.Connection]:
    """A pooled connection of the app handling the current request, with the shared wait."""
    return get_state().pool.connection(timeout=QUERY_WAIT_S)
