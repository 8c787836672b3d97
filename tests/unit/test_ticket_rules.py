"""The 接诉即办 state machine as pure functions: every step from every state, rights, scope,
due states and escalation levels on a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from geo.tickets import (
    ACTIONS,
    STATES,
    Actor,
    StepConflict,
    StepForbidden,
    TicketError,
    due_state,
    escalation_level,
    plan,
)
from geo.timewindow import TOWN_TZ

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=TOWN_TZ)
BOSS = Actor("boss", "commander", frozenset({"dispatch"}))
WORKER = Actor("w", "gridworker", frozenset({"handle"}), grids=("G1",), scoped_grids=True)
LEGAL = {("dispatch", "received"): "dispatched", ("dispatch", "returned"): "dispatched",
         ("dispatch", "dispatched"): "dispatched", ("accept", "dispatched"): "accepted",
         ("start", "accepted"): "in_progress", ("submit", "in_progress"): "submitted",
         ("verify", "submitted"): "closed", ("reject", "submitted"): "in_progress",
         ("return", "dispatched"): "returned", ("return", "accepted"): "returned",
         ("reopen", "closed"): "in_progress",
         **{("close", s): "closed" for s in STATES if s != "closed"}}


def _ticket(status="received", version=3, **extra):
    return {"code": "TK1", "status": status, "version": version, "grid_code": "G1",
            "community_code": "C1", "received_at": T0, "responded_at": None,
            "assignee": "S1", "response_due_at": T0 + timedelta(hours=24),
            "due_at": T0 + timedelta(days=7), **extra}


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_step_from_every_state_is_legal_exactly_as_the_table_says(action, status):
    ticket = _ticket(status)
    kwargs = {"assignee": "S2", "note": "原因"}
    if (action, status) in LEGAL:
        step = plan(ticket, action, BOSS, 3, T0, **kwargs)
        assert step.to_status == LEGAL[(action, status)]
    else:
        with pytest.raises(StepConflict) as refused:
            plan(ticket, action, BOSS, 3, T0, **kwargs)
        assert status in str(refused.value) and "version 3" in str(refused.value)
        assert refused.value.facts == {"current_status": status, "current_version": 3}


def test_stale_version_rights_and_scope():
    with pytest.raises(StepConflict, match="version 2 is stale"):
        plan(_ticket(), "dispatch", BOSS, 2, T0, assignee="S1")
    with pytest.raises(StepForbidden):
        plan(_ticket(), "dispatch", WORKER, 3, T0, assignee="S1")
    with pytest.raises(StepForbidden):
        plan(_ticket("dispatched", grid_code="G9"), "accept", WORKER, 3, T0)
    assert plan(_ticket("dispatched"), "accept", WORKER, 3, T0).to_status == "accepted"
    with pytest.raises(TicketError, match="assignee"):
        plan(_ticket(), "dispatch", BOSS, 3, T0)
    with pytest.raises(TicketError, match="version"):
        plan(_ticket(), "dispatch", BOSS, None, T0, assignee="S1")


def test_steps_write_the_response_and_solve_times():
    accepted = plan(_ticket("dispatched"), "accept", BOSS, 3, T0 + timedelta(hours=1))
    assert accepted.changes == {"responded_at": T0 + timedelta(hours=1)}
    closed = plan(_ticket("submitted", responded_at=T0), "verify", BOSS, 3,
                  T0 + timedelta(hours=5), satisfied=True)
    assert closed.changes == {"solved_at": T0 + timedelta(hours=5), "satisfied": True}
    reopened = plan(_ticket("closed"), "reopen", BOSS, 3, T0)
    assert reopened.changes == {"solved_at": None, "satisfied": False}
    assert plan(_ticket("closed", assignee=None), "reopen", BOSS, 3, T0).to_status == \
        "received"


def test_due_states_and_escalation_on_a_fake_clock():
    ticket = _ticket("dispatched")
    assert due_state(ticket, T0) == "ok"
    assert due_state(ticket, T0 + timedelta(hours=25)) == "overdue"  # unanswered
    answered = {**ticket, "responded_at": T0 + timedelta(hours=1)}
    assert due_state(answered, T0 + timedelta(hours=25)) == "ok"
    assert due_state(answered, T0 + timedelta(days=7) - timedelta(hours=1)) == "soon"
    assert escalation_level(answered, T0 + timedelta(days=7, hours=1)) == 1
    assert escalation_level(answered, T0 + timedelta(days=8, hours=1)) == 2  # +24 h cap
    assert escalation_level({**answered, "status": "closed"}, T0 + timedelta(days=30)) == 0
