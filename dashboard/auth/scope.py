"""Checks inside routes and callbacks: a community user's scope, the right to unmask."""

from __future__ import annotations

from flask import request

from dashboard.auth.policy import UNMASK
from dashboard.auth.principal import current
from geo.errors import GridcmdError


class AccessDenied(GridcmdError):
    """The signed-in principal may not see this (answered 403)."""


def check_community(community_code: str | None) -> None:
    """AccessDenied unless the principal's scope covers the region's community."""
    who = current()
    if who is None or not who.sees_community(community_code):
        raise AccessDenied("outside the communities assigned to this user")


def community_scope() -> tuple[str, ...] | None:
    """The communities a community user may see; None for roles that see the whole town."""
    who = current()
    if who is None or who.role != "community":
        return None
    return tuple(who.communities)


def wants_unmask() -> bool:
    """Whether `unmask=1` was asked for; AccessDenied when the role may not unmask."""
    asked = request.args.get("unmask", "0").lower() in ("1", "true", "yes")
    who = current()
    if asked and (who is None or not who.can(UNMASK)):
        raise AccessDenied("personal data in clear needs the official role")
    return asked
