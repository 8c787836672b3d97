"""Test databases: one migrated template and one demo-town template per session, cloned per test.

The demo town is generated and loaded once (the slow part); each test that writes gets its own
`CREATE DATABASE … TEMPLATE` clone, dropped WITH (FORCE) afterwards.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from dashboard.settings import Settings, get_settings
from geo.bootstrap import ensure_server
from geo.database import configure, connect, create_database, drop_database, server_url
from geo.migrations import migrate
from tests.clients import seed_users

PREFIX = f"gridcmd_test_{os.getpid()}"
EMPTY_TEMPLATE = f"{PREFIX}_empty"
DEMO_TEMPLATE = f"{PREFIX}_demo"
DEMO_SEED = 20220501
_counter = itertools.count()


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The settings the suite runs with (embedded cluster unless GRIDCMD_DATABASE_URL)."""
    return get_settings()


@pytest.fixture(scope="session")
def admin_url(settings: Settings) -> str:
    """URL of the maintenance database, used to create and drop test databases."""
    # `make test` runs two pytest processes (pytest-xdist): one starts the cluster while the
    # other waits on this lock, then finds it running.
    lock = Path(tempfile.gettempdir()) / f"gridcmd-test-cluster-{settings.pg_port}.lock"
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            ensure_server(settings)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return server_url(settings, "postgres")


@pytest.fixture(scope="session")
def empty_template(admin_url: str, settings: Settings) -> Iterator[str]:
    """A migrated database with no rows: the template for tests that bring their own data."""
    drop_database(admin_url, EMPTY_TEMPLATE)
    create_database(admin_url, EMPTY_TEMPLATE)
    with connect(server_url(settings, EMPTY_TEMPLATE), settings) as conn:
        migrate(conn)
        seed_users(conn)  # one user per role (tests/clients.py), in every database cloned
    yield EMPTY_TEMPLATE
    drop_database(admin_url, EMPTY_TEMPLATE)


@pytest.fixture(scope="session")
def demo_template(admin_url: str, empty_template: str, settings: Settings) -> Iterator[str]:
    """The demo town (town scale, fixed seed) loaded once into a template database."""
    from geo.demo import load_demo

    drop_database(admin_url, DEMO_TEMPLATE)
    create_database(admin_url, DEMO_TEMPLATE, template=empty_template)
    load_demo(server_url(settings, DEMO_TEMPLATE), scale="town", seed=DEMO_SEED)
    yield DEMO_TEMPLATE
    drop_database(admin_url, DEMO_TEMPLATE)


def _clone(admin_url: str, template: str, settings: Settings) -> tuple[str, str]:
    name = f"{PREFIX}_{next(_counter)}"
    create_database(admin_url, name, template=template)
    return name, server_url(settings, name)


@contextmanager
def cloned_database(admin_url: str, template: str, settings: Settings) -> Iterator[str]:
    """URL of a fresh clone of `template`, dropped on leaving."""
    name, url = _clone(admin_url, template, settings)
    try:
        yield url
    finally:
        drop_database(admin_url, name)


@pytest.fixture
def empty_db_url(admin_url: str, empty_template: str, settings: Settings) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for one test."""
    name, url = _clone(admin_url, empty_template, settings)
    yield url
    drop_database(admin_url, name)


@pytest.fixture
def demo_db_url(admin_url: str, demo_template: str, settings: Settings) -> Iterator[str]:
    """URL of a fresh copy of the demo town for one test that writes."""
    name, url = _clone(admin_url, demo_template, settings)
    yield url
    drop_database(admin_url, name)


@pytest.fixture(scope="module")
def module_demo_db_url(admin_url: str, demo_template: str, settings: Settings) -> Iterator[str]:
    """URL of a copy of the demo town that one test module writes to (dropped after it)."""
    with cloned_database(admin_url, demo_template, settings) as url:
        yield url


@pytest.fixture(scope="session")
def shared_demo_url(admin_url: str, demo_template: str, settings: Settings) -> Iterator[str]:
    """URL of one demo-town copy shared by read-only tests (never write through it)."""
    name, url = _clone(admin_url, demo_template, settings)
    yield url
    drop_database(admin_url, name)


@pytest.fixture
def demo_conn(shared_demo_url: str, settings: Settings) -> Iterator[psycopg.Connection]:
    """A read-only connection to the shared demo town."""
    with psycopg.connect(shared_demo_url) as conn:
        configure(conn, settings)
        conn.execute("SET default_transaction_read_only = on")
        yield conn
