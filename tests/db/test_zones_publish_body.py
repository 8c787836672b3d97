"""A malformed publication publishes nothing: POST /api/zones/publish needs a JSON object."""

from __future__ import annotations

import psycopg
import pytest

from tests.clients import api_client

pytestmark = pytest.mark.db

BAD_BODIES = [  # (body, content type)
    (b"days=14", "application/x-www-form-urlencoded"),
    ('{"published_by": "值班员"}'.encode(), "text/plain"),
    (b"", None),
    (b"{not json", "application/json"),
    (b'["days", 14]', "application/json"),
    (b"14", "application/json"),
    (b"null", "application/json"),
    (b"\xff\xfe", "application/json"),
]


def test_a_body_that_is_not_a_json_object_is_a_400_and_stores_nothing(settings, demo_db_url):
    with api_client(settings, demo_db_url, "commander") as client:
        for body, content_type in BAD_BODIES:
            answer = client.post("/api/zones/publish", data=body,
                                 content_type=content_type)
            assert answer.status_code == 400, (body, content_type, answer.status_code)
            assert answer.get_json()["parameter"] == "body"
        with psycopg.connect(demo_db_url) as conn:
            assert conn.execute("SELECT count(*) FROM zone_plans").fetchone()[0] == 0
        # a well-formed body still publishes
        assert client.post("/api/zones/publish", json={"published_by": "值班员"}
                           ).status_code == 201
