"""Batch dispatch of the 接诉即办 loop: the waiting tickets inside a drawn region (or a list of
codes, each with the version the dispatcher saw), dispatched one by one.

Each ticket is its own transaction (geo.ticket_store.act: version-checked UPDATE, one history
row, its outbox rows), committed before the next, so one refusal stops no other and no lock is
held across the batch. A refused ticket comes back with its reason and HTTP-like status (409
stale version or wrong state, 403 outside the actor's scope, 404 unknown, 400 bad assignee).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.ticket_store import TICKET_SQL, _scope_sql, act, fetch, suggest_assignee
from geo.tickets import Actor, TicketError, due_state

MAX_BATCH = 200
MAX_VERTICES = 1000
WAITING = ("received", "returned")  # the states a dispatcher sends out


def _polygon(shape: Any) -> dict[str, Any]:
    """A GeoJSON Polygon (bare, or a Feature holding one) checked before PostGIS sees it."""
    if isinstance(shape, dict) and shape.get("type") == "Feature":
        shape = shape.get("geometry")
    if not isinstance(shape, dict) or shape.get("type") != "Polygon":
        raise TicketError("polygon: a GeoJSON Polygon (or a Feature of one) is required",
                          parameter="polygon")
    rings = shape.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise TicketError("polygon: coordinates must be a list of rings", parameter="polygon")
    vertices = 0
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise TicketError("polygon: each ring needs at least 4 positions",
                              parameter="polygon")
        for point in ring:
            if (not isinstance(point, list) or len(point) < 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               and math.isfinite(v) for v in point[:2])
                    or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)):
                raise TicketError("polygon: every position is [lng, lat] in degrees",
                                  parameter="polygon")
        if ring[0][:2] != ring[-1][:2]:
            raise TicketError("polygon: each ring must end where it starts", parameter="polygon")
        vertices += len(ring)
    if vertices > MAX_VERTICES:
        raise TicketError(f"polygon: at most {MAX_VERTICES} positions", parameter="polygon")
    return {"type": "Polygon", "coordinates": [[p[:2] for p in ring] for ring in rings]}


def region_tickets(conn: psycopg.Connection, actor: Actor, shape: Any, now: datetime,
                   limit: int = MAX_BATCH) -> dict[str, Any]:
    """The waiting tickets (received, returned) inside the polygon and the actor's scope, the
    most urgent first: `{tickets: [{code, version, status, category, due_at, due_state,
    grid_code}], total}` (`total` counts all of them; at most `limit` are listed)."""
    polygon = _polygon(shape)
    params: dict[str, Any] = {"shape": json.dumps(polygon), "waiting": list(WAITING),
                              "limit": limit}
    valid, reason = conn.execute(
        "SELECT ST_IsValid(g), ST_IsValidReason(g) FROM "
        "(SELECT ST_SetSRID(ST_GeomFromGeoJSON(%(shape)s), 4326) AS g) x", params).fetchone()
    if not valid:
        raise TicketError(f"polygon: not a valid polygon ({reason})", parameter="polygon")
    where = (" WHERE i.status = ANY(%(waiting)s) AND ST_Intersects(i.geom, "
             "ST_SetSRID(ST_GeomFromGeoJSON(%(shape)s), 4326))" + _scope_sql(actor, params))
    total = conn.execute(
        "SELECT count(*) FROM incidents i LEFT JOIN grids g ON g.code = i.grid_code" + where,
        params).fetchone()[0]
    rows = conn.cursor(row_factory=dict_row).execute(
        TICKET_SQL + where + " ORDER BY i.due_at NULLS LAST, i.received_at, i.code "
        "LIMIT %(limit)s", params).fetchall()
    return {"total": total, "tickets": [brief(row, now) for row in rows]}


def brief(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A ticket as a list line shows it."""
    return {"code": row["code"], "version": row["version"], "status": row["status"],
            "category": row["category"], "grid_code": row["grid_code"],
            "due_at": row["due_at"], "due_state": due_state(row, now),
            "assignee": row["assignee"]}


