"""What the command map shows at load that comes from the database: the KPI bar's figures and
the time bar's histogram, read while the page's layout is built.

They used to be the first callbacks of every page load: two more round trips, and the
histogram's answer (a Dash component per bar) kept the browser busy for a fifth of a second
just when the layers' data arrived, so the map drew later. In the layout they cost the layout
request two small reads (a few ms) and the browser nothing more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg
from flask import has_request_context
from psycopg_pool import PoolTimeout

from dashboard.map.timebar import PLAY_DAYS, first_play_day, town_today
from dashboard.state import read_connection
from geo.kpis import kpis
from geo.timeline import daily_activity
from geo.timewindow import window_from

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opening:
    """The figures of the default window; None: not read (the tiles and the histogram start
    empty, as before a callback had filled them)."""

    kpis: dict[str, Any] | None = None
    activity: list[tuple[date, int, int]] | None = None  # (day, cases, tickets) per play day


def read_opening() -> Opening:
    """The KPI figures of the default window and the cases and tickets of each play day of
    the time bar (dashboard/map/timebar.py).

    A database that does not answer leaves them unread: the page still loads (its layers say
    what is wrong), and the figures come with the next change of window or language. Outside
    a request (Dash builds the layout once at start-up to check it) nothing is read."""
    if not has_request_context():
        return Opening()
    first = date.fromisoformat(first_play_day(town_today()))
    try:
        with read_connection() as conn:  # read-only: the replica when one serves
            figures = kpis(conn, window_from({}))
            activity = daily_activity(conn, first, first + timedelta(days=PLAY_DAYS - 1))
    except (psycopg.Error, PoolTimeout) as exc:
        log.warning("the map's opening figures were not read: %s", exc)
        return Opening()
    return Opening(kpis=dict(figures), activity=activity)
