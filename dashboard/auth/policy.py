"""Who may do what: permissions per role, and the permission each route needs.

Checked on the server for every request (pages, API, Dash callbacks); the UI only mirrors it.
"""

from __future__ import annotations

import re

# Permissions.
AGGREGATES = "aggregates"  # layers, H3 cells, KPIs, the wall display
DRILLDOWN = "drilldown"    # region records, search, roster, operations tables, the command map
EXPORT = "export"          # snapshots, briefings, region and zone data files
PRINT = "print"            # the print view the snapshot browser renders
PUBLISH = "publish"        # publishing containment zones
UNMASK = "unmask"          # names, phones and ID numbers in clear, each view logged
ADMIN = "admin"            # users, tokens, imports
DISPATCH = "dispatch"      # dispatch, verify, close tickets (community staff: their communities)
HANDLE = "handle"          # accept, start, submit the tickets of one's grids (grid workers)
INTAKE = "intake"          # push tickets from another system (department tokens)
OGC = "ogc"                # read OGC API collections (department tokens: their collections)
# Ticket routes any ticket right opens (the route then checks the step and the scope).
TICKETS = f"{DISPATCH}|{HANDLE}|{INTAKE}"
TICKET_ACTIONS = f"{DISPATCH}|{HANDLE}"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({AGGREGATES, DRILLDOWN, EXPORT, PRINT, PUBLISH, ADMIN, DISPATCH, OGC}),
    "commander": frozenset({AGGREGATES, DRILLDOWN, EXPORT, PRINT, PUBLISH, DISPATCH, OGC}),
    "official": frozenset({AGGREGATES, DRILLDOWN, EXPORT, PRINT, PUBLISH, UNMASK, DISPATCH,
                           OGC}),
    "community": frozenset({AGGREGATES, DRILLDOWN, EXPORT, PRINT, DISPATCH, OGC}),
    "wall": frozenset({AGGREGATES}),
    # 网格员: the phone app and the tickets of their grids (scope checked by the ticket routes).
    "gridworker": frozenset({AGGREGATES, HANDLE}),
    # Another department's system, by Bearer token: pushes tickets, reads its OGC collections.
    "department": frozenset({INTAKE, OGC}),
    # The server's own headless browser drawing a snapshot (a short-lived signed credential).
    "render": frozenset({AGGREGATES, PRINT}),
}

PUBLIC = None  # no sign-in needed

# (methods or None for any, path pattern, permission); the first match wins.
_RULES: tuple[tuple[frozenset[str] | None, re.Pattern[str], str | None], ...] = tuple(
    (frozenset(methods.split()) if methods else None, re.compile(pattern), permission)
    for methods, pattern, permission in (
        (None, r"^/healthz$", PUBLIC),
        (None, r"^/(login|logout)$", PUBLIC),
        # Static files carry no data; the login page and the wall need them before sign-in.
        ("GET HEAD", r"^/((wall|print)/)?(assets|_dash-component-suites)/", PUBLIC),
        ("GET HEAD", r"^/((wall|print)/)?_favicon\.ico$", PUBLIC),
        ("GET HEAD", r"^/favicon\.ico$", PUBLIC),
        ("GET HEAD", r"^/api/layers(/[^/]+)?$", AGGREGATES),
        ("GET HEAD", r"^/api/h3/[^/]+$", AGGREGATES),
        ("GET HEAD", r"^/api/kpis$", AGGREGATES),
        (None, r"^/wall(/.*)?$", AGGREGATES),
        ("GET HEAD", r"^/print/calllist", DRILLDOWN),
        (None, r"^/print(/.*)?$", PRINT),
        (None, r"^/export/", EXPORT),
        ("GET HEAD", r"^/api/.+/export(\.[a-z]+)?$", EXPORT),
        ("POST", r"^/api/zones(/[^/]+)?/publish$", PUBLISH),
        # The grid worker's phone app: its shell files carry no data (the service worker
        # caches them before sign-in matters); the page and its routes need HANDLE.
        ("GET HEAD", r"^/m/(sw\.js|strings\.js|app\.js|outbox\.js|geo\.js|app\.css"
                     r"|manifest\.webmanifest|icon-\d+\.png)$", PUBLIC),
        (None, r"^/m/?$", HANDLE),
        (None, r"^/api/m/", HANDLE),
        ("POST", r"^/api/(visits|reports)$", HANDLE),
        # A photo: any signed-in role may ask; the route checks who may see its ticket.
        ("GET HEAD", r"^/api/photos/[^/]+$", AGGREGATES),
        # 接诉即办: the change feed carries no personal data (the wall follows it).
        ("GET HEAD", r"^/api/tickets/changes$", AGGREGATES),
        (None, r"^/api/tickets/callbacks(/[^/]+)?$", INTAKE),
        ("POST", r"^/api/tickets/batch$", DISPATCH),
        ("GET HEAD", r"^/api/tickets/[^/]+/candidates$", DISPATCH),
        ("POST", r"^/api/tickets/[^/]+/actions$", TICKET_ACTIONS),
        (None, r"^/api/tickets(/[^/]+)?$", TICKETS),
        # OGC API – Features; department tokens: their collections only (dashboard/ogc/).
        ("GET HEAD", r"^/ogc(/.*)?$", OGC),
    ))


def required_permission(method: str, path: str) -> str | None:
    """The permission `method path` needs (None: public). Anything unlisted needs DRILLDOWN."""
    for methods, pattern, permission in _RULES:
        if (methods is None or method in methods) and pattern.search(path):
            return permission
    return DRILLDOWN


def sees_exact_places(role: str | None) -> bool:
    """Whether `role` may get the exact place of a person's record (a case's building).

    Drill-down roles may; the renderer draws snapshots only for exporting roles, all of which
    hold drill-down rights. Aggregates-only roles (the wall) get cells instead.
    """
    return allows(role, DRILLDOWN) or role == "render"


def allows(role: str | None, permission: str | None) -> bool:
    """Whether `role` holds `permission` (every role holds PUBLIC; no role holds anything else)."""
    if permission is PUBLIC:
        return True
    held = ROLE_PERMISSIONS.get(role, frozenset()) if role is not None else frozenset()
    return any(p in held for p in permission.split("|"))  # "a|b": either right will do
