"""HTTP routes of the 接诉即办 loop: intake, list, one ticket, steps, batch dispatch, the change
feed and callback registrations. The rules live in geo/tickets.py and geo/ticket_store.py."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request

from dashboard.api.map import plain
from dashboard.auth.principal import current, remote_addr
from dashboard.auth.scope import AccessDenied
from dashboard.auth.ticket_actor import actor_of
from dashboard.state import connection
from geo import audit
from geo.ticket_batch import dispatch_batch, items_of, region_tickets
from geo.ticket_callbacks import list_callbacks, register_callback
from geo.ticket_intake import receive
from geo.ticket_store import (
    MAX_FEED,
    MAX_LIST,
    act,
    changes,
    describe,
    fetch,
    list_tickets,
    suggest_assignee,
)
from geo.tickets import DISPATCH, StepForbidden, TicketError
from geo.timewindow import TOWN_TZ

tickets_api = Blueprint("gridcmd_tickets_api", __name__)


@tickets_api.errorhandler(TicketError)
def _ticket_error(exc: TicketError):
    body = {"error": type(exc).__name__, "message": str(exc), **plain(exc.facts)}
    return jsonify(body), exc.status


def _now() -> datetime:
    return datetime.now(TOWN_TZ)


def _who():
    who = current()
    if who is None:  # the guard answers 401 first; this keeps type checkers honest
        raise AccessDenied("sign in first")
    return who


def _json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise TicketError("body: a JSON object is required", parameter="body")
    return body


def _int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    text = request.args.get(name)
    if text is None or text == "":
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise TicketError(f"{name}: a whole number within {low}..{high}", parameter=name)
    return int(text)


def _audit(conn, action: str, target: str, detail: dict | None = None) -> None:
    who = _who()
    audit.record(conn, who.name, who.role, action, target,
                 {**(detail or {}), **({"label": who.label} if who.label else {})},
                 remote_addr())


def _visible(ticket: dict) -> None:
    who = _who()
    actor = actor_of(who)
    if who.role == "department":
        if ticket.get("intake_by") != who.name:
            raise StepForbidden("a department sees only the tickets it pushed")
    elif not actor.covers(ticket):
        raise StepForbidden(f"the ticket {ticket['code']} lies outside the grids or "
                            f"communities assigned to {who.name}")


@tickets_api.post("/api/tickets")
def push_ticket():
    """A new ticket (201) or the one already stored for this source+external_id / client_id
    (200); 400 naming the bad field, 409 naming the field that differs from the stored one."""
    who = _who()
    actor = actor_of(who)
    if not actor.rights:
        raise StepForbidden(f"the role {who.role} may not create tickets")
    now = _now()
    with connection() as conn:
        ticket, created = receive(conn, _json(), actor, now)
        _audit(conn, "ticket_intake", ticket["code"],
               {"created": created, "source": ticket["source"],
                "external_id": ticket["external_id"]})
        body = describe(conn, ticket, now)
    return jsonify(plain(body)), 201 if created else 200


@tickets_api.get("/api/tickets")
def tickets_list():
    """Tickets newest first in the caller's scope: status, community, grid, assignee,
    overdue=1 filters; limit and cursor page."""
    args = request.args
    overdue = args.get("overdue", "0").lower() in ("1", "true", "yes")
    with connection() as conn:
        out = list_tickets(conn, actor_of(_who()), _now(), status=args.get("status"),
                           community=args.get("community"), grid=args.get("grid"),
                           assignee=args.get("assignee"), overdue=overdue,
                           limit=_int_arg("limit", 100, 1, MAX_LIST),
                           cursor=args.get("cursor") or None)
    return jsonify(plain(out))


@tickets_api.get("/api/tickets/changes")
def ticket_changes():
    """The change feed: `{cursor, changes}`; without `after` the cursor of now."""
    after = _int_arg("after", None, 0, 2**62)
    limit = _int_arg("limit", 200, 1, MAX_FEED)
    with connection() as conn:
        out = changes(conn, actor_of(_who()), _now(), after, limit)
    return jsonify(plain(out))


@tickets_api.get("/api/tickets/<code>")
def ticket_one(code: str):
    """One ticket with its state, version, limits, masked assignee, suggestion and history."""
    now = _now()
    with connection() as conn:
        ticket = fetch(conn, code)
        _visible(ticket)
        _audit(conn, "ticket_view", code)
        body = describe(conn, ticket, now)
    return jsonify(plain(body))


@tickets_api.get("/api/tickets/<code>/candidates")
def ticket_candidates(code: str):
    """On-duty grid workers to dispatch to: the ticket's grid first, then the nearest ones."""
    n = _int_arg("n", 8, 1, 50)
    with connection() as conn:
        ticket = fetch(conn, code)
        _visible(ticket)
        rows = suggest_assignee(conn, ticket, n)
    return jsonify(plain({"code": code, "candidates": rows}))


