"""The signed-in principal as the ticket state machine's Actor (rights and scope)."""

from __future__ import annotations

from dashboard.auth.policy import DISPATCH, HANDLE, INTAKE, ROLE_PERMISSIONS
from dashboard.auth.principal import Principal
from geo.tickets import Actor


def actor_of(who: Principal) -> Actor:
    """Grid workers act in their grids, community staff in their communities, a department
    token on the tickets it pushed; commanders, officials and admins in the whole town."""
    held = ROLE_PERMISSIONS.get(who.role, frozenset())
    return Actor(
        name=who.name, role=who.role,
        rights=frozenset(r for r in (DISPATCH, HANDLE, INTAKE) if r in held),
        grids=tuple(who.grids), communities=tuple(who.communities),
        scoped_grids=who.role == "gridworker",
        scoped_communities=who.role == "community", label=who.label)
