"""The grid worker's tasks on the phone (tickets dispatched to them), their steps and their
patrol reports, each write idempotent by the phone's id. The ticket rules are the loop's own
(geo.tickets, geo.ticket_store, geo.ticket_intake); this module adds the phone's keys, photos
and the worker's view."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo import photos
from geo.sqlfiles import read_sql
from geo.ticket_intake import receive
from geo.ticket_store import act, describe, fetch
from geo.tickets import ACTION_NAMES_ZH, STATE_NAMES_ZH, Actor, StepForbidden, due_state

PHONE_STEPS = ("accept", "start", "submit")
MAX_PHOTOS = 3


def _names(row: dict[str, Any], lang: str) -> dict[str, Any]:
    row["category_name"] = row.pop("category_en" if lang == "en" else "category_zh", None)
    row.pop("category_zh", None)
    row.pop("category_en", None)
    row["status_name"] = row["status"] if lang == "en" else STATE_NAMES_ZH.get(row["status"])
    return row


def my_tasks(conn: psycopg.Connection, grids: tuple[str, ...], now: datetime,
             lang: str = "zh") -> list[dict[str, Any]]:
    """Tickets dispatched to the worker of `grids`, most urgent first, with their due state."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(read_sql("queries/phone_tasks.sql"),
                           {"grids": list(grids), "now": now}).fetchall()
    for row in rows:
        row["due_state"] = due_state(row, now)
        _names(row, lang)
    return rows


def task(conn: psycopg.Connection, code: str, actor: Actor, now: datetime,
         lang: str = "zh") -> dict[str, Any]:
    """One ticket as the worker sees it: state, place, history with names, its photos."""
    ticket = fetch(conn, code)
    if not actor.covers(ticket):
        raise StepForbidden(f"the ticket {code} lies outside the grids assigned to {actor.name}")
    out = describe(conn, ticket, now, with_suggestion=False)
    names = conn.execute("SELECT name_zh, name_en FROM ticket_categories WHERE code = %s",
                         [ticket["category"]]).fetchone()
    out["category_name"] = (names[1] if lang == "en" else names[0]) if names else None
    out["status_name"] = out["status"] if lang == "en" else STATE_NAMES_ZH.get(out["status"])
    for event in out.get("history", []):
        event["action_name"] = (event["action"] if lang == "en"
                                else ACTION_NAMES_ZH.get(event["action"], event["action"]))
    out["photos"] = [r[0] for r in conn.execute(
        "SELECT client_id::text FROM phone_photos WHERE ticket_code = %s ORDER BY created_at",
        [code])]
    return out


def _photo_ids(values: Any) -> list[uuid.UUID]:
    if values is None:
        return []
    if not isinstance(values, list) or len(values) > MAX_PHOTOS:
        raise ValueError(f"photos: a list of at most {MAX_PHOTOS} photo ids")
    try:
        return [uuid.UUID(str(v)) for v in values]
    except ValueError:
        raise ValueError("photos: photo ids are the UUIDs the phone made") from None


def _check_photos(conn: psycopg.Connection, ids: list[uuid.UUID], username: str) -> None:
    """Every photo must have been uploaded by this user (before the report or step)."""
    if not ids:
        return
    found = {r[0] for r in conn.execute(
        "SELECT client_id FROM phone_photos WHERE client_id = ANY(%s) AND username = %s",
        [ids, username])}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValueError(f"photos: {missing[0]} was not uploaded by you (POST /api/m/photos)")


def file_report(conn: psycopg.Connection, body: dict[str, Any], actor: Actor,
                now: datetime) -> tuple[dict[str, Any], bool]:
    """A patrol report → a ticket (source patrol) through the loop's intake, with its photos and
    the fix's accuracy, in one transaction: (the ticket, created?). Same client_id: same ticket."""
    ids = _photo_ids(body.get("photos"))
    accuracy = body.get("accuracy")
    if accuracy is not None and (not isinstance(accuracy, int | float) or accuracy < 0):
        raise ValueError("accuracy: metres, a number ≥ 0")
    push = {k: body.get(k) for k in ("category", "text", "lat", "lng", "address", "urgency",
                                     "client_id")}
    push["source"] = "patrol"
    with conn.transaction():
        _check_photos(conn, ids, actor.name)
        ticket, created = receive(conn, push, actor, now)
        photos.attach(conn, ids, actor.name, ticket["code"])
        if created:
            conn.execute(
                "INSERT INTO phone_reports (client_id, username, ticket_code, accuracy_m)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (client_id) DO NOTHING",
                [ticket["client_id"], actor.name, ticket["code"], accuracy])
    return ticket, created


def take_step(conn: psycopg.Connection, client_id: uuid.UUID, code: str, body: dict[str, Any],
              actor: Actor, now: datetime) -> tuple[dict[str, Any], bool]:
    """accept / start / submit from the phone, in one transaction with its photos: (the answer,
    new?). A step replayed with the same client_id answers what it answered the first time."""
    with conn.cursor(row_factory=dict_row) as cur:
        done = cur.execute("SELECT username, answer FROM phone_actions WHERE client_id = %s",
                           [client_id]).fetchone()
    if done is not None:
        if done["username"] != actor.name:
            raise StepForbidden("that id belongs to another user's step")
        return done["answer"], False
    action = body.get("action")
    if action not in PHONE_STEPS:
        raise ValueError(f"action: one of {', '.join(PHONE_STEPS)} from the phone")
    ids = _photo_ids(body.get("photos"))
    with conn.transaction():
        _check_photos(conn, ids, actor.name)
        note = body.get("note")
        if note is not None and not isinstance(note, str):
            raise ValueError("note: text")
        ticket = act(conn, code, action, body.get("version"), actor, now, note=note or None)
        photos.attach(conn, ids, actor.name, code)
        answer = {"code": code, "status": ticket["status"], "version": ticket["version"],
                  "action": action}
        conn.execute("INSERT INTO phone_actions (client_id, username, ticket_code, action,"
                     " answer) VALUES (%s, %s, %s, %s, %s::jsonb)",
                     [client_id, actor.name, code, action, json.dumps(answer)])
    return answer, True
