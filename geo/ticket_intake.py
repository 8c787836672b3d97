"""Receiving a ticket: from another system (a department token: idempotent on source +
external_id), or from a grid worker's phone (idempotent on its client_id). Every field is
checked before anything is written; GCJ-02 / BD-09 points are converted to WGS84."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.params import number_within
from geo.ticket_store import fetch, record_event
from geo.tickets import SOURCES, URGENCIES, Actor, StepForbidden, TicketError
from geo.timewindow import TOWN_TZ
from geo.visits import parse_client_id

MAX_TEXT = 2000
MAX_ADDRESS = 200
MAX_EXTERNAL_ID = 100
KNOWN_FIELDS = ("source", "external_id", "client_id", "category", "urgency", "text",
                "reported_at", "lat", "lng", "address", "crs")


class PushConflict(TicketError):
    """The same (source, external_id) or client_id pushed with different content (409)."""

    status = 409


def _bad(field: str, message: str) -> TicketError:
    return TicketError(f"{field}: {message}", parameter=field)


def _text(body: Mapping[str, Any], field: str, limit: int, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _bad(field, "required")
        return None
    if not isinstance(value, str):
        raise _bad(field, "must be text")
    if len(value) > limit:
        raise _bad(field, f"at most {limit} characters (got {len(value)})")
    return value.strip()


def _coordinate(body: Mapping[str, Any], field: str, low: float, high: float) -> float:
    value = body.get(field)
    if value is None or value == "":
        raise _bad(field, "required: the location in degrees (lat, lng)")
    return number_within(value, low, high, lambda message: _bad(field, message),
                         "must be a number", "must lie within {low}..{high}")


def parse(conn: psycopg.Connection, body: Any, now: datetime) -> dict[str, Any]:
    """The push's fields, checked (TicketError naming the first bad field)."""
    if not isinstance(body, Mapping):
        raise _bad("body", "a JSON object is required")
    source = _text(body, "source", 40, required=True)
    if source not in SOURCES:
        raise _bad("source", f"must be one of {', '.join(SOURCES)}")
    category = _text(body, "category", 60, required=True)
    known = conn.execute("SELECT 1 FROM ticket_categories WHERE code = %s",
                         [category]).fetchone()
    if known is None:
        names = [r[0] for r in conn.execute("SELECT code FROM ticket_categories ORDER BY code")]
        raise _bad("category", f"{category!r} is not a category; use one of {', '.join(names)}")
    urgency = _text(body, "urgency", 20)
    if urgency is not None and urgency not in URGENCIES:
        raise _bad("urgency", f"must be one of {', '.join(URGENCIES)}")
    text = _text(body, "text", MAX_TEXT, required=True)
    address = _text(body, "address", MAX_ADDRESS)
    external_id = body.get("external_id")
    if external_id is not None and not isinstance(external_id, str | int):
        raise _bad("external_id", "must be text")
    external_id = None if external_id is None else str(external_id).strip() or None
    if external_id is not None and len(external_id) > MAX_EXTERNAL_ID:
        raise _bad("external_id", f"at most {MAX_EXTERNAL_ID} characters")
    client_id = body.get("client_id")
    if client_id is not None:
        client_id = parse_client_id(client_id)
        if client_id is None:
            raise _bad("client_id", "must be a UUID made by the phone")
    lat = _coordinate(body, "lat", -90, 90)
    lng = _coordinate(body, "lng", -180, 180)
    crs = body.get("crs") or "wgs84"
    # pyproj and shapely load with the first push, not with every server start
    from geo.chinacrs import normalise_crs, to_wgs84

    try:
        crs = normalise_crs(str(crs))
    except Exception:
        raise _bad("crs", "must be wgs84, gcj02 or bd09") from None
    if crs not in ("wgs84", "cgcs2000", "gcj02", "bd09"):
        raise _bad("crs", "must be wgs84, gcj02 or bd09")
    if crs in ("gcj02", "bd09"):
        lngs, lats = to_wgs84([lng], [lat], crs)
        lng, lat = float(lngs[0]), float(lats[0])
    reported_at = body.get("reported_at")
    if reported_at is not None:
        try:
            reported_at = datetime.fromisoformat(str(reported_at))
        except ValueError:
            raise _bad("reported_at", "an ISO time such as 2026-11-30T08:15:00+08:00") from None
        if reported_at.tzinfo is None:
            reported_at = reported_at.replace(tzinfo=TOWN_TZ)
        if reported_at > now + timedelta(minutes=5):
            raise _bad("reported_at", "lies in the future")
    return {"source": source, "category": category, "urgency": urgency, "text": text,
            "address": address, "external_id": external_id, "client_id": client_id,
            "lat": lat, "lng": lng, "reported_at": reported_at}


