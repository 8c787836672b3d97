"""`gridcmd bench`: time each endpoint against the bare SQL it wraps, at town or district scale.

Requests go through the real app (Flask routing, pool, SQL, response) in-process, so the
figures are the server's own cost without network noise; the bare figure runs the same geo
function (the SQL and its fetch) on a connection of its own.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import h3.api.basic_int as h3i
import psycopg

from geo.geojson import feature_collection
from geo.kpis import kpis
from geo.operations import hotline_performance, nearest
from geo.regions import region_record
from geo.sqlfiles import read_sql
from geo.timewindow import TOWN_TZ
from geo.zones import ZoneRequest, propose_zones
from layers import REGISTRY
from layers.metrics import METRICS

Z16_SPAN = (0.0412, 0.0177)  # degrees covered by a 1920x1080 screen at zoom 16, lat 39.7


@dataclass(frozen=True)
class Figure:
    """One endpoint's timings (milliseconds) and payload."""

    name: str
    path: str
    p50_ms: float
    p95_ms: float
    sql_p50_ms: float
    ratio: float
    bytes: int


@dataclass(frozen=True)
class Target:
    """An endpoint and the bare geo call it wraps."""

    name: str
    path: str
    bare: Callable[[psycopg.Connection], object]


def _interleaved(first: Callable[[], object], second: Callable[[], object], runs: int,
                 warmup: int = 2) -> tuple[list[float], list[float]]:
    """Timings of two calls taken in turn (first, second, first, …), so a load that comes and
    goes on a shared machine weighs on both alike and their ratio stays meaningful."""
    for _ in range(warmup):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for fn, times in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return a, b


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def targets(conn: psycopg.Connection) -> list[Target]:
    """The endpoints the issue names, with parameters taken from the loaded data."""
    extent, grid, community, centre, _ = conn.execute(read_sql("queries/bench_targets.sql")
                                                      ).fetchone()
    whole = ",".join(f"{v:.6f}" for v in extent)
    w, s, e, n = extent
    lng, lat = centre
    z16 = (lng - Z16_SPAN[0] / 2, lat - Z16_SPAN[1] / 2, lng + Z16_SPAN[0] / 2,
           lat + Z16_SPAN[1] / 2)
    z16_text = ",".join(f"{v:.6f}" for v in z16)
    until = datetime.now(TOWN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    window = (until - timedelta(days=30), until)
    wq = urlencode({"since": window[0].date().isoformat(),
                    "until": (until - timedelta(days=1)).date().isoformat()})
    buildings = REGISTRY.get("buildings")
    grids = REGISTRY.get("grids")
    town = conn.execute("SELECT town_code FROM grids WHERE code = %s", [grid]).fetchone()[0]

    def h3(metric: str, res: int) -> Target:
        m = METRICS[metric]
        extra = f"&{wq}" if m.windowed else ""
        return Target(f"h3 {metric} res {res} (whole extent)",
                      f"/api/h3/{metric}?res={res}&bbox={whole}{extra}",
                      lambda c: m.collection(c, res, (w, s, e, n),
                                             window if m.windowed else None))

    return [
        h3("population", 7), h3("population", 8), h3("cases", 8), h3("tickets", 8),
        h3("coverage", 8),
        Target("buildings viewport z16", f"/api/layers/buildings?bbox={z16_text}&zoom=16",
               lambda c: feature_collection(c, buildings.query, z16, 16)),
        Target("grids whole extent z11", f"/api/layers/grids?bbox={whole}&zoom=11",
               lambda c: feature_collection(c, grids.query, (w, s, e, n), 11)),
        Target("drill-down grid", f"/api/regions/grid/{grid}?{wq}",
               lambda c: region_record(c, "grid", grid, window)),
        Target("drill-down community", f"/api/regions/community/{community}?{wq}",
               lambda c: region_record(c, "community", community, window)),
        Target("kpis", f"/api/kpis?{wq}", lambda c: kpis(c, window)),
        Target("nearest 10 volunteers",
               f"/api/roster/nearest?kind=volunteer&lat={lat:.6f}&lng={lng:.6f}&n=10",
               lambda c: nearest(c, "volunteer", lat, lng, 10)),
        # the route answers one page (500 rows by default): the floor is the same page
        Target("12345 ranking per grid (every grid, first page)",
               f"/api/performance?level=grid&{wq}",
               lambda c: hotline_performance(c, "grid", window, None, 500, 0)),
        Target("12345 ranking per grid (one town)",
               f"/api/performance?level=grid&town={town}&{wq}",
               lambda c: hotline_performance(c, "grid", window, town, 500, 0)),
        *_outbreak_target(conn),
        *_bounded_targets(conn, z16, z16_text, window, wq),
    ]


def _bounded_targets(conn: psycopg.Connection, z16, z16_text: str, window, wq: str
                     ) -> list[Target]:
    """The endpoints that grew with the whole database (issue 16): freshness, health, gaps,
    H3 over a small box and the H3 drill-down."""
    from geo.mobilisation import gaps
    from geo.operations import freshness_totals, grid_freshness

    lng, lat = (z16[0] + z16[2]) / 2, (z16[1] + z16[3]) / 2
    cell = h3i.latlng_to_cell(lat, lng, 8)
    tickets, population = METRICS["tickets"], METRICS["population"]
    return [
        # the route answers one page of 500 and the totals: the floor is the same
        Target("freshness (first page)", "/api/freshness?stale_days=90",
               lambda c: (grid_freshness(c, datetime.now(TOWN_TZ), 90, 500, 0),
                          freshness_totals(c, datetime.now(TOWN_TZ), 90))),
        Target("healthz", "/healthz",
               lambda c: c.execute(read_sql("queries/health.sql")).fetchone()),
        Target("mobilisation gaps", "/api/mobilisation/gaps", gaps),
        Target("h3 tickets res 10 (z16 box)", f"/api/h3/tickets?res=10&bbox={z16_text}&{wq}",
               lambda c: tickets.collection(c, 10, z16, window)),
        Target("h3 population res 10 (z16 box)", f"/api/h3/population?res=10&bbox={z16_text}",
               lambda c: population.collection(c, 10, z16, None)),
        Target("drill-down h3 res 8", f"/api/regions/h3/{h3i.int_to_str(cell)}?{wq}",
               lambda c: region_record(c, "h3", h3i.int_to_str(cell), window)),
    ]


def _outbreak_target(conn: psycopg.Connection) -> list[Target]:
    """Zone proposal over the whole outbreak: every case of the data counted as active."""
    first, last = conn.execute("SELECT min(reported_at), max(reported_at) FROM cases").fetchone()
    if first is None:
        return []
    first_day, last_day = first.astimezone(TOWN_TZ).date(), last.astimezone(TOWN_TZ).date()
    since = datetime.combine(first_day, datetime.min.time(), TOWN_TZ)
    until = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), TOWN_TZ)
    query = urlencode({"since": first_day.isoformat(), "until": last_day.isoformat()})
    return [Target("zone proposal (whole outbreak)", f"/api/zones?{query}",
                   lambda c: propose_zones(c, ZoneRequest(since=since, until=until)))]


