"""What one running app owns (settings, the connection pool, the layer registry)."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import psycopg
from flask import Flask, current_app
from psycopg_pool import ConnectionPool

from dashboard.settings import Settings
from layers.registry import Registry

_KEY = "gridcmd"
# Longest a request or callback waits for a pooled connection before it gives up (503).
QUERY_WAIT_S = 10.0
# While the database was just seen unreachable, requests give up at once instead: threads
# stuck waiting for a dead pool would leave none free for /healthz and for the recovery.
OUTAGE_WAIT_S = 0.2
OUTAGE_MEMORY_S = 5.0


class Outage:
    """When this process last saw the database unreachable (a request or a health probe)."""

    def __init__(self) -> None:
        self._last = float("-inf")

    def mark(self) -> None:
        """The database just failed us."""
        self._last = time.monotonic()

    def recent(self) -> bool:
        """Whether it failed within OUTAGE_MEMORY_S."""
        return time.monotonic() - self._last < OUTAGE_MEMORY_S


@dataclass(frozen=True)
class AppState:
    """Per-process state, stored on the Flask app."""

    settings: Settings
    pool: ConnectionPool
    registry: Registry
    database_url: str
    outage: Outage = field(default_factory=Outage)


def attach(server: Flask, state: AppState) -> None:
    """Store the state on the Flask app."""
    server.extensions[_KEY] = state


def get_state(server: Flask | None = None) -> AppState:
    """The state of `server`, or of the app handling the current request."""
    return (server or current_app).extensions[_KEY]


def connection(wait: float = QUERY_WAIT_S) -> AbstractContextManager[psycopg.Connection]:
    """A pooled connection of the app handling the current request, with the shared wait."""
    state = get_state()
    return state.pool.connection(timeout=OUTAGE_WAIT_S if state.outage.recent() else wait)
