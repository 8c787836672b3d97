"""The loop around the steps, on the demo town with a fake clock (a `now` parameter, never a
sleep): time limits and escalation, the outbox delivering to a receiver of our own that is
down for its first three attempts, and the figures moving with the history."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from geo.database import connect
from geo.operations import hotline_performance
from geo.ticket_callbacks import Backoff, deliver_pending, register_callback
from geo.ticket_escalation import escalate_overdue
from geo.ticket_store import act, fetch, suggest_assignee
from geo.tickets import Actor
from geo.timewindow import TOWN_TZ
from tests.db.tickets_fixtures import (
    free_port,
    push_in_grid_a,
    ticket_town,
)

pytestmark = pytest.mark.db

COMMANDER = Actor("test-commander", "commander", frozenset({"dispatch"}))


@pytest.fixture(scope="module")
def town(admin_url, demo_template, settings):
    with ticket_town(admin_url, demo_template, settings) as town:
        # the demo's own late tickets are escalated already: the clock below moves only ours
        town["conn"].execute("UPDATE incidents SET escalation = 2 WHERE status <> 'closed'")
        town["conn"].commit()
        yield town


_push = push_in_grid_a


def test_limits_come_from_the_table_per_category_and_urgency(town):
    now = datetime(2026, 11, 30, 9, 0, tzinfo=TOWN_TZ)
    cases = {("noise", "general"): (timedelta(hours=24), timedelta(days=7)),
             ("heating", "general"): (timedelta(hours=2), timedelta(hours=24)),
             ("noise", "emergency"): (timedelta(minutes=30), timedelta(hours=2)),
             ("illegal_construction", "complex"): (timedelta(hours=24), timedelta(days=15))}
    for (category, urgency), (respond, solve) in cases.items():
        ticket = _push(town, now, category=category, urgency=urgency)
        assert ticket["response_due_at"] - now == respond, category
        assert ticket["due_at"] - now == solve, category
    conn = town["conn"]
    conn.execute("UPDATE ticket_limits SET solve_minutes = 1800 WHERE category = '*' "
                 "AND urgency = 'general'")  # configurable: a town sets its own
    assert _push(town, now, category="noise")["due_at"] - now == timedelta(hours=30)
    conn.execute("UPDATE ticket_limits SET solve_minutes = 10080 WHERE category = '*' "
                 "AND urgency = 'general'")
    conn.commit()


def test_an_emergency_escalates_to_the_community_then_the_town(town):
    t0 = datetime(2026, 11, 30, 10, 0, tzinfo=TOWN_TZ)
    ticket = _push(town, t0, urgency="emergency")
    code, conn = ticket["code"], town["conn"]

    def level_at(minutes):
        escalate_overdue(conn, t0 + timedelta(minutes=minutes))
        return fetch(conn, code)["escalation"]

    assert level_at(29) == 0                     # response limit 30 min not yet passed
    assert level_at(31) == 1                     # unanswered: to the community
    assert level_at(100) == 1                    # stays there, no second row
    assert level_at(121 + 60) == 2               # solve limit (2 h) + half its span: the town
    rows = conn.execute("SELECT action, note, version FROM ticket_events WHERE ticket_code = %s "
                        "ORDER BY id", [code]).fetchall()
    assert [r[0] for r in rows] == ["receive", "escalate", "escalate"]
    assert "社区" in rows[1][1] and "镇" in rows[2][1] and rows[-1][2] == 3
    # a ticket answered and closed in time never escalates
    calm = _push(town, t0, urgency="emergency")
    worker = suggest_assignee(conn, calm)[0]["code"]
    act(conn, calm["code"], "dispatch", 1, COMMANDER, t0 + timedelta(minutes=5), worker)
    act(conn, calm["code"], "close", 2, COMMANDER, t0 + timedelta(minutes=20))
    escalate_overdue(conn, t0 + timedelta(hours=5))
    assert fetch(conn, calm["code"])["escalation"] == 0


class _Receiver(BaseHTTPRequestHandler):
    failures_left = 2      # after the first attempt, refused while the server was not up
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if _Receiver.failures_left > 0:
            _Receiver.failures_left -= 1
            self.send_response(503)
        else:
            _Receiver.received.append(body)
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_outbox_reaches_a_receiver_that_was_down_exactly_once_in_order(town):
    conn, port = town["conn"], free_port()
    callback = register_callback(conn, int(town["token_id"]), f"http://127.0.0.1:{port}/hook")
    t0 = datetime(2026, 11, 30, 12, 0, tzinfo=TOWN_TZ)
    conn.execute("UPDATE ticket_outbox SET delivered_at = %s WHERE delivered_at IS NULL", [t0])
    conn.commit()  # earlier tests' rows are not this test's business
    ticket = _push(town, t0, external_id="CB-1")
    worker = suggest_assignee(conn, ticket)[0]["code"]
    act(conn, ticket["code"], "dispatch", 1, COMMANDER, t0, worker)
    act(conn, ticket["code"], "close", 2, COMMANDER, t0, satisfied=True)
    backoff = Backoff(base_s=10, cap_s=600)
    # attempt 1: nothing listens on the port (connection refused)
    assert deliver_pending(conn, t0, backoff, timeout_s=2) == {"sent": 0, "failed": 1}
    server = ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert deliver_pending(conn, t0 + timedelta(seconds=9), backoff) == {"sent": 0,
                                                                            "failed": 0}
        # attempts 2 and 3: 503, after 10 s and then 20 s more
        assert deliver_pending(conn, t0 + timedelta(seconds=10), backoff)["failed"] == 1
        assert deliver_pending(conn, t0 + timedelta(seconds=29), backoff)["failed"] == 0
        assert deliver_pending(conn, t0 + timedelta(seconds=30), backoff)["failed"] == 1
        assert _Receiver.received == []
        # attempt 4 (40 s later): everything, in order, once
        assert deliver_pending(conn, t0 + timedelta(seconds=70), backoff) == {"sent": 3,
                                                                             "failed": 0}
        assert deliver_pending(conn, t0 + timedelta(hours=1), backoff) == {"sent": 0,
                                                                          "failed": 0}
    finally:
        server.shutdown()
        server.server_close()
    got = [(m["code"], m["action"], m["status"], m["version"]) for m in _Receiver.received]
    assert got == [(ticket["code"], "receive", "received", 1),
                   (ticket["code"], "dispatch", "dispatched", 2),
                   (ticket["code"], "close", "closed", 3)]
    assert all(m["external_id"] == "CB-1" for m in _Receiver.received)
    ids = [m["event_id"] for m in _Receiver.received]
    assert ids == sorted(ids) and len(set(ids)) == 3
    attempts = conn.execute(
        "SELECT d.ok, d.status_code, d.error IS NOT NULL FROM ticket_deliveries d "
        "JOIN ticket_outbox o ON o.id = d.outbox_id WHERE o.callback_id = %s ORDER BY d.id",
        [callback["id"]]).fetchall()
    assert attempts == [(False, None, True), (False, 503, True), (False, 503, True),
                        (True, 204, False), (True, 204, False), (True, 204, False)]
    conn.commit()


def test_closing_a_ticket_moves_its_grids_solve_rate_by_one_ticket(town):
    conn, grid = town["conn"], town["grid_a"]
    now = datetime.now(TOWN_TZ)
    window = (now - timedelta(days=30), now + timedelta(hours=1))
    ticket = _push(town, now - timedelta(minutes=5))
    conn.commit()

    def figures():
        row = {r["code"]: r for r in hotline_performance(conn, "grid", window)}[grid]
        conn.commit()
        return row["tickets"], float(row["solve_rate"] or 0)

    tickets, before = figures()
    solved_before = round(before * tickets)
    worker = suggest_assignee(conn, ticket)[0]["code"]
    act(conn, ticket["code"], "dispatch", 1, COMMANDER, now - timedelta(minutes=4), worker)
    act(conn, ticket["code"], "close", 2, COMMANDER, now - timedelta(minutes=1))
    tickets_after, after = figures()
    assert tickets_after == tickets
    assert after == pytest.approx((solved_before + 1) / tickets, abs=0.0006)
    assert after - before == pytest.approx(1 / tickets, abs=0.001)
    with psycopg.connect(town["url"]) as other:  # the figures come from the steps' rows
        last = other.execute("SELECT action, to_status FROM ticket_events WHERE ticket_code = "
                             "%s ORDER BY id DESC LIMIT 1", [ticket["code"]]).fetchone()
    assert last == ("close", "closed")


def test_two_senders_at_once_deliver_each_row_once(town, settings):
    conn, port = town["conn"], free_port()
    register_callback(conn, int(town["token_id"]), f"http://127.0.0.1:{port}/twice")
    t0 = datetime(2026, 11, 30, 13, 0, tzinfo=TOWN_TZ)
    conn.execute("UPDATE ticket_outbox SET delivered_at = %s WHERE delivered_at IS NULL", [t0])
    conn.commit()
    for n in range(5):
        _push(town, t0, external_id=f"TWICE-{n}")
    conn.commit()
    _Receiver.failures_left, _Receiver.received = 0, []
    server = ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results: list[dict] = []
    other = connect(town["url"], settings)
    try:
        start = threading.Barrier(2)

        def send(c):
            start.wait()
            results.append(deliver_pending(c, t0 + timedelta(seconds=1)))

        threads = [threading.Thread(target=send, args=(c,)) for c in (conn, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        server.shutdown()
        server.server_close()
        other.close()
    codes = [m["external_id"] for m in _Receiver.received]
    assert codes == [f"TWICE-{n}" for n in range(5)]  # each once, in order
    assert sum(r["sent"] for r in results) == 5


def test_the_servers_background_worker_delivers_on_its_own(town, settings):
    import time

    from geo.ticket_worker import TicketWorker

    conn, port = town["conn"], free_port()
    conn.execute("UPDATE ticket_outbox SET delivered_at = now() WHERE delivered_at IS NULL")
    conn.execute("UPDATE ticket_callbacks SET active = false")
    conn.commit()
    register_callback(conn, int(town["token_id"]), f"http://127.0.0.1:{port}/worker")
    _Receiver.failures_left, _Receiver.received = 1, []  # one 503 first: a retry is needed
    server = ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    worker = TicketWorker(town["url"], settings.model_copy(update={
        "ticket_worker_s": 0.2, "ticket_retry_base_s": 0.2}))
    worker.start()
    try:
        ticket = _push(town, datetime.now(TOWN_TZ), external_id="WORKER-1")
        conn.commit()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
                m["code"] == ticket["code"] for m in _Receiver.received):
            time.sleep(0.1)
    finally:
        worker.stop()
        worker.join(timeout=10)
        server.shutdown()
        server.server_close()
    # (the worker's escalation pass may also report earlier tests' tickets, by this token)
    mine = [(m["action"], m["status"]) for m in _Receiver.received if m["code"] == ticket["code"]]
    assert mine == [("receive", "received")]
