"""What `gridcmd bench` times: every endpoint beside its floor, in one declarative table.

A floor is the plainest SQL that yields the endpoint's figures — the same rows chosen (same
window, box, region), aggregated by a plain GROUP BY or listed as they are stored — and nothing
else: no GeoJSON or JSON built, no geometry written as text, no privacy masking, no names
joined in, no display order beyond what a page needs. It reads the stored facts: the base
tables and the two materialized views the population and coverage metrics are defined on
(`household_cells`, `coverage_cells`, refreshed per load); never a rollup the writes keep
(`ticket_daily`, `grid_freshness_stats`), so where a rollup pays the ratio falls below 1 and
where the endpoint's own work (JSON, routing, guard) costs, it rises above.

Paths are `str.format` templates and floors take `%(name)s` parameters, both filled from one
`Place` (`place_of`), which picks the busiest grid, community and res-8 cell of the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import h3.api.basic_int as h3i
import psycopg

from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ

Z16_SPAN = (0.0412, 0.0177)  # degrees covered by a 1920x1080 screen at zoom 16, lat 39.7


@dataclass(frozen=True)
class Endpoint:
    """One timed endpoint: its name, its path template and its floor's SQL text."""

    name: str
    path: str
    floor: str
    needs_cases: bool = False  # timed only when the data holds cases (the zone proposal)


WHOLE = "ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)"
Z16 = "ST_MakeEnvelope(%(zwest)s, %(zsouth)s, %(zeast)s, %(znorth)s, 4326)"

_H3_POPULATION = """
SELECT h3_parent(hc.cell, %(res)s) AS cell, sum(hc.residents), sum(hc.registered),
       sum(hc.floating), sum(hc.rented_rooms), sum(hc.households)
FROM household_cells hc JOIN h3_cells c ON c.cell = hc.cell
WHERE c.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
GROUP BY 1"""

_H3_TICKETS = """
SELECT h3_parent(h3_cell, {res}) AS cell, count(*),
       count(*) FILTER (WHERE status <> 'closed') AS open,
       count(*) FILTER (WHERE status <> 'closed' AND due_at < %(until)s) AS overdue
FROM incidents
WHERE geom && {box}
  AND received_at >= %(since)s AND received_at < %(until)s
GROUP BY 1"""

_REGION_PEOPLE_TICKETS = """
SELECT count(h.code) AS households, sum(h.members) AS residents, sum(h.floating) AS floating,
       sum(h.elderly) AS elderly, max(h.updated_at) AS newest,
       (SELECT count(*) FROM incidents i WHERE i.grid_code IN ({grids})
          AND i.received_at >= %(since)s AND i.received_at < %(until)s) AS tickets,
       (SELECT count(*) FROM cases k WHERE k.grid_code IN ({grids})
          AND k.reported_at >= %(since)s AND k.reported_at < %(until)s) AS cases
FROM buildings b JOIN households h ON h.building_code = b.code
WHERE b.grid_code IN ({grids})"""

