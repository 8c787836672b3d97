"""响应率 / 解决率 / 满意率 and overdue counts move with the 接诉即办 chain, in the KPI bar and in
the performance ranking alike, by exactly the ticket that moved (real PostGIS, fake clock).

The figures read incidents.responded_at / solved_at / satisfied, which only a step writes, in
the same transaction as its ticket_events row (geo/ticket_store.act); the last test checks on
the demo's whole history that the columns say what the history says."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from geo.kpis import kpis
from geo.operations import hotline_performance
from geo.ticket_store import act, suggest_assignee
from geo.tickets import Actor
from geo.timewindow import TOWN_TZ
from tests.db.tickets_fixtures import push_in_grid_a, ticket_town

pytestmark = pytest.mark.db

COMMANDER = Actor("test-commander", "commander", frozenset({"dispatch"}))


@pytest.fixture(scope="module")
def town(admin_url, demo_template, settings):
    with ticket_town(admin_url, demo_template, settings) as town:
        yield town


_push = push_in_grid_a


def _counts(town, window):
    """(KPI counts, the grid's ranking counts) — shares turned back into whole tickets (the
    window holds few tickets, so the 3-decimal rounding is exact)."""
    conn = town["conn"]
    k = kpis(conn, window)
    row = {r["code"]: r for r in hotline_performance(conn, "grid", window)}[town["grid_a"]]
    conn.commit()
    n, m = k["tickets_received"], row["tickets"]
    assert n < 500 and m < 500
    return ({"n": n, "responded": round(float(k["responded_24h_share"] or 0) * n),
             "solved": round(float(k["solved_share"] or 0) * n),
             "satisfied": float(k["satisfied_share"] or 0),
             "open": k["open_tickets"], "overdue": k["overdue_tickets"]},
            {"n": m, "responded": round(float(row["response_rate"] or 0) * m),
             "solved": round(float(row["solve_rate"] or 0) * m),
             "satisfied": row["satisfaction_rate"], "overdue": row["overdue"]})


def test_each_step_moves_the_kpis_and_the_ranking_by_exactly_its_ticket(town):
    conn = town["conn"]
    now = datetime.now(TOWN_TZ).replace(microsecond=0)
    late = _push(town, now - timedelta(hours=3), urgency="emergency")  # 2 h limit: overdue
    fresh = _push(town, now - timedelta(minutes=10))                   # 7 days: in time
    window = (now - timedelta(hours=3, minutes=1), now + timedelta(minutes=30))
    kpi0, rank0 = _counts(town, window)
    assert kpi0["n"] >= 2 and rank0["n"] >= 2
    worker = suggest_assignee(conn, late)[0]["code"]
    for ticket in (late, fresh):
        act(conn, ticket["code"], "dispatch", 1, COMMANDER, now - timedelta(minutes=5), worker)
    conn.commit()
    assert _counts(town, window) == (kpi0, rank0)  # dispatching answers nobody yet

    act(conn, fresh["code"], "accept", 2, COMMANDER, now - timedelta(minutes=4))
    conn.commit()
    kpi1, rank1 = _counts(town, window)
    assert kpi1["responded"] == kpi0["responded"] + 1  # signed for within its response limit
    assert rank1["responded"] == rank0["responded"] + 1
    assert kpi1["n"] == kpi0["n"] and kpi1["solved"] == kpi0["solved"]

    act(conn, late["code"], "accept", 2, COMMANDER, now - timedelta(minutes=3))
    conn.commit()
    kpi2, rank2 = _counts(town, window)
    assert kpi2["responded"] == kpi1["responded"]  # signed for, but after its response limit
    assert rank2["responded"] == rank1["responded"]
    assert kpi2["overdue"] == kpi1["overdue"]  # still past its solve limit

    act(conn, late["code"], "close", 3, COMMANDER, now - timedelta(minutes=2), satisfied=False)
    conn.commit()
    kpi3, rank3 = _counts(town, window)
    assert kpi3["solved"] == kpi2["solved"] + 1 and rank3["solved"] == rank2["solved"] + 1
    assert kpi3["open"] == kpi2["open"] - 1
    assert kpi3["overdue"] == kpi2["overdue"] - 1 and rank3["overdue"] == rank2["overdue"] - 1
    assert rank3["satisfied"] is not None and float(rank3["satisfied"]) < 1

    act(conn, late["code"], "reopen", 4, COMMANDER, now - timedelta(minutes=1))
    conn.commit()
    kpi4, rank4 = _counts(town, window)
    assert kpi4["solved"] == kpi2["solved"] and rank4["solved"] == rank2["solved"]
    assert kpi4["overdue"] == kpi2["overdue"] and rank4["overdue"] == rank2["overdue"]


def test_the_columns_the_figures_read_say_what_the_history_says(town):
    """On the demo's whole history and the steps above: a ticket is solved exactly when its
    last step closed it, at that step's time, and responded at its first accept or close."""
    conn = town["conn"]
    mismatches = conn.execute("""
        WITH h AS (
            SELECT e.ticket_code,
                   (array_agg(e.to_status ORDER BY e.id DESC))[1] AS last_status,
                   (array_agg(e.at ORDER BY e.id DESC)
                        FILTER (WHERE e.to_status = 'closed'))[1] AS closed_at,
                   min(e.at) FILTER (WHERE e.action IN ('accept', 'close', 'verify'))
                        AS first_answer
            FROM ticket_events e GROUP BY e.ticket_code
        )
        SELECT count(*) FILTER (WHERE i.status <> h.last_status AND h.last_status IS NOT NULL
                                AND NOT EXISTS (SELECT 1 FROM ticket_events x
                                                WHERE x.ticket_code = i.code
                                                  AND x.action = 'escalate'
                                                  AND x.id = (SELECT max(id) FROM ticket_events
                                                              WHERE ticket_code = i.code))),
               count(*) FILTER (WHERE (i.status = 'closed') <> (i.solved_at IS NOT NULL)),
               count(*) FILTER (WHERE i.status = 'closed'
                                AND i.solved_at IS DISTINCT FROM h.closed_at),
               count(*) FILTER (WHERE i.responded_at IS NULL
                                AND h.first_answer IS NOT NULL),
               count(*)
        FROM incidents i JOIN h ON h.ticket_code = i.code""").fetchone()
    conn.commit()
    assert mismatches[-1] > 1000  # the demo's tickets all have a history
    assert mismatches[:-1] == (0, 0, 0, 0), mismatches
