"""The wall's ticker and hottest grid, read from the demo town: no personal data, right rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from geo.timewindow import TOWN_TZ
from geo.wall import hottest_grid, ticker_rows


def test_ticker_has_newest_cases_and_overdue_tickets_only_with_safe_fields(demo_conn):
    now = datetime.now(TOWN_TZ)
    rows = ticker_rows(demo_conn, now, limit=5)
    assert {row["kind"] for row in rows} <= {"case", "ticket"}
    assert [row["at"] for row in rows] == sorted((row["at"] for row in rows), reverse=True)
    assert set(rows[0]) == {"kind", "code", "category", "grid_code", "grid_name", "at",
                            "lng", "lat"}  # no address, name or phone
    for row in rows:
        if row["kind"] == "ticket":
            # issue #14: overdue = open past its time limit (ticket_limits), not "24 h unanswered"
            overdue = demo_conn.execute(
                "SELECT status <> 'closed' AND (due_at < %s OR (responded_at IS NULL AND "
                "response_due_at < %s)) FROM incidents WHERE code = %s",
                [now, now, row["code"]]).fetchone()[0]
            assert overdue


def test_hottest_grid_is_the_grid_with_most_active_cases(demo_conn):
    now = datetime.now(TOWN_TZ)
    hot = hottest_grid(demo_conn, now - timedelta(days=14), now)
    assert hot is not None and hot["active"] >= 1
    assert hot["west"] < hot["east"] and hot["south"] < hot["north"]
    assert hot["geometry"]["type"] == "Polygon"
    assert hottest_grid(demo_conn, now + timedelta(days=1), now + timedelta(days=2)) is None
