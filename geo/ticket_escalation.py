"""Escalation when a time limit passes: to the community (level 1), then the town (level 2).

Overdue is computed from `due_at` / `response_due_at` and the clock, never stored; what is
stored is the escalation already made, so each level is one history row (action `escalate`)
that the change feed, the wall and the callbacks see. `now` is a parameter (a fake clock in
tests).
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from geo.ticket_store import TICKET_SQL, record_event
from geo.tickets import escalation_level

LEVEL_NOTES = {1: "超时升级至社区 / escalated to the community",
               2: "超时升级至镇 / escalated to the town"}


def escalate_overdue(conn: psycopg.Connection, now: datetime, limit: int = 500) -> list[str]:
    """Raise the escalation of every open ticket whose limit has passed; the codes raised."""
    candidates = conn.cursor(row_factory=dict_row).execute(
        TICKET_SQL + """ WHERE i.status <> 'closed' AND (
            (i.escalation = 0 AND (i.due_at < %(now)s
                                   OR (i.responded_at IS NULL AND i.response_due_at < %(now)s)))
            OR (i.escalation = 1 AND i.due_at + least((i.due_at - i.received_at) / 2,
                                                     interval '24 hours') < %(now)s))
        ORDER BY i.due_at, i.code LIMIT %(limit)s""", {"now": now, "limit": limit}).fetchall()
    conn.commit()
    raised = []
    for ticket in candidates:
        level = escalation_level(ticket, now)
        if level <= ticket["escalation"]:
            continue
        with conn.transaction():
            done = conn.execute(
                "UPDATE incidents SET escalation = %s, escalated_at = %s, "
                "version = version + 1, updated_at = %s WHERE code = %s AND version = %s",
                [level, now, now, ticket["code"], ticket["version"]])
            if done.rowcount != 1:
                continue  # it moved meanwhile; the next pass looks again
            record_event(conn, ticket, now, "system", "system", "escalate", ticket["status"],
                         ticket["status"], ticket["version"] + 1, ticket["assignee"],
                         LEVEL_NOTES[level])
        raised.append(ticket["code"])
    return raised
