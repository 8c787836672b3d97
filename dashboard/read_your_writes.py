"""Read-your-writes with a read replica: a user's reads after their own write use the primary.

A request that may have written (POST/PUT/PATCH/DELETE using a primary connection after the
sign-in guard, see dashboard.state.connection) gets a cookie holding the primary's WAL
position after it and the time: `gridcmd_wrote=<LSN>~<unix seconds>`. While the cookie is
younger than GRIDCMD_REPLICA_READ_YOUR_WRITES_S, that browser's reads go to the replica only
once it has replayed past that position. A cookie in the browser survives across worker
processes (no process memory involved). It is not signed: forging it can only send one's own
reads to the primary, or to a replica that already serves everyone; a malformed one is
ignored.
"""

from __future__ import annotations

import re
import time

from flask import Flask, Response, g, request

from dashboard.state import ARMED, WROTE, WROTE_AT, get_state
from geo.database import primary_lsn
from geo.replica import format_lsn, parse_lsn

COOKIE = "gridcmd_wrote"
_VALUE = re.compile(r"^([0-9A-F]{1,8}/[0-9A-F]{1,8})~([0-9]{1,12})$")
_CLOCK_SKEW_S = 60


def install(server: Flask) -> None:
    """Arm the write marker after the sign-in guard (its own session reads/writes do not
    count) and set the cookie on answers to requests that wrote. Only with a replica."""
    if get_state(server).replica is None:
        return

    @server.before_request
    def _arm() -> None:
        setattr(g, ARMED, True)
        setattr(g, WROTE_AT, wrote_at())  # read_connection() asks for it (dashboard/state.py)

    @server.after_request
    def _mark(response: Response) -> Response:
        if not g.get(WROTE):
            return response
        state = get_state()
        lsn = primary_lsn(state.pool)
        if lsn is None:  # the primary cannot say: no marker (the write, if any, failed too)
            return response
        configured = state.settings.cookie_secure
        response.set_cookie(COOKIE, f"{format_lsn(lsn)}~{int(time.time())}",
                            max_age=max(1, int(state.settings.replica_read_your_writes_s)),
                            path="/", httponly=True, samesite="Lax",
                            secure=request.is_secure if configured is None else configured)
        return response


def wrote_at() -> int | None:
    """The WAL position of this browser's last write, while it is recent; else None."""
    text = request.cookies.get(COOKIE)
    if not text or len(text) > 40:
        return None
    match = _VALUE.match(text)
    if match is None:
        return None
    age = time.time() - int(match.group(2))
    window = get_state().settings.replica_read_your_writes_s
    if age > window or age < -_CLOCK_SKEW_S:
        return None
    return parse_lsn(match.group(1))
