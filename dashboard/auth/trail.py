"""Audit rows for the current request's principal (who, what, from where)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import psycopg
from flask import has_request_context

from dashboard.auth.principal import current, remote_addr
from dashboard.state import connection
from geo import audit as audit_log


def audit(action: str, target: str = "", detail: dict[str, Any] | None = None,
          conn: psycopg.Connection | None = None) -> None:
    """Append an audit row for the signed-in principal of this request: in the transaction of
    `conn` (a primary connection the route holds; committed with it), else on its own."""
    if not has_request_context():  # plain function calls (tests); the CLI writes its own rows
        return
    who = current()
    with nullcontext(conn) if conn is not None else connection() as held:
        audit_log.record(held, who.name if who else "-", who.role if who else "-", action,
                         target, detail, remote_addr())


def signed_by(typed: str | None = None) -> str:
    """Who signs a published record: the signed-in user, with a typed duty name if given."""
    who = current()
    typed = (typed or "").strip()[:40]
    if who is None:
        return typed or "-"
    return f"{who.name}（{typed}）" if typed and typed != who.name else who.name
