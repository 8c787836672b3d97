"""PIPL: names, phones and ID numbers masked for every role without the right, in every body;
the audit trail records drill-downs, unmasking, exports and imports and cannot be altered."""

from __future__ import annotations

import json

import psycopg
import pytest

from dashboard.settings import Settings
from geo import audit
from tests.clients import SCOPED_COMMUNITY, api_client, username

pytestmark = pytest.mark.db

TOWN_BBOX = "116.4,39.6,116.7,39.9"
# The town at zoom 15, within the per-request viewport budget (TOWN_BBOX at zoom 17 is not).
LAYER_BBOX = "116.45,39.66,116.66,39.83"


def _building_with_people(conn) -> tuple[str, list[tuple[str, str, str]]]:
    code = conn.execute(
        "SELECT min(b.code) FROM buildings b JOIN grids g ON g.code = b.grid_code"
        " JOIN households h ON h.building_code = b.code JOIN persons p"
        " ON p.household_code = h.code WHERE g.community_code = %s"
        " AND p.phone IS NOT NULL AND p.id_number IS NOT NULL", [SCOPED_COMMUNITY]).fetchone()[0]
    people = conn.execute(
        "SELECT p.name, p.phone, p.id_number FROM persons p JOIN households h"
        " ON h.code = p.household_code WHERE h.building_code = %s", [code]).fetchall()
    return code, people


def _staff_of(conn, building: str) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT s.name, s.phone FROM staff s JOIN buildings b ON b.grid_code = s.grid_code"
        " WHERE b.code = %s AND s.role IN ('grid_worker', 'building_head')"
        " AND s.phone IS NOT NULL", [building]).fetchall()


def _body(answer) -> str:
    return json.dumps(answer.get_json(), ensure_ascii=False) if answer.is_json \
        else answer.get_data(as_text=True)


@pytest.fixture(scope="module")
def people(shared_demo_url: str):
    with psycopg.connect(shared_demo_url) as conn:
        building, persons = _building_with_people(conn)
        staff = _staff_of(conn, building)
        grid, lng, lat = conn.execute(
            "SELECT grid_code, ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM buildings"
            " WHERE code = %s", [building]).fetchone()
    assert persons and staff
    return building, grid, persons, staff, f"lat={lat:.6f}&lng={lng:.6f}"


@pytest.mark.parametrize("role", ["community", "commander", "official", "admin"])
def test_personal_data_is_masked_in_every_body_without_the_right(settings: Settings,
                                                                  shared_demo_url, people, role):
    building, grid, persons, staff, point = people
    with api_client(settings, shared_demo_url, role) as client:
        answers = [client.get(path) for path in (
            f"/api/regions/building/{building}", f"/api/regions/grid/{grid}",
            f"/api/layers/staff?bbox={LAYER_BBOX}&zoom=15",
            f"/api/layers/buildings?bbox={LAYER_BBOX}&zoom=15", "/api/kpis",
            f"/api/h3/population?res=10&bbox={TOWN_BBOX}", f"/export/region/grid/{grid}.csv",
            "/api/search?q=" + building[-6:],
            f"/api/roster/nearest?kind=grid_worker&n=50&{point}",
            f"/api/roster/nearest?kind=building_head&n=50&{point}",
            f"/api/mobilisation?level=I&n=50&{point}", f"/print/calllist?level=I&n=50&{point}")]
        assert [a.status_code for a in answers] == [200] * len(answers)
        bodies = [_body(answer) for answer in answers]
        record = client.get(f"/api/regions/building/{building}").get_json()
    text = "\n".join(bodies)
    for name, phone, id_number in persons:
        assert f'"{name}"' not in text
        assert all(value not in text for value in (phone, id_number) if value)
    for name, phone in staff:
        assert phone not in text
        assert f'"{name}"' not in text and f">{name}<" not in text  # JSON values, HTML cells
    assert record["personal_data"] == "masked"
    assert len(record["persons"]) == len(persons)
    for row in record["persons"]:
        assert "*" in row["name"]
        assert row["phone"] is None or "****" in row["phone"]
        assert row["id_number"] is None or (
            row["id_number"][:6].isdigit() and row["id_number"][6:-4] == "*" * 8)


