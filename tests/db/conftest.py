"""Fixtures of the database tests that read the shared demo town (never write through them).
A module that needs another client or connection defines its own `client` / `conn`."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from flask.testing import FlaskClient

from dashboard.settings import Settings
from tests.clients import api_client


@pytest.fixture(scope="module")
def client(settings: Settings, shared_demo_url: str) -> Iterator[FlaskClient]:
    """A commander's test client of the app over the shared demo town (read-only)."""
    with api_client(settings, shared_demo_url) as client:
        yield client


@pytest.fixture(scope="module")
def conn(shared_demo_url: str) -> Iterator[psycopg.Connection]:
    """A connection to the shared demo town, for the expected figures."""
    with psycopg.connect(shared_demo_url) as connection:
        yield connection
