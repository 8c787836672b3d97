"""A household form refreshes its grid's freshness row by index (migration 071): the statement
trigger's refresh of one grid must not scan every building, household and unit of the
database, which cost ~300 ms per form at district scale when the refresh was planned without
the value of its grid list."""

from __future__ import annotations

import psycopg
import pytest

pytestmark = pytest.mark.db


def _nested_plans(conn: psycopg.Connection, statement: str, params: list) -> str:
    """The plans of every statement run inside `statement` (triggers included), by auto_explain,
    inside a transaction that is rolled back."""
    plans: list[str] = []
    conn.add_notice_handler(lambda d: plans.append(d.message_primary or ""))
    with conn.transaction(force_rollback=True):
        conn.execute("LOAD 'auto_explain'")
        conn.execute("SET LOCAL auto_explain.log_min_duration = 0")
        conn.execute("SET LOCAL auto_explain.log_nested_statements = on")
        conn.execute("SET LOCAL client_min_messages = log")
        conn.execute(statement, params)
        conn.execute("SET LOCAL client_min_messages = notice")
    return "\n".join(plans)


def test_one_household_form_refreshes_its_grid_by_index(shared_demo_url):
    with psycopg.connect(shared_demo_url, autocommit=True) as conn:
        code = conn.execute("SELECT code FROM households ORDER BY code LIMIT 1").fetchone()[0]
        plans = _nested_plans(conn, "UPDATE households SET members = members WHERE code = %s",
                              [code])
    assert "grid_freshness_stats" in plans  # the trigger's refresh ran and was explained
    for table in ("buildings", "households", "units"):
        assert f"Seq Scan on {table}" not in plans, plans


def test_a_full_refresh_still_equals_the_rows_it_replaces(shared_demo_url):
    with (psycopg.connect(shared_demo_url, autocommit=True) as conn,
          conn.transaction(force_rollback=True)):
        before = conn.execute("SELECT * FROM grid_freshness_stats ORDER BY grid_code"
                              ).fetchall()
        conn.execute("SELECT refresh_grid_freshness(NULL)")
        after = conn.execute("SELECT * FROM grid_freshness_stats ORDER BY grid_code"
                             ).fetchall()
        one = conn.execute("SELECT grid_code FROM grid_freshness_stats LIMIT 1").fetchone()[0]
        conn.execute("SELECT refresh_grid_freshness(ARRAY[%s])", [one])
        again = conn.execute("SELECT * FROM grid_freshness_stats ORDER BY grid_code"
                             ).fetchall()
    assert len(before) > 0
    assert after == before
    assert again == before
