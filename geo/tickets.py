"""The 接诉即办 state machine: states, actions, who may take which step — pure functions.

received 已受理 → dispatched 已派遣 → accepted 已签收 → in_progress 处置中 → submitted 待核查
→ closed 已办结, with return 退回 (wrong jurisdiction: back to the dispatcher), reject 驳回
(verification failed: back to in progress) and reopen 重新打开 (a dissatisfied evaluation).
The SQL side (one transaction per step) is geo/ticket_store.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from geo.errors import GridcmdError

STATES = ("received", "dispatched", "accepted", "in_progress", "submitted", "closed", "returned")
STATE_NAMES_ZH = {"received": "已受理", "dispatched": "已派遣", "accepted": "已签收",
                  "in_progress": "处置中", "submitted": "待核查", "closed": "已办结",
                  "returned": "已退回"}
OPEN_STATES = tuple(s for s in STATES if s != "closed")
URGENCIES = ("emergency", "general", "complex")
SOURCES = ("hotline", "patrol", "device", "police", "market_supervision", "law_enforcement",
           "epidemic")

# Who may take a step: DISPATCH (dispatchers: admin, commander, official, community staff in
# their communities) or HANDLE (grid workers in their grids; dispatchers may act for them).
DISPATCH, HANDLE = "dispatch", "handle"


@dataclass(frozen=True)
class Rule:
    """One action: the states it starts from, the state it leads to, the right it needs."""

    sources: tuple[str, ...]
    target: str | None  # None: decided by the ticket (reopen)
    right: str
    needs_note: bool = False


ACTIONS: dict[str, Rule] = {
    "dispatch": Rule(("received", "returned", "dispatched"), "dispatched", DISPATCH),
    "accept": Rule(("dispatched",), "accepted", HANDLE),
    "start": Rule(("accepted",), "in_progress", HANDLE),
    "submit": Rule(("in_progress",), "submitted", HANDLE),
    "verify": Rule(("submitted",), "closed", DISPATCH),
    "reject": Rule(("submitted",), "in_progress", DISPATCH, needs_note=True),
    "return": Rule(("dispatched", "accepted"), "returned", HANDLE, needs_note=True),
    "close": Rule(OPEN_STATES, "closed", DISPATCH),
    "reopen": Rule(("closed",), None, DISPATCH),
}
ACTION_NAMES_ZH = {"receive": "受理", "dispatch": "派遣", "accept": "签收", "start": "开始处置",
                   "submit": "提交核查", "verify": "核查通过", "reject": "驳回", "return": "退回",
                   "close": "结案", "reopen": "重新打开", "escalate": "超时升级"}
MAX_NOTE = 1000


class TicketError(GridcmdError):
    """A step that cannot be taken; `status` says how to answer it."""

    status = 400

    def __init__(self, message: str, **facts: Any) -> None:
        super().__init__(message)
        self.facts = facts


class StepConflict(TicketError):
    """A stale version or an illegal step (409, naming the current state and version)."""

    status = 409


class StepForbidden(TicketError):
    """The actor lacks the right, or the ticket lies outside its grids/communities (403)."""

    status = 403


@dataclass(frozen=True)
class Actor:
    """Who takes a step: name, role, rights and scope (empty scope tuples: the whole town)."""

    name: str
    role: str
    rights: frozenset[str] = frozenset()
    grids: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    scoped_grids: bool = False
    scoped_communities: bool = False
    label: str = ""  # how history shows the actor (a department token's label), else name

    @property
    def shown(self) -> str:
        """The actor as the history names it."""
        return f"{self.label}（{self.name}）" if self.label else self.name

    def covers(self, ticket: Mapping[str, Any]) -> bool:
        """Whether the ticket lies inside the actor's grids / communities."""
        if self.scoped_grids and ticket.get("grid_code") not in self.grids:
            return False
        return not (self.scoped_communities
                    and ticket.get("community_code") not in self.communities)


