"""Tickets in the database: read one, take a step (one transaction: the version-checked UPDATE,
its history row and its outbox rows), list, and the change feed.

Every writer of ticket_events takes one transaction-level advisory lock just before its
INSERT, so event ids become visible in id order and the feed's cursor (the last id seen) never
skips a row committed later with a smaller id.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from geo.privacy import mask_name
from geo.tickets import (
    STATES,
    Actor,
    Step,
    TicketError,
    conflict,
    due_state,
    plan,
)

FEED_LOCK = 731_245_001  # pg_advisory_xact_lock key of the ticket_events writers
MAX_LIST = 500
MAX_FEED = 1000


class TicketNotFound(TicketError):
    """No ticket with that code (404)."""

    status = 404


TICKET_SQL = """
SELECT i.code, i.town_code, i.source, i.external_id, i.category, i.urgency, i.status,
       i.version, i.received_at, i.response_due_at, i.due_at, i.responded_at, i.dispatched_at,
       i.solved_at, i.satisfied, i.assignee, i.address, i.content AS text, i.grid_code,
       g.community_code, i.building_code, i.escalation, i.escalated_at, i.intake_by,
       i.client_id, i.updated_at, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat
FROM incidents i LEFT JOIN grids g ON g.code = i.grid_code
"""

EVENT_SQL = """
WITH ev AS (
    INSERT INTO ticket_events (ticket_code, town_code, at, actor, actor_role, action,
                               from_status, to_status, version, assignee, note, satisfied)
    VALUES (%(code)s, %(town_code)s, %(at)s, %(actor)s, %(role)s, %(action)s, %(from)s,
            %(to)s, %(version)s, %(assignee)s, %(note)s, %(satisfied)s)
    RETURNING *
), ob AS (
    INSERT INTO ticket_outbox (callback_id, event_id, next_attempt_at, payload)
    SELECT c.id, ev.id, ev.at, jsonb_build_object(
        'event_id', ev.id, 'code', ev.ticket_code, 'external_id', %(external_id)s::text,
        'source', %(source)s::text, 'action', ev.action, 'from_status', ev.from_status,
        'status', ev.to_status, 'version', ev.version, 'at', ev.at, 'note', ev.note)
    FROM ev, ticket_callbacks c
    WHERE c.active AND %(intake_by)s::text = 'token:' || c.token_id
)
SELECT id FROM ev
"""


def record_event(conn: psycopg.Connection, ticket: dict[str, Any], at: datetime, actor: str,
                 role: str, action: str, from_status: str | None, to_status: str, version: int,
                 assignee: str | None = None, note: str | None = None,
                 satisfied: bool | None = None) -> int:
    """Append one history row (and its outbox rows) inside the caller's transaction."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])
    return conn.execute(EVENT_SQL, {
        "code": ticket["code"], "town_code": ticket["town_code"], "at": at, "actor": actor,
        "role": role, "action": action, "from": from_status, "to": to_status,
        "version": version, "assignee": assignee, "note": note, "satisfied": satisfied,
        "external_id": ticket.get("external_id"), "source": ticket.get("source"),
        "intake_by": ticket.get("intake_by")}).fetchone()[0]


def fetch(conn: psycopg.Connection, code: str) -> dict[str, Any]:
    """The ticket's row (TicketNotFound when there is none)."""
    row = conn.cursor(row_factory=dict_row).execute(
        TICKET_SQL + " WHERE i.code = %s", [code]).fetchone()
    if row is None:
        raise TicketNotFound(f"no ticket {code!r}", parameter="code")
    return row


def history(conn: psycopg.Connection, code: str) -> list[dict[str, Any]]:
    """Every step of the ticket, oldest first: who, role, when, from → to, note."""
    return conn.cursor(row_factory=dict_row).execute(
        "SELECT id, at, actor, actor_role AS role, action, from_status, to_status, version,"
        " assignee, note, satisfied FROM ticket_events WHERE ticket_code = %s ORDER BY id",
        [code]).fetchall()


