"""Shared set-up of the OGC API tests: a demo-town clone per module with department tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from dashboard.settings import Settings
from geo.database import drop_database
from geo.tokens import create_token
from tests.conftest import _clone

# What each test token may read ("all": every collection; "units": units only).
UNITS_ONLY = ("grids", "units")


@contextmanager
def ogc_database(admin_url: str, demo_template: str,
                 settings: Settings) -> Iterator[tuple[str, dict[str, str]]]:
    """(url, tokens by name) of a fresh demo-town clone holding two department tokens."""
    from geo.ogc_collections import COLLECTIONS

    name, url = _clone(admin_url, demo_template, settings)
    try:
        with psycopg.connect(url) as conn:
            _, every = create_token(conn, "department", "tests", "测试全部",
                                    collections=tuple(COLLECTIONS))
            _, some = create_token(conn, "department", "tests", "区市场监管局",
                                   collections=UNITS_ONLY)
        yield url, {"all": every, "some": some}
    finally:
        drop_database(admin_url, name)


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a department token."""
    return {"Authorization": f"Bearer {token}"}