_RANKING = """
SELECT grid_code, received_at >= %(since)s AS current, count(*) AS tickets,
       count(*) FILTER (WHERE responded_at <= response_due_at) AS responded_in_time,
       count(*) FILTER (WHERE solved_at < %(until)s) AS solved,
       count(*) FILTER (WHERE satisfied) AS satisfied,
       count(*) FILTER (WHERE satisfied IS NOT NULL) AS rated
FROM incidents
WHERE source = 'hotline' AND received_at >= %(psince)s AND received_at < %(until)s{town}
GROUP BY 1, 2"""

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("h3 population res 7 (whole extent)", "/api/h3/population?res=7&bbox={whole}",
             _H3_POPULATION.replace("%(res)s", "7")),
    Endpoint("h3 population res 8 (whole extent)", "/api/h3/population?res=8&bbox={whole}",
             _H3_POPULATION.replace("%(res)s", "8")),
    Endpoint("h3 cases res 8 (whole extent)", "/api/h3/cases?res=8&bbox={whole}&{window}", """
SELECT h3_parent(h3_cell, 8) AS cell, category, count(*)
FROM cases
WHERE geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
  AND reported_at >= %(since)s AND reported_at < %(until)s
GROUP BY 1, 2"""),
    Endpoint("h3 tickets res 8 (whole extent)", "/api/h3/tickets?res=8&bbox={whole}&{window}",
             _H3_TICKETS.format(res=8, box=WHOLE)),
    Endpoint("h3 coverage res 8 (whole extent)", "/api/h3/coverage?res=8&bbox={whole}", """
SELECT h3_parent(cc.cell, 8) AS cell, sum(cc.residents),
       sum(cc.residents) FILTER (WHERE cc.depot_ok), sum(cc.residents) FILTER (WHERE cc.clinic_ok),
       max(cc.depot_m), max(cc.clinic_m)
FROM coverage_cells cc JOIN h3_cells c ON c.cell = cc.cell
WHERE c.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
GROUP BY 1
UNION ALL
SELECT h3_parent(h3_cell, 8), count(*), NULL, NULL, NULL, NULL
FROM staff
WHERE role = 'volunteer'
  AND geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
GROUP BY 1"""),
    Endpoint("buildings viewport z16", "/api/layers/buildings?bbox={z16}&zoom=16", """
SELECT code, address, use, floors, geom
FROM buildings
WHERE geom && ST_MakeEnvelope(%(zwest)s, %(zsouth)s, %(zeast)s, %(znorth)s, 4326)"""),
    Endpoint("grids whole extent z11", "/api/layers/grids?bbox={whole}&zoom=11", """
SELECT code, name, community_code, geom
FROM grids
WHERE geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)"""),
    Endpoint("drill-down grid", "/api/regions/grid/{grid}?{window}",
             _REGION_PEOPLE_TICKETS.replace("{grids}", "%(grid)s")),
    Endpoint("drill-down community", "/api/regions/community/{community}?{window}",
             _REGION_PEOPLE_TICKETS.replace(
                 "{grids}", "SELECT code FROM grids WHERE community_code = %(community)s")),
    Endpoint("kpis", "/api/kpis?{window}", """
SELECT (SELECT sum(residents) FROM household_cells) AS residents,
       (SELECT sum(floating) FROM household_cells) AS floating,
       (SELECT count(*) FROM cases WHERE reported_at >= %(since)s AND reported_at < %(until)s
          AND (released_at IS NULL OR released_at >= %(until)s)) AS active_cases,
       (SELECT count(*) FROM incidents
         WHERE received_at >= %(since)s AND received_at < %(until)s) AS tickets_received,
       (SELECT count(*) FROM incidents WHERE received_at < %(until)s
          AND (solved_at IS NULL OR solved_at >= %(until)s)) AS open_tickets,
       (SELECT count(*) FROM compounds WHERE management = 'three_no') AS three_no_compounds,
       (SELECT sum(residents) FILTER (WHERE depot_ok AND clinic_ok) FROM coverage_cells)
           AS covered_residents"""),
    Endpoint("nearest 10 volunteers",
             "/api/roster/nearest?kind=volunteer&lat={lat:.6f}&lng={lng:.6f}&n=10", """
SELECT code, ST_Distance(geom::geography,
                         ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326)::geography)
FROM staff
WHERE role = 'volunteer'
ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326)
LIMIT 10"""),
    Endpoint("12345 ranking per grid (every grid, first page)",
             "/api/performance?level=grid&{window}",
             _RANKING.replace("{town}", "")),
    Endpoint("12345 ranking per grid (one town)",
             "/api/performance?level=grid&town={town}&{window}",
             _RANKING.replace("{town}", " AND town_code = %(town)s")),
    Endpoint("zone proposal (whole outbreak)", "/api/zones?{outbreak}", """
WITH sealed AS (
    SELECT DISTINCT building_code FROM cases
    WHERE reported_at >= %(outbreak_since)s AND reported_at < %(outbreak_until)s
      AND (released_at IS NULL OR released_at >= %(outbreak_until)s)
      AND category IN ('confirmed', 'asymptomatic') AND building_code IS NOT NULL
), hit AS (
    SELECT DISTINCT b.grid_code, g.community_code
    FROM sealed s JOIN buildings b ON b.code = s.building_code JOIN grids g ON g.code = b.grid_code
)
SELECT CASE WHEN b.code IN (SELECT building_code FROM sealed) THEN 'containment'
            WHEN b.grid_code IN (SELECT grid_code FROM hit) THEN 'control'
            ELSE 'prevention' END AS zone,
       count(DISTINCT b.code) AS buildings, count(h.code) AS households,
       sum(h.members) AS residents
FROM buildings b
JOIN grids g ON g.code = b.grid_code
LEFT JOIN households h ON h.building_code = b.code
WHERE g.community_code IN (SELECT community_code FROM hit)
GROUP BY 1""", needs_cases=True),
    Endpoint("freshness (first page)", "/api/freshness?stale_days=90", """
SELECT b.grid_code, max(h.updated_at) AS newest,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY h.updated_at) AS median_update,
       count(*) AS households, count(*) FILTER (WHERE h.members = 0) AS empty_households
FROM households h JOIN buildings b ON b.code = h.building_code
GROUP BY 1
ORDER BY 3, 1
LIMIT 500"""),
    Endpoint("healthz", "/healthz", """
SELECT (SELECT count(*) FROM towns), (SELECT count(*) FROM communities),
       (SELECT count(*) FROM grids), (SELECT count(*) FROM compounds),
       (SELECT count(*) FROM buildings), (SELECT count(*) FROM households),
       (SELECT max(updated_at) FROM incidents), (SELECT max(updated_at) FROM cases)"""),
    Endpoint("mobilisation gaps", "/api/mobilisation/gaps", """
SELECT g.code,
       count(*) FILTER (WHERE s.role = 'grid_worker' AND s.on_duty) AS grid_workers_on_duty,
       count(*) FILTER (WHERE s.role = 'building_head' AND s.on_duty) AS building_heads_on_duty
FROM grids g LEFT JOIN staff s ON s.grid_code = g.code
GROUP BY 1
HAVING count(*) FILTER (WHERE s.role = 'grid_worker' AND s.on_duty) = 0
    OR count(*) FILTER (WHERE s.role = 'building_head' AND s.on_duty) = 0
ORDER BY 2, 3, 1
LIMIT 500"""),
    Endpoint("h3 tickets res 10 (z16 box)", "/api/h3/tickets?res=10&bbox={z16}&{window}",
             _H3_TICKETS.format(res=10, box=Z16)),
    Endpoint("h3 population res 10 (z16 box)", "/api/h3/population?res=10&bbox={z16}", """
SELECT hc.cell, sum(hc.residents), sum(hc.registered), sum(hc.floating),
       sum(hc.rented_rooms), sum(hc.households)
FROM household_cells hc JOIN h3_cells c ON c.cell = hc.cell
WHERE c.geom && ST_MakeEnvelope(%(zwest)s, %(zsouth)s, %(zeast)s, %(znorth)s, 4326)
GROUP BY 1"""),
    Endpoint("drill-down h3 res 8", "/api/regions/h3/{cell}?{window}", """
SELECT count(h.code) AS households, sum(h.members) AS residents, sum(h.floating) AS floating,
       (SELECT count(*) FROM incidents i
         WHERE i.h3_cell BETWEEN h3_child_min(%(cell)s, 11) AND h3_child_max(%(cell)s, 11)
           AND i.received_at >= %(since)s AND i.received_at < %(until)s) AS tickets,
       (SELECT count(*) FROM cases k
         WHERE k.h3_cell BETWEEN h3_child_min(%(cell)s, 11) AND h3_child_max(%(cell)s, 11)
           AND k.reported_at >= %(since)s AND k.reported_at < %(until)s) AS cases
FROM buildings b JOIN households h ON h.building_code = b.code
WHERE b.h3_cell BETWEEN h3_child_min(%(cell)s, 11) AND h3_child_max(%(cell)s, 11)"""),
)


