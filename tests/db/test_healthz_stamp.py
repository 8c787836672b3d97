"""/healthz's data_as_of is the one "数据截至" moment of geo/freshness_stamp.py (wall, print)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from dashboard.settings import Settings
from geo.freshness_stamp import data_as_of
from tests.clients import api_client

pytestmark = pytest.mark.db


def _healthz_as_of(settings: Settings, url: str) -> datetime:
    with api_client(settings, url, role=None) as client:
        body = client.get("/healthz").get_json()
    return datetime.strptime(body["data_as_of"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def test_healthz_data_as_of_follows_activity_tables_like_the_wall(demo_db_url: str,
                                                                   settings: Settings) -> None:
    # A ticket changed after every base table: the wall's stamp moves, and /healthz with it
    # (the old health query looked at six base tables only and stayed behind).
    with psycopg.connect(demo_db_url) as conn:
        later = conn.execute(
            "SELECT date_trunc('second', now()) + interval '3 hours'").fetchone()[0]
        conn.execute("UPDATE incidents SET updated_at = %s"
                     " WHERE code = (SELECT min(code) FROM incidents)", [later])
        conn.commit()
        expected = data_as_of(conn)
    assert expected == later
    shown = _healthz_as_of(settings, demo_db_url)
    assert abs(shown - expected) < timedelta(seconds=1)
