"""The audit trail: who looked at, unmasked, exported or imported what, when, from where."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

ACTIONS = ("login", "login_failed", "logout", "drilldown", "unmask", "export", "import",
           "publish", "user_admin", "token_admin", "ticket_intake", "ticket_action",
           "ticket_view", "ogc_read", "report", "visit", "reveal", "photo")


def record(conn: psycopg.Connection, username: str, role: str, action: str, target: str = "",
           detail: dict[str, Any] | None = None, remote_addr: str = "") -> None:
    """Append one audit row (committed with the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute(
        "INSERT INTO audit_log (username, role, action, target, detail, remote_addr)"
        " VALUES (%s, %s, %s, %s, %s::jsonb, %s)",
        [username, role, action, target[:500],
         json.dumps(detail or {}, ensure_ascii=False, default=str), remote_addr[:100]])


def entries(conn: psycopg.Connection, username: str | None = None, since: datetime | None = None,
            action: str | None = None, limit: int = 200) -> list[dict]:
    """Audit rows, newest first, filtered by user, start time and action."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT id, at, username, role, action, target, detail, remote_addr FROM audit_log"
            " WHERE (%(user)s::text IS NULL OR username = %(user)s)"
            " AND (%(since)s::timestamptz IS NULL OR at >= %(since)s)"
            " AND (%(action)s::text IS NULL OR action = %(action)s)"
            " ORDER BY at DESC, id DESC LIMIT %(limit)s",
            {"user": username, "since": since, "action": action, "limit": limit}).fetchall()