def _place(conn: psycopg.Connection, lat: float, lng: float) -> dict[str, Any]:
    row = conn.cursor(row_factory=dict_row).execute("""
        WITH p AS (SELECT ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326) AS g)
        SELECT (SELECT t.code FROM towns t, p WHERE ST_Contains(t.geom, p.g)
                ORDER BY t.code LIMIT 1) AS town_code,
               (SELECT gr.code FROM grids gr, p WHERE ST_Contains(gr.geom, p.g)
                ORDER BY gr.code LIMIT 1) AS grid_code,
               (SELECT b.code FROM buildings b, p WHERE ST_Contains(b.geom, p.g)
                ORDER BY b.code LIMIT 1) AS building_code""",
        {"lat": lat, "lng": lng}).fetchone()
    if row["town_code"] is None:
        raise _bad("location", f"the point lat {lat:.6f}, lng {lng:.6f} lies outside the town "
                               "(check lat/lng, and `crs` for GCJ-02/BD-09 coordinates)")
    return row


def _differing_field(existing: Mapping[str, Any], fields: Mapping[str, Any]) -> str | None:
    """The first field of a repeated push that differs from the stored ticket."""
    pairs = [("category", existing["category"], fields["category"]),
             ("text", existing["text"], fields["text"])]
    if fields["urgency"] is not None:
        pairs.append(("urgency", existing["urgency"], fields["urgency"]))
    if fields["address"] is not None:
        pairs.append(("address", existing["address"], fields["address"]))
    for name, old, new in pairs:
        if old != new:
            return name
    for name in ("lat", "lng"):
        if abs(existing[name] - fields[name]) > 1e-6:
            return name
    if fields["reported_at"] is not None and existing["received_at"] != fields["reported_at"]:
        return "reported_at"
    if existing["source"] != fields["source"]:
        return "source"
    return None


def _existing(conn: psycopg.Connection, fields: Mapping[str, Any]) -> str | None:
    if fields["client_id"] is not None:
        row = conn.execute("SELECT code FROM incidents WHERE client_id = %s",
                           [fields["client_id"]]).fetchone()
        if row:
            return row[0]
    if fields["external_id"] is not None:
        row = conn.execute("SELECT code FROM incidents WHERE source = %s AND external_id = %s",
                           [fields["source"], fields["external_id"]]).fetchone()
        if row:
            return row[0]
    return None


def _repeat(conn: psycopg.Connection, code: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    ticket = fetch(conn, code)
    differs = _differing_field(ticket, fields)
    if differs is not None:
        key = "client_id" if fields["client_id"] is not None else "external_id"
        raise PushConflict(
            f"{differs}: the ticket {code} pushed earlier with this {key} has a different "
            f"{differs}; send a new {key} for a new ticket", parameter=differs,
            code=code)
    return ticket


def receive(conn: psycopg.Connection, body: Any, actor: Actor,
            now: datetime) -> tuple[dict[str, Any], bool]:
    """(the ticket, created?) — a repeated push answers the ticket already stored."""
    with conn.transaction():  # checks and the write together; commits when it ends
        fields = parse(conn, body, now)
        if actor.role == "gridworker":
            fields["source"] = "patrol"  # a grid worker's own finding in the field
        code = _existing(conn, fields)
        if code is not None:
            return _repeat(conn, code, fields), False
        place = _place(conn, fields["lat"], fields["lng"])
        if actor.scoped_grids and place["grid_code"] not in actor.grids:
            raise StepForbidden(f"the point lies outside the grids assigned to {actor.name}")
        if actor.scoped_communities:
            community = conn.execute("SELECT community_code FROM grids WHERE code = %s",
                                     [place["grid_code"]]).fetchone()
            if community is None or community[0] not in actor.communities:
                raise StepForbidden(f"the point lies outside the communities of {actor.name}")
        received = fields["reported_at"] or now
        row = conn.execute("""
            INSERT INTO incidents (code, town_code, source, category, urgency, status,
                                   received_at, address, building_code, grid_code, h3_cell,
                                   geom, updated_at, external_id, client_id, intake_by,
                                   content)
            VALUES ('TK' || to_char(%(now)s::timestamptz AT TIME ZONE 'Asia/Shanghai',
                                    'YYYYMMDD')
                            || lpad(nextval('ticket_code_seq')::text, 6, '0'),
                    %(town)s, %(source)s, %(category)s, coalesce(%(urgency)s, 'general'),
                    'received', %(received)s, %(address)s, %(building)s, %(grid)s, %(h3)s,
                    ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326), %(now)s,
                    %(external_id)s, %(client_id)s, %(intake_by)s, %(text)s)
            ON CONFLICT DO NOTHING
            RETURNING code""", {
            **fields, "now": now, "town": place["town_code"], "grid": place["grid_code"],
            "building": place["building_code"], "received": received,
            "h3": _cell(fields["lat"], fields["lng"]),
            "intake_by": actor.name}).fetchone()
        if row is None:  # a simultaneous push of the same ticket won
            code = _existing(conn, fields)
            if code is None:
                raise TicketError("the ticket could not be stored; push it again")
            return _repeat(conn, code, fields), False
        ticket = fetch(conn, row[0])
        record_event(conn, ticket, received, actor.shown, actor.role, "receive", None,
                     "received", 1, note=None)
        return ticket, True


def _cell(lat: float, lng: float) -> int:
    # h3 and numpy load with the first ticket, not with every app (cold exports start faster)
    from geo.h3cells import cells

    return int(cells([lat], [lng])[0])
