"""JSON routes of the phone app (/m/): my grids, buildings and their forms, reveal, visits, photos,
reports, tasks and their steps.

Every write carries the phone's id (UUID) as its idempotency key: the same id twice answers the
record the first call made (200) and writes nothing more.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.api.map import plain
from dashboard.auth.login import csrf_token
from dashboard.auth.principal import current, remote_addr
from dashboard.auth.scope import AccessDenied
from dashboard.auth.ticket_actor import actor_of
from dashboard.state import connection, get_state
from geo import audit as audit_log
from geo import phone_tasks, photos, visits
from geo.errors import BadParameter
from geo.params import number_within
from geo.phone_context import categories, my_grids
from geo.ticket_store import describe
from geo.tickets import TicketError
from geo.timewindow import TOWN_TZ

phone_api = Blueprint("gridcmd_phone_api", __name__)


def _worker():
    """The signed-in grid worker (policy lets only HANDLE roles here; grids must be set)."""
    who = current()
    if who is None or not who.grids:
        raise AccessDenied("the phone app is for grid workers with assigned grids")
    return who


def _float(name: str, low: float, high: float, value: object = None) -> float | None:
    text = request.args.get(name) if value is None else value
    if text is None or text == "":
        return None
    return number_within(text, low, high, lambda message: BadParameter(name, message),
                         "a number", "a number between {low} and {high}")


def client_id(body: dict) -> uuid.UUID:
    """The phone's id from a JSON body (400 naming client_id when it is not a UUID)."""
    found = visits.parse_client_id(body.get("client_id"))
    if found is None:
        raise BadParameter("client_id", "the phone's id, a UUID (crypto.randomUUID())")
    return found