def act(conn: psycopg.Connection, code: str, action: str, version: Any, actor: Actor,
        now: datetime, assignee: str | None = None, note: str | None = None,
        satisfied: bool | None = None) -> dict[str, Any]:
    """Take one step in one transaction; the ticket row after it. `UPDATE … WHERE version`
    decides races: of simultaneous steps on one version exactly one wins, the rest get 409."""
    with conn.transaction():
        ticket = fetch(conn, code)
        step = plan(ticket, action, actor, version, now, assignee, note, satisfied)
        if step.action == "dispatch":
            _check_assignee(conn, assignee)
        updated = _apply(conn, ticket, step, now)
        if updated is None:  # someone else moved it between our read and our write
            raise conflict(fetch(conn, code), f"version {version} is stale")
        record_event(conn, updated, now, actor.shown, actor.role, step.action, step.from_status,
                     step.to_status, updated["version"], updated["assignee"], note, satisfied)
    return updated


def _check_assignee(conn: psycopg.Connection, assignee: str | None) -> None:
    found = conn.execute("SELECT 1 FROM staff WHERE code = %s", [assignee]).fetchone()
    if found is None:
        raise TicketError(f"assignee: no staff member with the code {assignee!r}",
                          parameter="assignee")


_WRITABLE = ("assignee", "dispatched_at", "responded_at", "solved_at", "satisfied")


def _apply(conn: psycopg.Connection, ticket: dict[str, Any], step: Step,
           now: datetime) -> dict[str, Any] | None:
    sets = [sql.SQL("status = %(to)s, version = version + 1, updated_at = %(now)s")]
    params: dict[str, Any] = {"to": step.to_status, "now": now, "code": ticket["code"],
                              "version": ticket["version"]}
    for column, value in step.changes.items():
        if column not in _WRITABLE:
            raise ValueError(f"a step may not write {column}")
        sets.append(sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column)))
        params[column] = value
    if step.to_status == "closed":
        sets.append(sql.SQL("escalation = 0"))
    done = conn.execute(
        sql.SQL("UPDATE incidents SET {} WHERE code = %(code)s AND version = %(version)s"
                ).format(sql.SQL(", ").join(sets)), params)
    return fetch(conn, ticket["code"]) if done.rowcount == 1 else None


def suggest_assignee(conn: psycopg.Connection, ticket: dict[str, Any],
                     n: int = 1) -> list[dict[str, Any]]:
    """On-duty grid workers for the ticket: its grid's own first (distance 0 ranking), then the
    nearest on-duty ones with their distance in metres. Names masked."""
    rows = conn.cursor(row_factory=dict_row).execute("""
        WITH here AS (SELECT ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326) AS p)
        SELECT s.code, s.name, s.grid_code, s.on_duty,
               (s.grid_code IS NOT DISTINCT FROM %(grid)s) AS own_grid,
               round(ST_Distance(s.geom::geography, here.p::geography)) AS metres
        FROM here, LATERAL (
            (SELECT * FROM staff WHERE role = 'grid_worker' AND on_duty AND grid_code = %(grid)s)
            UNION
            (SELECT * FROM staff WHERE role = 'grid_worker' AND on_duty
             ORDER BY geom <-> here.p LIMIT 4 * %(n)s)
        ) s
        ORDER BY own_grid DESC, metres, s.code
        LIMIT %(n)s""", {"lng": ticket["lng"], "lat": ticket["lat"],
                         "grid": ticket["grid_code"], "n": n}).fetchall()
    return [{**row, "name": mask_name(row["name"]), "metres": float(row["metres"])}
            for row in rows]