@tickets_api.post("/api/tickets/<code>/actions")
def ticket_action(code: str):
    """One step: `{action, version, assignee?, note?, satisfied?}` → the ticket after it;
    409 on a stale version or an illegal step (naming the current state and version)."""
    body = _json()
    who = _who()
    now = _now()
    with connection() as conn:
        ticket = act(conn, code, body.get("action"), body.get("version"), actor_of(who), now,
                     assignee=body.get("assignee"), note=body.get("note"),
                     satisfied=body.get("satisfied"))
        _audit(conn, "ticket_action", code, {"action": body.get("action"),
                                             "version": ticket["version"]})
        out = describe(conn, ticket, now)
    return jsonify(plain(out))


@tickets_api.post("/api/tickets/batch")
def ticket_batch():
    """Batch dispatch of `tickets: [{code, version}]` (version-checked), `codes: [...]` (each at
    its current version) or the waiting tickets inside `polygon` (GeoJSON, WGS84) in the
    caller's scope; each to `assignee` or its own suggested assignee, one committed step per
    ticket; `dry_run` with a polygon only lists the selection. A result per ticket."""
    body = _json()
    who = _who()
    actor = actor_of(who)
    if DISPATCH not in actor.rights:
        raise StepForbidden(f"the role {who.role} may not dispatch tickets")
    given = [k for k in ("tickets", "codes", "polygon") if k in body]
    if len(given) != 1:
        raise TicketError("body: exactly one of tickets, codes or polygon", parameter="body")
    now = _now()
    with connection() as conn:
        selection = None
        if "polygon" in body:
            selection = region_tickets(conn, actor, body["polygon"], now)
            if body.get("dry_run") is True:
                return jsonify(plain({"selected": selection["tickets"],
                                      "total": selection["total"]}))
            items = [(t["code"], t["version"]) for t in selection["tickets"]]
        else:
            items = items_of(body)
        out = dispatch_batch(conn, actor, items, now, assignee=body.get("assignee") or None,
                             note=body.get("note"))
        if selection is not None:
            out["selected"] = len(items)
            out["total"] = selection["total"]
        _audit(conn, "ticket_action", ",".join(code for code, _ in items)[:400] or "(none)",
               {"action": "dispatch", "batch": len(items), "done": out["dispatched"],
                **({"polygon": True} if selection is not None else {})})
    return jsonify(plain(out))


@tickets_api.route("/api/tickets/callbacks", methods=["GET", "POST"])
def ticket_callbacks():
    """A department token registers (POST `{url}`) or lists (GET) its callback URLs; every
    state change of the tickets it pushed is delivered there."""
    who = _who()
    if not who.name.startswith("token:"):
        raise StepForbidden("callbacks belong to department tokens")
    token_id = int(who.name.split(":", 1)[1])
    with connection() as conn:
        if request.method == "POST":
            row = register_callback(conn, token_id, _json().get("url"))
            _audit(conn, "ticket_intake", f"callback {row['id']}", {"url": row["url"]})
            return jsonify(plain(row)), 201
        return jsonify(plain({"callbacks": list_callbacks(conn, token_id)}))
