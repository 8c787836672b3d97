"""Callback URLs of other systems and the outbox sender that delivers every state change there.

Each callback's outbox rows go out in id order (the order the steps happened); a failed
delivery waits `base × 2^(attempts-1)` seconds (capped) before the same row is tried again, and
no later row of that callback overtakes it. The sender claims a callback with
`FOR UPDATE SKIP LOCKED`, so several processes may run it at once without sending twice.
Every attempt is a ticket_deliveries row. Delivery is at least once: a crash between the
receiver's 2xx and the commit sends that row again; receivers de-duplicate on `event_id`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import psycopg
from psycopg.rows import dict_row

from geo.tickets import TicketError

if TYPE_CHECKING:  # requests loads when a callback is sent, not with every app (cold exports)
    import requests

MAX_URL = 500


def register_callback(conn: psycopg.Connection, token_id: int, url: Any) -> dict[str, Any]:
    """Register (or re-activate) a callback URL for a department token."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        raise TicketError(f"url: an http(s) URL of at most {MAX_URL} characters",
                          parameter="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TicketError("url: an http:// or https:// URL with a host", parameter="url")
    with conn.transaction():
        return conn.cursor(row_factory=dict_row).execute("""
            INSERT INTO ticket_callbacks (token_id, url) VALUES (%s, %s)
            ON CONFLICT (token_id, url) DO UPDATE SET active = true
            RETURNING id, url, active, created_at""", [token_id, url]).fetchone()


def list_callbacks(conn: psycopg.Connection, token_id: int) -> list[dict[str, Any]]:
    """The token's callbacks with their pending and delivered counts."""
    return conn.cursor(row_factory=dict_row).execute("""
        SELECT c.id, c.url, c.active, c.created_at,
               count(o.id) FILTER (WHERE o.delivered_at IS NULL) AS pending,
               count(o.id) FILTER (WHERE o.delivered_at IS NOT NULL) AS delivered
        FROM ticket_callbacks c LEFT JOIN ticket_outbox o ON o.callback_id = c.id
        WHERE c.token_id = %s GROUP BY c.id ORDER BY c.id""", [token_id]).fetchall()


@dataclass(frozen=True)
class Backoff:
    """Retry delays: base × 2^(attempts-1), at most `cap` seconds."""

    base_s: float = 2.0
    cap_s: float = 600.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.cap_s, self.base_s * 2 ** max(0, attempts - 1)))


_CLAIM = """
SELECT c.id, c.url FROM ticket_callbacks c
WHERE c.active AND (
    SELECT o.next_attempt_at FROM ticket_outbox o
    WHERE o.callback_id = c.id AND o.delivered_at IS NULL ORDER BY o.id LIMIT 1
) <= %(now)s AND c.id <> ALL(%(claimed)s)
ORDER BY c.id
LIMIT 1
FOR UPDATE OF c SKIP LOCKED
"""


def deliver_pending(conn: psycopg.Connection, now: datetime | None = None,
                    backoff: Backoff = Backoff(), timeout_s: float = 5.0, batch: int = 200,
                    session: requests.Session | None = None) -> dict[str, int]:
    """One pass over every callback with a due row: send its pending rows in order until one
    fails. `now` (a fake clock in tests) decides what is due and when the next try is."""
    sent = failed = 0
    claimed: set[int] = set()
    http = session or direct_session()
    while True:
        at = now or datetime.now().astimezone()
        with conn.transaction():
            row = conn.execute(_CLAIM, {"now": at, "claimed": sorted(claimed)}).fetchone()
            if row is None:
                break
            callback_id, url = row
            claimed.add(callback_id)
            pending = conn.cursor(row_factory=dict_row).execute(
                "SELECT id, payload, attempts FROM ticket_outbox WHERE callback_id = %s AND "
                "delivered_at IS NULL ORDER BY id LIMIT %s", [callback_id, batch]).fetchall()
            for item in pending:
                ok, code, error, ms = _post(http, url, item["payload"], timeout_s)
                attempt = item["attempts"] + 1
                conn.execute(
                    "INSERT INTO ticket_deliveries (outbox_id, attempt, at, status_code, ok, "
                    "error, duration_ms) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [item["id"], attempt, now or datetime.now().astimezone(), code, ok, error,
                     ms])
                if ok:
                    conn.execute("UPDATE ticket_outbox SET attempts = %s, delivered_at = %s, "
                                 "last_error = NULL WHERE id = %s",
                                 [attempt, now or datetime.now().astimezone(), item["id"]])
                    sent += 1
                    continue
                conn.execute("UPDATE ticket_outbox SET attempts = %s, next_attempt_at = %s, "
                             "last_error = %s WHERE id = %s",
                             [attempt, at + backoff.delay(attempt), error, item["id"]])
                failed += 1
                break
    return {"sent": sent, "failed": failed}


def direct_session() -> requests.Session:
    """A session that ignores *_proxy variables: callbacks go straight to the receiver."""
    import requests

    http = requests.Session()
    http.trust_env = False
    return http


def _post(http: requests.Session, url: str, payload: dict,
          timeout_s: float) -> tuple[bool, int | None, str | None, int]:
    import requests

    start = time.perf_counter()
    try:
        answer = http.post(url, json=payload, timeout=timeout_s, allow_redirects=False)
    except requests.RequestException as exc:
        return False, None, f"{type(exc).__name__}: {str(exc)[:300]}", _ms(start)
    ok = 200 <= answer.status_code < 300
    return ok, answer.status_code, None if ok else f"HTTP {answer.status_code}", _ms(start)


def _ms(start: float) -> int:
    return int((time.perf_counter() - start) * 1000)
