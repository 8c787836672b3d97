"""Grid workers (scoped to grids) and department tokens (Bearer), from the CLI to a request."""

from __future__ import annotations

import re

import pytest

from dashboard.settings import Settings
from tests.clients import api_client
from tests.users_cli import run_cli, users_cli_on

pytestmark = pytest.mark.db

GOOD = "a-long-enough-password"


@pytest.fixture
def db_url(demo_db_url: str, monkeypatch) -> str:
    return users_cli_on(monkeypatch, demo_db_url)


def _a_grid(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT code FROM grids ORDER BY code LIMIT 1").fetchone()[0]


def test_a_grid_worker_needs_known_grids(db_url):
    grid = _a_grid(db_url)
    assert run_cli("user", "add", "w1", "--role", "gridworker", "--password-stdin",
                stdin=GOOD).exit_code != 0
    refused = run_cli("user", "add", "w1", "--role", "gridworker", "--grid", "nosuchgrid",
                   "--password-stdin", stdin=GOOD)
    assert refused.exit_code != 0 and "nosuchgrid" in refused.output
    added = run_cli("user", "add", "w1", "--role", "gridworker", "--grid", grid,
                 "--password-stdin", stdin=GOOD)
    assert added.exit_code == 0, added.output
    assert grid in run_cli("user", "list").output


def test_a_department_token_works_as_bearer_only(db_url, settings):
    made = run_cli("token", "create", "--role", "department", "--label", "区市场监管局",
                "--collections", "grids,units")
    assert made.exit_code == 0, made.output
    token = re.search(r"^([A-Za-z0-9_-]{40,})$", made.output, re.M).group(1)
    import psycopg

    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT collections FROM access_tokens WHERE role = 'department'"
                            ).fetchone()[0] == ["grids", "units"]
    assert run_cli("token", "create", "--role", "department").exit_code != 0  # needs a label
    with api_client(Settings(database_url=db_url), db_url, role=None) as client:
        # a known department token is a principal: signed in, but without the wall's rights
        assert client.get("/api/kpis", headers={"Authorization": f"Bearer {token}"}
                          ).status_code == 403
        assert client.get("/api/kpis", headers={"Authorization": "Bearer nope"}
                          ).status_code == 401
        # never in a URL (where it would land in logs and browser history)
        assert client.get(f"/api/kpis?token={token}").status_code == 401