def json_body() -> dict:
    """The request's JSON object (400 when the body is not one)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadParameter("body", "send a JSON object (Content-Type: application/json)")
    return body


@phone_api.get("/api/m/me")
def me():
    """Who I am, my grids (outlines for the offline map), for the phone to keep."""
    who = _worker()
    with connection() as conn:
        grids = my_grids(conn, who.grids)
    # The form token lets the app sign out (POST /logout) from its static page.
    return jsonify(plain({"user": who.name, "role": who.role, "grids": grids,
                          "csrf": csrf_token()}))


@phone_api.get("/api/m/categories")
def report_categories():
    """The categories a report may take (the ticket loop's), in the configured language."""
    _worker()
    lang = "en" if get_state().settings.lang.lower().startswith("en") else "zh"
    with connection() as conn:
        rows = categories(conn, lang)
    return jsonify({"categories": rows})


@phone_api.get("/api/m/buildings")
def buildings():
    """Buildings of my grids nearest to lat/lng, or matching q (address or code)."""
    who = _worker()
    lat = _float("lat", -90, 90)
    lng = _float("lng", -180, 180)
    if (lat is None) != (lng is None):
        raise BadParameter("lat" if lat is None else "lng", "give both lat and lng")
    q = (request.args.get("q") or "").strip()[:60] or None
    with connection() as conn:
        rows = visits.buildings(conn, who.grids, lat, lng, q)
    return jsonify(plain({"buildings": rows}))


@phone_api.get("/api/m/buildings/<code>")
def building(code: str):
    """A building of my grids and its household forms (residents masked)."""
    who = _worker()
    with connection() as conn:
        record = visits.building_forms(conn, code[:64], who.grids)
    return jsonify(plain(record))


@phone_api.post("/api/m/households/<code>/reveal")
def reveal(code: str):
    """The residents of one household I am visiting, in clear; audited ('reveal')."""
    who = _worker()
    with connection() as conn:
        persons = visits.reveal(conn, code[:64], who.grids)
        audit_log.record(conn, who.name, who.role, "reveal", f"household:{code[:64]}",
                         {"persons": len(persons)}, remote_addr())
    return jsonify(plain({"household": code, "personal_data": "clear", "persons": persons}))


@phone_api.post("/api/visits")
def visit():
    """One household visit (一户一表 counts confirmed or corrected); idempotent by client_id."""
    who = _worker()
    body = json_body()
    key = client_id(body)
    household = str(body.get("household") or "")[:64]
    if not household:
        raise BadParameter("household", "the household code")
    form = body.get("counts")
    if not isinstance(form, dict):
        raise BadParameter("counts", "an object with members, registered, floating, renters,"
                                     " elderly, children, vulnerable")
    with connection() as conn:
        record, new = visits.record_visit(conn, key, household, form, who.name, who.grids,
                                          body.get("note"))
        if new:
            audit_log.record(conn, who.name, who.role, "visit", f"household:{household}",
                             {"client_id": str(key)}, remote_addr())
    return jsonify(plain({"visit": record, "created": new})), 201 if new else 200


@phone_api.post("/api/m/photos")
def upload_photo():
    """One photo (multipart field `photo`, form field `client_id`): checked, cleaned, kept."""
    who = _worker()
    limit = get_state().settings.photo_max_bytes
    # The whole request is bounded before the multipart body is parsed (413 past it).
    request.max_content_length = limit + 64 * 1024
    try:
        key = visits.parse_client_id(request.form.get("client_id"))
        upload = request.files.get("photo")
    except RequestEntityTooLarge:
        raise photos.PhotoTooBig(f"photo is over the limit of {limit / 1_048_576:.1f} MB: "
                                 "take it again at a lower size") from None
    if key is None:
        raise BadParameter("client_id", "the phone's id, a UUID")
    if upload is None:
        raise BadParameter("photo", "send the picture as the multipart field 'photo'")
    data = upload.stream.read(limit + 1)  # never more than one byte past the limit
    home = get_state().settings.home
    with connection() as conn:
        row, new = photos.store(conn, home, key, data, who.name, who.grids, limit)
        if new:
            audit_log.record(conn, who.name, who.role, "photo", f"photo:{key}",
                             {"bytes": row["bytes"]}, remote_addr())
    return jsonify(plain({"photo": _photo_json(row), "created": new})), 201 if new else 200


def _photo_json(row: dict) -> dict:
    return {k: row[k] for k in ("id", "ticket_code", "mime", "bytes", "width", "height",
                                "created_at")}


@phone_api.get("/api/photos/<photo_id>")
def photo(photo_id: str):
    """A stored photo, only for whoever may see its ticket (or its uploader before that)."""
    key = visits.parse_client_id(photo_id)
    if key is None:
        raise BadParameter("photo_id", "a photo id (UUID)")
    who = current()
    with connection() as conn:
        row = photos.find(conn, key)
        if row is None:
            return jsonify({"error": "not_found", "message": "no such photo"}), 404
        if not photos.may_see(conn, who, row):
            raise AccessDenied("this photo belongs to a ticket you may not see")
    data = photos.read(get_state().settings.home, row)
    response = Response(data, mimetype=row["mime"])
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _lang() -> str:
    return "en" if get_state().settings.lang.lower().startswith("en") else "zh"


@phone_api.get("/api/m/tasks")
def tasks():
    """The tickets dispatched to me, most urgent first (countdown to due_at on the phone)."""
    who = _worker()
    with connection() as conn:
        rows = phone_tasks.my_tasks(conn, who.grids, datetime.now(TOWN_TZ), _lang())
    return jsonify(plain({"tasks": rows}))


@phone_api.get("/api/m/tasks/<code>")
def task(code: str):
    """One of my grids' tickets: place, address, history, photos (audited 'ticket_view')."""
    who = _worker()
    with connection() as conn:
        record = phone_tasks.task(conn, code[:64], actor_of(who), datetime.now(TOWN_TZ),
                                  _lang())
        audit_log.record(conn, who.name, who.role, "ticket_view", code[:64], {"via": "phone"},
                         remote_addr())
    return jsonify(plain({"task": record}))


@phone_api.post("/api/m/tickets/<code>/actions")
def task_step(code: str):
    """accept / start / submit with a note and photos; idempotent by client_id."""
    who = _worker()
    body = json_body()
    key = client_id(body)
    with connection() as conn:
        try:
            answer, new = phone_tasks.take_step(conn, key, code[:64], body, actor_of(who),
                                                datetime.now(TOWN_TZ))
        except ValueError as exc:
            name, _, message = str(exc).partition(": ")
            raise BadParameter(name, message) from None
        if new:
            audit_log.record(conn, who.name, who.role, "ticket_action", code[:64],
                             {"action": answer["action"], "version": answer["version"],
                              "via": "phone"}, remote_addr())
    return jsonify(plain(answer)), 201 if new else 200


@phone_api.post("/api/reports")
def report():
    """What I found → a ticket with source patrol (the loop's intake), photos attached;
    idempotent by client_id (the same id twice: the same ticket, 200)."""
    who = _worker()
    body = json_body()
    client_id(body)
    now = datetime.now(TOWN_TZ)
    with connection() as conn:
        try:
            ticket, created = phone_tasks.file_report(conn, body, actor_of(who), now)
        except ValueError as exc:
            name, _, message = str(exc).partition(": ")
            raise BadParameter(name, message) from None
        if created:
            audit_log.record(conn, who.name, who.role, "report", ticket["code"],
                             {"client_id": str(ticket["client_id"]),
                              "photos": len(body.get("photos") or [])}, remote_addr())
        out = describe(conn, ticket, now, with_suggestion=False)
    return jsonify(plain({"ticket": out, "created": created})), 201 if created else 200


@phone_api.errorhandler(TicketError)
def _ticket_error(exc: TicketError):
    body = {"error": type(exc).__name__, "message": str(exc), **plain(exc.facts)}
    return jsonify(body), exc.status


@phone_api.app_errorhandler(visits.OutsideGrids)
def _outside(exc: visits.OutsideGrids):
    return jsonify({"error": "forbidden", "message": str(exc)}), 403


@phone_api.app_errorhandler(visits.NotFound)
def _not_found(exc: visits.NotFound):
    return jsonify({"error": "not_found", "message": str(exc)}), 404


@phone_api.app_errorhandler(visits.FormRefused)
def _form_refused(exc: visits.FormRefused):
    return jsonify({"error": "bad_form", "message": str(exc),
                    "problems": [p.as_dict() for p in exc.problems]}), 400


@phone_api.app_errorhandler(photos.PhotoRefused)
def _photo_refused(exc: photos.PhotoRefused):
    status = 413 if isinstance(exc, photos.PhotoTooBig) else 400
    return jsonify({"error": "bad_photo", "parameter": "photo", "message": str(exc)}), status