@dataclass(frozen=True)
class Place:
    """Where and when the benchmark asks: the path fields and the floors' parameters."""

    path_fields: dict[str, Any]
    params: dict[str, Any]
    has_cases: bool


def _box(values) -> str:
    return ",".join(f"{v:.6f}" for v in values)


def place_of(conn: psycopg.Connection, now: datetime | None = None) -> Place:
    """The extent, the busiest grid, community and res-8 cell, the last 30 whole days and the
    whole outbreak, from the loaded data."""
    extent, grid, community, centre, _ = conn.execute(read_sql("queries/bench_targets.sql")
                                                      ).fetchone()
    lng, lat = centre
    z16 = (lng - Z16_SPAN[0] / 2, lat - Z16_SPAN[1] / 2, lng + Z16_SPAN[0] / 2,
           lat + Z16_SPAN[1] / 2)
    until = (now or datetime.now(TOWN_TZ)).astimezone(TOWN_TZ).replace(
        hour=0, minute=0, second=0, microsecond=0)
    since = until - timedelta(days=30)
    window = urlencode({"since": since.date().isoformat(),
                        "until": (until - timedelta(days=1)).date().isoformat()})
    town = conn.execute("SELECT town_code FROM grids WHERE code = %s", [grid]).fetchone()[0]
    cell = h3i.latlng_to_cell(lat, lng, 8)
    first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases"
                               ).fetchone()
    outbreak: dict[str, Any] = {}
    outbreak_query = ""
    if first is not None:
        first_day, last_day = first.astimezone(TOWN_TZ).date(), last.astimezone(TOWN_TZ).date()
        outbreak = {
            "outbreak_since": datetime.combine(first_day, datetime.min.time(), TOWN_TZ),
            "outbreak_until": datetime.combine(last_day + timedelta(days=1),
                                               datetime.min.time(), TOWN_TZ)}
        outbreak_query = urlencode({"since": first_day.isoformat(),
                                    "until": last_day.isoformat()})
    w, s, e, n = extent
    params = {"west": w, "south": s, "east": e, "north": n,
              "zwest": z16[0], "zsouth": z16[1], "zeast": z16[2], "znorth": z16[3],
              "since": since, "until": until, "psince": since - (until - since),
              "grid": grid, "community": community, "town": town, "lat": lat, "lng": lng,
              "cell": cell, **outbreak}
    fields = {"whole": _box(extent), "z16": _box(z16), "window": window, "grid": grid,
              "community": community, "town": town, "lat": lat, "lng": lng,
              "cell": h3i.int_to_str(cell), "outbreak": outbreak_query}
    return Place(fields, params, first is not None)


@dataclass(frozen=True)
class Target:
    """An endpoint at one place: the path to ask and the floor to run."""

    name: str
    path: str
    floor: str
    params: dict[str, Any]

    def run_floor(self, conn: psycopg.Connection) -> list[tuple]:
        """The floor's rows (fetched, as a client of the plain query would)."""
        return conn.execute(self.floor, self.params).fetchall()


def targets(conn: psycopg.Connection, now: datetime | None = None) -> list[Target]:
    """Every endpoint of ENDPOINTS with its path and floor filled in for the loaded data."""
    place = place_of(conn, now)
    return [Target(e.name, e.path.format(**place.path_fields), e.floor, place.params)
            for e in ENDPOINTS if place.has_cases or not e.needs_cases]
