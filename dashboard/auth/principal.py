"""Who is asking: the principal of the current request (a user, a wall token, the renderer)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context, request

from dashboard.auth.policy import ROLE_PERMISSIONS


@dataclass(frozen=True)
class Principal:
    """The signed-in party of one request."""

    name: str                         # user name, "token:<id>" or "render:<user>"
    role: str
    communities: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()        # a grid worker's grids
    collections: tuple[str, ...] = ()  # the OGC collections a department token may read
    label: str = ""                    # a department token's label (who, in the audit trail)

    def can(self, permission: str) -> bool:
        """Whether the role holds `permission` ("a|b": either of them)."""
        held = ROLE_PERMISSIONS.get(self.role, frozenset())
        return any(p in held for p in permission.split("|"))

    def sees_community(self, community_code: str | None) -> bool:
        """Community users see only their communities; other drill-down roles see the town."""
        if self.role != "community":
            return True
        return community_code is not None and community_code in self.communities


def current() -> Principal | None:
    """The principal of the request being handled (None outside a request or signed out)."""
    return g.get("principal") if has_request_context() else None


def remote_addr() -> str:
    """The client address of the current request, for the audit trail."""
    return (request.remote_addr or "") if has_request_context() else ""
