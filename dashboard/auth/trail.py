"""Audit rows for the current request's principal (who, what, from where)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context

from dashboard.auth.principal import current, remote_addr
from dashboard.state import connection
from geo import audit as audit_log


def audit(action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
    """Append an audit row for the signed-in principal of this request."""
    if not has_request_context():  # plain function calls (tests); the CLI writes its own rows
        return
    who = current()
    with connection() as conn:
        audit_log.record(conn, who.name if who else "-", who.role if who else "-", action,
                         target, detail, remote_addr())


def signed_by(typed: str | None = None) -> str:
    """Who signs a published record: the signed-in user, with a typed duty name if given."""
    who = current()
    typed = (typed or "").strip()[:40]
    if who is None:
        return typed or "-"
    return f"{who.name}（{typed}）" if typed and typed != who.name else who.name