def run(client, conn: psycopg.Connection, runs: int,
        progress: Callable[[str], None] = lambda _: None,
        only: tuple[str, ...] = ()) -> list[Figure]:
    """Time every target (or those whose name contains one of `only`) through the app and
    as bare SQL."""
    figures = []
    for target in targets(conn):
        if only and not any(word in target.name for word in only):
            continue
        progress(target.name)
        sizes: list[int] = []

        def request(path: str = target.path, sizes: list[int] = sizes) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}: "
                                   f"{response.get_data(as_text=True)[:200]}")
            sizes.append(len(response.get_data()))

        http, bare = _interleaved(request, lambda t=target: t.bare(conn), runs)
        sql_p50 = statistics.median(bare)
        p50 = statistics.median(http)
        figures.append(Figure(target.name, target.path.split("?")[0], round(p50, 1),
                              round(_p95(http), 1), round(sql_p50, 1),
                              round(p50 / sql_p50, 2) if sql_p50 else 0.0, sizes[-1]))
    return figures


def as_json(scale: str, figures: list[Figure], counts: dict[str, int]) -> dict:
    """The JSON document `gridcmd bench` writes."""
    return {"scale": scale, "measured_at": datetime.now(TOWN_TZ).isoformat(),
            "rows": counts, "figures": [asdict(f) for f in figures]}


BENCH_USER = "gridcmd-bench"


def bench_password(conn: psycopg.Connection) -> str:
    """A fresh random password for the benchmarks' own commander user (`BENCH_USER`, made on
    first use in the benchmark database), committed; every bench signs in with it."""
    import secrets

    from geo.users import UserError, add_user, set_password

    password = secrets.token_urlsafe(16)
    try:
        set_password(conn, BENCH_USER, password)
    except UserError:
        add_user(conn, BENCH_USER, password, "commander", display_name="gridcmd bench")
    conn.commit()
    return password


def signed_in_client(server, conn: psycopg.Connection):
    """A test client of `server` signed in as the benchmark's own commander user (made or
    given a fresh random password in the benchmark database), so timings include the guard."""
    from dashboard.auth.login import form_token

    password = bench_password(conn)
    client = server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = form_token(page)
    answer = client.post("/login", data={"csrf": token, "username": BENCH_USER,
                                         "password": password})
    if answer.status_code != 303:
        raise RuntimeError(f"the benchmark user could not sign in ({answer.status_code})")
    return client