def listed(conn: psycopg.Connection, actor: Actor, codes: list[str],
           now: datetime) -> list[dict[str, Any]]:
    """The tickets of `codes` inside the actor's scope (others are left out), overdue first,
    then waiting, then by due time."""
    params: dict[str, Any] = {"codes": list(codes)}
    rows = conn.cursor(row_factory=dict_row).execute(
        TICKET_SQL + " WHERE i.code = ANY(%(codes)s)" + _scope_sql(actor, params),
        params).fetchall()
    order = {"overdue": 0, "soon": 1, "ok": 2}
    out = [brief(row, now) for row in rows]
    out.sort(key=lambda t: (t["status"] == "closed", order[t["due_state"]],
                            t["status"] not in WAITING, t["due_at"] or now, t["code"]))
    return out


def items_of(body: dict[str, Any]) -> list[tuple[str, int | None]]:
    """(code, version or None) from a batch body's `tickets: [{code, version}]` or `codes`."""
    if "tickets" in body:
        given = body["tickets"]
        if (not isinstance(given, list) or not given or len(given) > MAX_BATCH
                or not all(isinstance(t, dict) and isinstance(t.get("code"), str)
                           for t in given)):
            raise TicketError(f"tickets: a list of 1..{MAX_BATCH} {{code, version}} objects",
                              parameter="tickets")
        out = []
        for item in given:
            version = item.get("version")
            if isinstance(version, bool) or not isinstance(version, int):
                raise TicketError(f"tickets: the version of {item['code']} must be a whole "
                                  "number", parameter="tickets")
            out.append((item["code"], version))
        return out
    codes = body.get("codes")
    if (not isinstance(codes, list) or not codes or len(codes) > MAX_BATCH
            or not all(isinstance(c, str) for c in codes)):
        raise TicketError(f"codes: a list of 1..{MAX_BATCH} ticket codes", parameter="codes")
    return [(code, None) for code in codes]


def dispatch_batch(conn: psycopg.Connection, actor: Actor, items: list[tuple[str, int | None]],
                   now: datetime, assignee: str | None = None,
                   note: str | None = None) -> dict[str, Any]:
    """Dispatch each (code, version) — version None: the version read now — to `assignee` or
    to the ticket's own suggested assignee; one committed transaction per ticket. Returns
    `{results: [...], dispatched: n, refused: m}` in the order given."""
    if assignee is not None and not isinstance(assignee, str):
        raise TicketError("assignee: a staff code", parameter="assignee")
    conn.commit()  # each ticket below is its own outermost transaction
    results = []
    seen: set[str] = set()
    for code, version in items:
        if code in seen:
            results.append({"code": code, "ok": False, "http": 400,
                            "error": f"{code} is listed twice"})
            continue
        seen.add(code)
        try:
            with conn.transaction():
                ticket = fetch(conn, code)
                to = assignee
                if not to and actor.covers(ticket):
                    found = suggest_assignee(conn, ticket)
                    to = found[0]["code"] if found else None
                    if to is None:
                        raise TicketError(f"no on-duty grid worker for {code}",
                                          parameter="assignee")
                moved = act(conn, code, "dispatch",
                            ticket["version"] if version is None else version, actor, now,
                            assignee=to, note=note)
            results.append({"code": code, "ok": True, "status": moved["status"],
                            "version": moved["version"], "assignee": moved["assignee"]})
        except TicketError as exc:
            results.append({"code": code, "ok": False, "http": exc.status, "error": str(exc),
                            **{k: v for k, v in exc.facts.items()
                               if k in ("current_status", "current_version", "parameter")}})
    done = sum(1 for r in results if r["ok"])
    return {"results": results, "dispatched": done, "refused": len(results) - done}
