"""Household visits from the grid worker's phone (一户一表 kept current), idempotent by the
phone's id, limited to the worker's grids."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from geo.errors import GridcmdError
from geo.privacy import mask_id_number, mask_name, mask_phone
from geo.sqlfiles import read_sql

if TYPE_CHECKING:
    from geo.household_form import FormProblem

NEAR_LIMIT = 20
SEARCH_MAX = 40


class OutsideGrids(GridcmdError):
    """The building or household is not in the grids assigned to the user (403)."""


class NotFound(GridcmdError):
    """No building or household with that code (404)."""


class FormRefused(GridcmdError):
    """The visit's counts break the 一户一表 rules (400); `problems` says which and why."""

    def __init__(self, problems: list[FormProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))
        self.problems = problems


def parse_client_id(text: object) -> uuid.UUID | None:
    """The phone's id as a UUID, or None when it is not one."""
    try:
        return uuid.UUID(str(text))
    except (TypeError, ValueError, AttributeError):
        return None


def buildings(conn: psycopg.Connection, grids: tuple[str, ...], lat: float | None = None,
              lng: float | None = None, q: str | None = None) -> list[dict[str, Any]]:
    """Buildings of `grids`, nearest to lat/lng first, or matching `q` (address or code)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(read_sql("queries/phone_buildings.sql"), {
            "grids": list(grids), "lat": lat, "lng": lng, "q": q or None,
            "limit": SEARCH_MAX if q else NEAR_LIMIT}).fetchall()


def _building_grid(conn: psycopg.Connection, code: str) -> tuple[str, str]:
    row = conn.execute("SELECT grid_code, address FROM buildings WHERE code = %s",
                       [code]).fetchone()
    if row is None:
        raise NotFound(f"no building with code {code}")
    return row[0], row[1]


def _masked(person: dict[str, Any]) -> dict[str, Any]:
    return {"name": mask_name(person.get("name")), "phone": mask_phone(person.get("phone")),
            "id_number": mask_id_number(person.get("id_number")),
            "registered": person.get("registered")}


def building_forms(conn: psycopg.Connection, code: str,
                   grids: tuple[str, ...]) -> dict[str, Any]:
    """A building of `grids` and its household forms, residents' personal data masked."""
    grid, address = _building_grid(conn, code)
    if grid not in grids:
        raise OutsideGrids(f"building {code} is in grid {grid}, not in your grids")
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(read_sql("queries/phone_building_households.sql"),
                           {"code": code}).fetchall()
    for row in rows:
        row["persons"] = [_masked(p) for p in row["persons"]]
    return {"code": code, "address": address, "grid_code": grid, "households": rows,
            "personal_data": "masked"}


def household_grid(conn: psycopg.Connection, household: str) -> str:
    """The grid a household's building lies in (NotFound when there is no such household)."""
    row = conn.execute("SELECT b.grid_code FROM households h JOIN buildings b"
                       " ON b.code = h.building_code WHERE h.code = %s", [household]).fetchone()
    if row is None:
        raise NotFound(f"no household with code {household}")
    return row[0]


def reveal(conn: psycopg.Connection, household: str,
           grids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The residents of one household of `grids` in clear (the caller audits it)."""
    if household_grid(conn, household) not in grids:
        raise OutsideGrids(f"household {household} is not in your grids")
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT name, phone, id_number, registered FROM persons"
            " WHERE household_code = %s ORDER BY code", [household]).fetchall()


def find_visit(conn: psycopg.Connection, client_id: uuid.UUID) -> dict[str, Any] | None:
    """The visit made with the phone's id, if any."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(read_sql("queries/phone_visit.sql"),
                           {"client_id": client_id}).fetchone()


def record_visit(conn: psycopg.Connection, client_id: uuid.UUID, household: str,
                 form: dict[str, Any], username: str, grids: tuple[str, ...],
                 note: str | None = None) -> tuple[dict[str, Any], bool]:
    """Write one visit (counts, visit date) in one transaction: (the visit, whether new).

    The same `client_id` again answers the visit it made the first time and writes nothing.
    """
    found = find_visit(conn, client_id)
    if found is not None:
        if found["username"] != username:
            raise OutsideGrids("that id belongs to another user's visit")
        return found, False
    # the import rules (numpy, pandas) load with the first visit, not with every server start
    from geo.household_form import check_counts

    counts, problems = check_counts(form)
    if problems:
        raise FormRefused(problems)
    if household_grid(conn, household) not in grids:
        raise OutsideGrids(f"household {household} is not in your grids")
    params = {"client_id": client_id, "household": household, "username": username,
              "note": (note or None) and str(note)[:500], **counts}
    try:
        with conn.transaction():
            conn.execute(read_sql("queries/phone_visit_apply.sql"), params)
    except psycopg.errors.UniqueViolation:
        # The same id sent twice at once: the other request made it; answer that one.
        conn.rollback()
        found = find_visit(conn, client_id)
        if found is None:
            raise
        return found, False
    return find_visit(conn, client_id), True
