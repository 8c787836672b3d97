"""Shared pieces of the ticket-loop tests: a module database, a department token, grid workers,
and a point inside a given grid of the demo town."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from flask.testing import FlaskClient

from dashboard.app import close_app, create_app
from dashboard.settings import Settings
from geo.database import connect, drop_database
from geo.ticket_intake import receive
from geo.tickets import Actor
from geo.tokens import create_token
from geo.users import add_user
from tests.clients import PASSWORD, sign_in, username
from tests.ui.serving import free_port

__all__ = ["app_clients", "bearer", "count", "free_port", "point_in_grid", "seed_ticket_actors",
           "ticket_app_world"]


def seed_ticket_actors(url: str, settings: Settings) -> dict[str, str]:
    """A department token and two grid workers (grid A and grid B); names and codes."""
    with connect(url, settings) as conn:
        grid_a, grid_b = (r[0] for r in conn.execute(
            "SELECT g.code FROM grids g WHERE g.community_code = '110112104001' "
            "AND EXISTS (SELECT 1 FROM staff s WHERE s.grid_code = g.code AND s.on_duty "
            "AND s.role = 'grid_worker') ORDER BY g.code LIMIT 2"))
        add_user(conn, "worker-a", PASSWORD, "gridworker", grids=(grid_a,))
        add_user(conn, "worker-b", PASSWORD, "gridworker", grids=(grid_b,))
        token_id, token = create_token(conn, "department", "tests", label="12345热线平台")
        conn.commit()
    return {"grid_a": grid_a, "grid_b": grid_b, "token": token, "token_id": str(token_id)}


def point_in_grid(url: str, settings: Settings, grid: str) -> tuple[float, float]:
    """(lat, lng) of a point inside the grid (its point on surface)."""
    with connect(url, settings) as conn:
        lng, lat = conn.execute("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) "
                                "AS p FROM grids WHERE code = %s) x", [grid]).fetchone()
    return lat, lng


@contextmanager
def app_clients(url: str, settings: Settings) -> Iterator[dict]:
    """One app over `url` and a factory of clients signed in as a test user name."""
    app = create_app(settings, database_url=url)

    def client(user: str | None) -> FlaskClient:
        made = app.server.test_client()
        if user is not None:
            assert sign_in(made, user) == 303, f"{user} could not sign in"
        return made
    try:
        yield {"app": app, "client": client}
    finally:
        close_app(app)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def count(url: str, sql: str, params: list | None = None) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params or []).fetchone()[0]


@contextmanager
def ticket_app_world(admin_url: str, template: str, settings: Settings) -> Iterator[dict]:
    """A clone of `template` with the ticket actors (seed_ticket_actors), one app over it
    (app_clients) and a commander's and a signed-out client; dropped afterwards."""
    from tests.conftest import cloned_database

    with cloned_database(admin_url, template, settings) as url:
        actors = seed_ticket_actors(url, settings)
        with app_clients(url, settings) as apps:
            yield {"url": url, **actors, **apps,
                   "commander": apps["client"](username("commander")),
                   "anon": apps["client"](None)}


@contextmanager
def ticket_town(admin_url: str, template: str, settings: Settings) -> Iterator[dict]:
    """A clone of `template` with the ticket actors (seed_ticket_actors), an open connection
    and the department token as an Actor; dropped afterwards."""
    from tests.conftest import _clone

    name, url = _clone(admin_url, template, settings)
    actors = seed_ticket_actors(url, settings)
    conn = connect(url, settings)
    try:
        yield {"url": url, "conn": conn, **actors,
               "department": Actor(f"token:{actors['token_id']}", "department",
                                   frozenset({"intake"}))}
    finally:
        conn.close()
        drop_database(admin_url, name)


def push_in_grid_a(town: dict, at, **fields) -> dict:
    """A noise ticket pushed by the department at a point of grid A at time `at`, committed."""
    lat, lng = point_in_grid(town["url"], None, town["grid_a"])
    body = {"source": "hotline", "category": "noise", "text": "噪音", "lat": lat, "lng": lng,
            **fields}
    ticket, created = receive(town["conn"], body, town["department"], at)
    town["conn"].commit()
    assert created
    return ticket
