"""The ticket loop's background pass, run as a thread of the server process (and by
`gridcmd tickets deliver|escalate`): deliver the outbox, escalate tickets past their limits.

It uses a connection of its own (not the request pool). Several processes may run it at once:
the sender claims callbacks with FOR UPDATE SKIP LOCKED, escalation is version-checked.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

import psycopg

from geo.database import connect
from geo.settings import TicketSettings
from geo.ticket_callbacks import Backoff, deliver_pending, direct_session
from geo.ticket_escalation import escalate_overdue
from geo.timewindow import TOWN_TZ

log = logging.getLogger(__name__)


def run_once(conn: psycopg.Connection, settings: TicketSettings,
             now: datetime | None = None) -> dict[str, int]:
    """One pass: escalations first (their history rows join the outbox), then delivery."""
    raised = escalate_overdue(conn, now or datetime.now(TOWN_TZ))
    conn.commit()
    sent = deliver_pending(conn, now, Backoff(settings.ticket_retry_base_s,
                                              settings.ticket_retry_max_s),
                           settings.ticket_callback_timeout_s)
    conn.commit()
    return {"escalated": len(raised), **sent}


class TicketWorker(threading.Thread):
    """A daemon thread running `run_once` every `settings.ticket_worker_s` seconds."""

    def __init__(self, url: str, settings: TicketSettings) -> None:
        super().__init__(name="gridcmd-ticket-worker", daemon=True)
        self.url, self.settings = url, settings
        self.stopping = threading.Event()

    def run(self) -> None:
        conn: psycopg.Connection | None = None
        session = direct_session()
        while not self.stopping.wait(self.settings.ticket_worker_s):
            try:
                if conn is None or conn.closed:
                    conn = connect(self.url, self.settings)
                escalate_overdue(conn, datetime.now(TOWN_TZ))
                conn.commit()
                deliver_pending(conn, None, Backoff(self.settings.ticket_retry_base_s,
                                                    self.settings.ticket_retry_max_s),
                                self.settings.ticket_callback_timeout_s, session=session)
                conn.commit()
            except Exception:  # the database may be down for a while: keep trying
                log.exception("ticket worker pass failed; retrying")
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        self.stopping.set()