def test_an_official_may_unmask_and_the_view_is_logged(settings: Settings, demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        building, persons = _building_with_people(conn)
    with api_client(settings, demo_db_url, "official") as client:
        answer = client.get(f"/api/regions/building/{building}?unmask=1")
    assert answer.status_code == 200
    text = _body(answer)
    assert all(value in text for person in persons for value in person if value)
    with psycopg.connect(demo_db_url) as conn:
        rows = audit.entries(conn, username("official"), action="unmask")
    assert [r["target"] for r in rows] == [f"building/{building}"]
    assert rows[0]["role"] == "official" and rows[0]["remote_addr"]


def test_drill_downs_and_exports_write_audit_rows(settings: Settings, demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        grid = conn.execute("SELECT min(code) FROM grids WHERE community_code = %s",
                            [SCOPED_COMMUNITY]).fetchone()[0]
    with api_client(settings, demo_db_url, "community") as client:
        assert client.get(f"/api/regions/grid/{grid}").status_code == 200
        assert client.get(f"/export/region/grid/{grid}.xlsx").status_code == 200
    with psycopg.connect(demo_db_url) as conn:
        rows = audit.entries(conn, username("community"))
    actions = {(r["action"], r["target"]) for r in rows}
    assert ("drilldown", f"grid/{grid}") in actions
    assert ("export", f"region/grid/{grid}.xlsx") in actions
    assert ("login", "") in actions


def test_audit_rows_cannot_be_changed_by_the_apps_database_role(demo_db_url):
    with psycopg.connect(demo_db_url) as conn:
        audit.record(conn, "someone", "commander", "drilldown", "grid/x")
        conn.commit()
        for statement in ("UPDATE audit_log SET username = 'nobody'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
        assert conn.execute("SELECT count(*) FROM audit_log WHERE username = 'someone'"
                            ).fetchone()[0] == 1


def _panel_request(building: str, unmask: bool) -> dict:
    from dashboard.map import ids

    return {
        "output": f"..{ids.PANEL_BODY}.children...{ids.PANEL}.className..",
        "outputs": [{"id": ids.PANEL_BODY, "property": "children"},
                    {"id": ids.PANEL, "property": "className"}],
        "inputs": [
            {"id": ids.SELECTED_REGION, "property": "data",
             "value": {"kind": "building", "code": building}},
            {"id": ids.TIME_WINDOW, "property": "data", "value": {"since": None, "until": None}},
            {"id": ids.LANG_SWITCH, "property": "value", "value": "zh"},
            {"id": ids.PANEL_UNMASK, "property": "value", "value": ["on"] if unmask else []}],
        "changedPropIds": [f"{ids.PANEL_UNMASK}.value"], "state": []}


def test_the_panel_unmasks_for_officials_only_and_logs_it(settings: Settings, demo_db_url):
    from dashboard.map.panel import PERSONS_SHOWN

    with psycopg.connect(demo_db_url) as conn:
        building, _ = _building_with_people(conn)
        phones = [row[0] for row in conn.execute(
            "SELECT p.phone FROM persons p JOIN households h ON h.code = p.household_code"
            " WHERE h.building_code = %s ORDER BY h.room, p.code LIMIT %s",
            [building, PERSONS_SHOWN]) if row[0]]
    assert phones
    bodies = {}
    for role in ("commander", "official"):
        with api_client(settings, demo_db_url, role) as client:
            answer = client.post("/_dash-update-component", json=_panel_request(building, True))
            assert answer.status_code == 200
            bodies[role] = _body(answer)
    assert not any(phone in bodies["commander"] for phone in phones)  # asked, not granted
    assert all(phone in bodies["official"] for phone in phones)
    with psycopg.connect(demo_db_url) as conn:
        rows = audit.entries(conn, action="unmask")
    assert [(r["username"], r["target"], r["detail"]["via"]) for r in rows] == [
        (username("official"), f"building/{building}", "panel")]