@dataclass(frozen=True)
class Step:
    """What a legal step changes: the new state and the column values to write."""

    action: str
    from_status: str
    to_status: str
    changes: dict[str, Any] = field(default_factory=dict)


def conflict(ticket: Mapping[str, Any], why: str) -> StepConflict:
    """A 409 naming the ticket's current state (zh and en) and version."""
    status = ticket["status"]
    return StepConflict(
        f"{why}; the ticket {ticket['code']} is {status} ({STATE_NAMES_ZH.get(status, status)}) "
        f"at version {ticket['version']}",
        current_status=status, current_version=ticket["version"])


def plan(ticket: Mapping[str, Any], action: str, actor: Actor, version: int | None,
         now: datetime, assignee: str | None = None, note: str | None = None,
         satisfied: bool | None = None) -> Step:
    """The step `actor` asks for on `ticket` (its row), or the error that refuses it."""
    rule = ACTIONS.get(action)
    if rule is None:
        raise TicketError(f"action: must be one of {', '.join(ACTIONS)}", parameter="action")
    if rule.right not in actor.rights and not (rule.right == HANDLE and DISPATCH in actor.rights):
        raise StepForbidden(f"the role {actor.role} may not {action} tickets")
    if not actor.covers(ticket):
        raise StepForbidden(f"the ticket {ticket['code']} lies outside the grids or communities "
                            f"assigned to {actor.name}")
    if version is None or isinstance(version, bool) or not isinstance(version, int):
        raise TicketError("version: the ticket's version (a whole number) is required",
                          parameter="version")
    if version != ticket["version"]:
        raise conflict(ticket, f"version {version} is stale")
    status = ticket["status"]
    if status not in rule.sources:
        raise conflict(ticket, f"{action} is not allowed from {status}")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise TicketError(f"note: text of at most {MAX_NOTE} characters", parameter="note")
    if rule.needs_note and not (note or "").strip():
        raise TicketError(f"note: {action} needs a reason", parameter="note")
    if satisfied is not None and not isinstance(satisfied, bool):
        raise TicketError("satisfied: true or false", parameter="satisfied")
    changes: dict[str, Any] = {}
    target = rule.target
    if action == "dispatch":
        if not assignee:
            raise TicketError("assignee: the staff code to dispatch to is required",
                              parameter="assignee")
        changes.update(assignee=assignee, dispatched_at=now)
    elif action == "accept" and ticket.get("responded_at") is None:
        changes["responded_at"] = max(now, ticket["received_at"])  # signed for, citizen contacted
    elif action == "return":
        changes["assignee"] = None
    elif target == "closed":
        changes["solved_at"] = max(now, ticket["received_at"])
        if ticket.get("responded_at") is None:
            changes["responded_at"] = changes["solved_at"]
        if satisfied is not None:
            changes["satisfied"] = satisfied
    elif action == "reopen":
        target = "in_progress" if ticket.get("assignee") else "received"
        changes.update(solved_at=None, satisfied=False if satisfied is None else satisfied)
    return Step(action, status, target or status, changes)


def due_state(ticket: Mapping[str, Any], now: datetime,
              soon: timedelta = timedelta(hours=2)) -> str:
    """'overdue', 'soon' (due within `soon`) or 'ok' — computed, never stored."""
    if ticket["status"] == "closed":
        return "ok"
    due = ticket.get("due_at")
    late_response = (ticket.get("responded_at") is None and ticket.get("response_due_at")
                     is not None and ticket["response_due_at"] < now)
    if (due is not None and due < now) or late_response:
        return "overdue"
    if due is not None and due - now <= soon:
        return "soon"
    return "ok"


def escalation_level(ticket: Mapping[str, Any], now: datetime) -> int:
    """0 none, 1 community (a limit passed), 2 town (the solve limit passed by half its span
    again, at most 24 h later)."""
    if ticket["status"] == "closed" or due_state(ticket, now) != "overdue":
        return 0
    due, received = ticket["due_at"], ticket["received_at"]
    grace = min((due - received) / 2, timedelta(hours=24))
    return 2 if now > due + grace else 1