def _suggestions(conn: psycopg.Connection,
                 tickets: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """suggest_assignee's first answer for many tickets in one query (list pages)."""
    if not tickets:
        return {}
    rows = conn.cursor(row_factory=dict_row).execute("""
        SELECT t.code AS ticket, s.code, s.name, s.grid_code, s.on_duty, s.own_grid, s.metres
        FROM unnest(%(codes)s::text[], %(grids)s::text[], %(lngs)s::float8[],
                    %(lats)s::float8[]) AS t(code, grid, lng, lat)
        CROSS JOIN LATERAL (
            SELECT c.code, c.name, c.grid_code, c.on_duty,
                   (c.grid_code IS NOT DISTINCT FROM t.grid) AS own_grid,
                   round(ST_Distance(c.geom::geography,
                         ST_SetSRID(ST_MakePoint(t.lng, t.lat), 4326)::geography)) AS metres
            FROM (
                (SELECT * FROM staff WHERE role = 'grid_worker' AND on_duty
                 AND grid_code = t.grid)
                UNION
                (SELECT * FROM staff WHERE role = 'grid_worker' AND on_duty
                 ORDER BY geom <-> ST_SetSRID(ST_MakePoint(t.lng, t.lat), 4326) LIMIT 4)
            ) c
            ORDER BY own_grid DESC, metres, c.code LIMIT 1
        ) s""", {"codes": [t["code"] for t in tickets],
                 "grids": [t["grid_code"] for t in tickets],
                 "lngs": [t["lng"] for t in tickets],
                 "lats": [t["lat"] for t in tickets]}).fetchall()
    return {row.pop("ticket"): {**row, "name": mask_name(row["name"]),
                                "metres": float(row["metres"])} for row in rows}


def staff_names(conn: psycopg.Connection, codes: list[str]) -> dict[str, str]:
    """Masked names of staff codes."""
    rows = conn.execute("SELECT code, name FROM staff WHERE code = ANY(%s)", [codes]).fetchall()
    return {code: mask_name(name) for code, name in rows}


def describe(conn: psycopg.Connection, ticket: dict[str, Any], now: datetime,
             with_history: bool = True, with_suggestion: bool = True) -> dict[str, Any]:
    """The ticket as the API answers it: state, version, limits, masked assignee, suggestion,
    history."""
    out = {k: v for k, v in ticket.items() if k not in ("intake_by", "client_id")}
    out["client_id"] = str(ticket["client_id"]) if ticket.get("client_id") else None
    out["due_state"] = due_state(ticket, now)
    out["overdue"] = out["due_state"] == "overdue"
    names = staff_names(conn, [ticket["assignee"]]) if ticket.get("assignee") else {}
    out["assignee"] = ({"code": ticket["assignee"], "name": names.get(ticket["assignee"], "")}
                       if ticket.get("assignee") else None)
    if with_suggestion:
        found = suggest_assignee(conn, ticket)
        out["suggested_assignee"] = found[0] if found else None
    if with_history:
        out["history"] = history(conn, ticket["code"])
    return out


def _scope_sql(actor: Actor, params: dict[str, Any]) -> str:
    clauses = []
    if actor.scoped_grids:
        params["scope_grids"] = list(actor.grids)
        clauses.append("i.grid_code = ANY(%(scope_grids)s)")
    if actor.scoped_communities:
        params["scope_communities"] = list(actor.communities)
        clauses.append("g.community_code = ANY(%(scope_communities)s)")
    if actor.role == "department":
        params["scope_intake"] = actor.name
        clauses.append("i.intake_by = %(scope_intake)s")
    return "".join(f" AND {c}" for c in clauses)


def encode_cursor(received_at: datetime, code: str) -> str:
    """An opaque list cursor: the last row's (received_at, code)."""
    return base64.urlsafe_b64encode(f"{received_at.isoformat()}|{code}".encode()).decode()


def _decode_cursor(text: str) -> tuple[datetime, str]:
    try:
        at, code = base64.urlsafe_b64decode(text.encode()).decode().split("|", 1)
        return datetime.fromisoformat(at), code
    except (ValueError, UnicodeError):
        raise TicketError("cursor: not a cursor this server gave out",
                          parameter="cursor") from None


def list_tickets(conn: psycopg.Connection, actor: Actor, now: datetime,
                 status: str | None = None, community: str | None = None,
                 grid: str | None = None, assignee: str | None = None, overdue: bool = False,
                 limit: int = 100, cursor: str | None = None) -> dict[str, Any]:
    """Tickets newest first, filtered and inside the actor's scope; `next_cursor` pages on."""
    params: dict[str, Any] = {"now": now, "limit": limit}
    where = "WHERE true" + _scope_sql(actor, params)
    if status:
        wanted = [s for s in status.split(",") if s]
        bad = [s for s in wanted if s not in STATES]
        if bad or not wanted:
            raise TicketError(f"status: {(bad or [status])[0]!r} is not one of "
                              f"{', '.join(STATES)} (comma-separated)", parameter="status")
        params["status"] = wanted
        where += " AND i.status = ANY(%(status)s)"
    for name, value, column in (("community", community, "g.community_code"),
                                ("grid", grid, "i.grid_code"), ("assignee", assignee,
                                                                "i.assignee")):
        if value:
            params[name] = value
            where += f" AND {column} = %({name})s"
    if overdue:
        where += (" AND i.status <> 'closed' AND (i.due_at < %(now)s OR (i.responded_at IS NULL"
                  " AND i.response_due_at < %(now)s))")
    if cursor:
        params["c_at"], params["c_code"] = _decode_cursor(cursor)
        where += " AND (i.received_at, i.code) < (%(c_at)s, %(c_code)s)"
    rows = conn.cursor(row_factory=dict_row).execute(
        f"{TICKET_SQL} {where} ORDER BY i.received_at DESC, i.code DESC LIMIT %(limit)s",
        params).fetchall()
    names = staff_names(conn, sorted({r["assignee"] for r in rows if r["assignee"]}))
    codes = [r["code"] for r in rows]
    steps: dict[str, list] = {code: [] for code in codes}
    for step in conn.cursor(row_factory=dict_row).execute(
            "SELECT ticket_code, id, at, actor, actor_role AS role, action, from_status, "
            "to_status, version, assignee, note, satisfied FROM ticket_events "
            "WHERE ticket_code = ANY(%s) ORDER BY id", [codes]):
        steps[step.pop("ticket_code")].append(step)
    suggested = _suggestions(conn, rows)
    tickets = []
    for row in rows:
        item = {k: v for k, v in row.items() if k not in ("intake_by", "client_id", "text")}
        item["due_state"] = due_state(row, now)
        item["overdue"] = item["due_state"] == "overdue"
        item["assignee"] = ({"code": row["assignee"], "name": names.get(row["assignee"], "")}
                            if row["assignee"] else None)
        item["suggested_assignee"] = suggested.get(row["code"])
        item["history"] = steps[row["code"]]
        tickets.append(item)
    nxt = (encode_cursor(rows[-1]["received_at"], rows[-1]["code"])
           if len(rows) == limit else None)
    return {"tickets": tickets, "next_cursor": nxt}


def changes(conn: psycopg.Connection, actor: Actor, now: datetime, after: int | None,
            limit: int = 200) -> dict[str, Any]:
    """The change feed: every history row after the cursor (an event id), oldest first, with the
    ticket's state now; without `after`, the cursor of now and no changes."""
    if after is None:
        head = conn.execute("SELECT coalesce(max(id), 0) FROM ticket_events").fetchone()[0]
        return {"cursor": head, "changes": []}
    # the head first: rows committed after it wait for the next call, none is skipped
    head = conn.execute("SELECT coalesce(max(id), 0) FROM ticket_events").fetchone()[0]
    params: dict[str, Any] = {"after": after, "limit": limit, "head": head}
    scope = _scope_sql(actor, params)
    rows = conn.cursor(row_factory=dict_row).execute(f"""
        SELECT e.id, e.ticket_code AS code, e.action, e.to_status AS status, e.version,
               e.at, e.from_status, i.category, i.urgency, i.source, i.grid_code,
               g.community_code, i.status AS current_status, i.version AS current_version,
               i.due_at, i.response_due_at, i.responded_at, i.received_at, i.escalation,
               ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat
        FROM ticket_events e
        JOIN incidents i ON i.code = e.ticket_code
        LEFT JOIN grids g ON g.code = i.grid_code
        WHERE e.id > %(after)s AND e.id <= %(head)s {scope}
        ORDER BY e.id LIMIT %(limit)s""", params).fetchall()
    # a full page ends at its last row; otherwise every row up to head was seen (rows outside
    # the actor's scope included)
    cursor = rows[-1]["id"] if len(rows) == limit else max(after, head)
    out = []
    for row in rows:
        state = {"status": row["current_status"], "due_at": row["due_at"],
                 "response_due_at": row["response_due_at"],
                 "responded_at": row["responded_at"]}
        out.append({**{k: row[k] for k in ("id", "code", "action", "status", "version", "at",
                                            "from_status", "category", "urgency", "source",
                                            "grid_code", "community_code", "due_at",
                                            "escalation", "lng", "lat")},
                    "due_state": due_state(state, now)})
    return {"cursor": cursor, "changes": out}
