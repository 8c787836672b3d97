"""The app factory: one Flask server, one Dash app, one connection pool per process."""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask
from psycopg_pool import ConnectionPool

from dashboard import compression, json_encoding, language, read_your_writes, response_cache
from dashboard.api.core import api
from dashboard.api.map import map_api
from dashboard.api.operations import operations_api
from dashboard.auth.guard import allow_inline_scripts, install
from dashboard.dash_mount import mount_dash
from dashboard.export import print_view
from dashboard.export.http import export_api
from dashboard.i18n import normalise
from dashboard.map import callbacks, h3_view, kpibar, panel_callbacks, search_box, timebar
from dashboard.map import page as map_page
from dashboard.map import selection as map_selection
from dashboard.map.opening import read_opening
from dashboard.page_inputs import LANG
from dashboard.page_language import opening_lang
from dashboard.settings import Settings
from dashboard.state import AppState, attach, get_state
from geo.database import (
    check_replica_url,
    open_pool,
    open_replica_pool,
    primary_lsn,
    server_url,
)
from geo.replica import ReplicaRouter
from layers import REGISTRY
from layers.registry import Registry

ASSETS = Path(__file__).resolve().parent.parent / "assets"


# dash-leaflet's lazily loaded GeoJSON chunk, loaded with the page instead (see create_app).
GEOJSON_CHUNK = "/_dash-component-suites/dash_leaflet/async-GeoJSON.js"
# The other lazy chunk of a component the map page draws at once: the time bar's slider. (The
# ticket panel's drawing tool is mounted when the batch box opens; assets/map_lazy_ready.js
# loads its chunk when the pointer reaches the box's entry.)
EAGER_CHUNKS = (GEOJSON_CHUNK, "/_dash-component-suites/dash/dcc/async-slider.js")


def create_app(settings: Settings, database_url: str | None = None,
               registry: Registry = REGISTRY) -> Dash:
    """Dash app (its Flask server at `.server`) reading `database_url` or the configured one."""
    server = _guarded_server(settings, database_url, registry)
    server.register_blueprint(map_api)
    server.register_blueprint(operations_api)
    server.register_blueprint(export_api)
    from dashboard.api.region_export import region_export_api  # panel's data downloads
    server.register_blueprint(region_export_api)
    from dashboard.api.roster import roster_api  # nearest staff, mobilisation call lists
    server.register_blueprint(roster_api)
    from dashboard.api.zones import zones_api  # containment zones: plans, export
    server.register_blueprint(zones_api)
    from dashboard.api.tickets import tickets_api  # 接诉即办: intake, steps, feed, callbacks
    server.register_blueprint(tickets_api)
    from dashboard.ogc.routes import ogc_api  # OGC API – Features for other departments' GIS
    server.register_blueprint(ogc_api)
    from dashboard import phone  # the grid worker's phone app (/m/)
    phone.register(server)
    from dashboard.api.phone import phone_api  # its JSON routes: visits, photos, reports, tasks
    server.register_blueprint(phone_api)

    lang = normalise(settings.lang)
    app = mount_dash(server, "/", "gridcmd", ASSETS, lang,
                     # the KPI figures and the histogram come with the layout (map/opening.py)
                     # in the language the user last chose (dashboard/page_language.py)
                     lambda: map_page.layout(settings, registry, read_opening(),
                                             opening_lang(settings.lang)),
                     # dash-leaflet loads its GeoJSON component lazily, and React mounts a lazy
                     # component only once the stream of first callbacks has calmed down: the
                     # map's layers waited seconds behind them (first paint after sign-in).
                     # Shipped with the page, the chunk is there when the map renders its
                     # layers, which then fetch at once.
                     external_scripts=list(EAGER_CHUNKS),
                     # Some callbacks' components come later (the batch box's drawing tool
                     # mounts when the box opens), which the browser's check of the callbacks
                     # against the layout would report. Off, the page also no longer carries a
                     # second copy of its whole layout for that check (~70 kB to read and walk
                     # before the first paint); tests/unit/test_map_callback_ids.py makes the
                     # check instead, before the page ships.
                     suppress_callback_exceptions=True,
                     # the print view's and the wall's own files stay off the command map
                     skip_assets=("print.css", "print.js", "wall.css", "wall.js"))
    # the one language callback: every tr() span and map_page.attributes() (dashboard/language.py)
    language.register(app, LANG, map_page.attributes(registry))
    callbacks.register(app, registry)
    timebar.register(app)
    h3_view.register(app)
    panel_callbacks.register(app, registry)
    kpibar.register(app)
    map_selection.register(app)
    search_box.register(app)
    from dashboard import ops  # the 运行 drawer, roster API, printable call list
    ops.register(app, ASSETS, lang)
    from dashboard.zones import callbacks as zones_callbacks  # the containment-zones box on the map
    zones_callbacks.register(app)
    from dashboard.tickets import panel_callbacks as ticket_callbacks  # 接诉即办 on the map
    ticket_callbacks.register(app)
    from dashboard.export import menu as export_menu  # 导出 on the map: view PNG/PDF, briefing
    export_menu.register(app)
    print_app = print_view.mount(server, ASSETS, lang)  # /print/: the map alone, for snapshots
    from dashboard.wall.app import mount as mount_wall  # /wall/: the command-hall display
    wall_app = mount_wall(server, settings, registry, ASSETS, lang)
    for dash_app in (app, print_app, wall_app):
        allow_inline_scripts(server, dash_app.csp_hashes())
    from dashboard import callback_check  # unknown callbacks and bad bodies: 400, not 500
    callback_check.install(server, [app, print_app, wall_app])
    return app


def _guarded_server(settings: Settings, database_url: str | None,
                    registry: Registry) -> Flask:
    """The Flask server every app starts from: state and pool, sign-in guard, answer cache,
    compression and the core API (layers, health; its error handlers serve every route)."""
    url = database_url or server_url(settings)
    check_replica_url(settings)  # a malformed GRIDCMD_REPLICA_URL stops here, before any pool
    server = Flask("gridcmd")
    json_encoding.install(server)  # orjson; Chinese names stay readable in JSON answers
    pool = open_pool(url, settings)
    attach(server, AppState(settings=settings, pool=pool, registry=registry,
                            database_url=url, replica=_replica(settings, pool)))
    install(server, settings)  # sign-in, the per-request role check, security headers
    read_your_writes.install(server)  # after the guard: a user's reads after their write
    # before compression: its hook runs after it and keeps the compressed bytes
    response_cache.install(server, settings.response_cache_mb, settings.response_cache_ttl_s)
    compression.install(server)  # gzip/br/zstd for JSON and GeoJSON answers
    server.register_blueprint(api)  # its error handlers serve every route
    return server


def create_print_app(settings: Settings, database_url: str | None = None,
                     registry: Registry = REGISTRY) -> Dash:
    """Only what a one-off export draws with: the print view (/print/) over the layer and
    H3 API, behind the same guard (render credentials). A `gridcmd export` process then
    does not build the command map, the wall, the phone and the OGC routes it never serves
    (~0.2 s of a cold snapshot's critical path: Chromium is ready before the full app)."""
    server = _guarded_server(settings, database_url, registry)
    server.register_blueprint(map_api)
    print_app = print_view.mount(server, ASSETS, normalise(settings.lang))
    allow_inline_scripts(server, print_app.csp_hashes())
    from dashboard import callback_check  # unknown callbacks and bad bodies: 400, not 500
    callback_check.install(server, [print_app])
    return print_app


def _replica(settings: Settings, pool: ConnectionPool) -> ReplicaRouter | None:
    """The read replica's pool and router when GRIDCMD_REPLICA_URL is set (geo/replica.py)."""
    if not settings.replica_url:
        return None
    return ReplicaRouter(open_replica_pool(settings.replica_url, settings),
                         lambda: primary_lsn(pool), settings.replica_max_lag_s,
                         settings.replica_check_s)


def close_app(app: Dash) -> None:
    """Close the app's connection pools (for whoever owns the process: CLI, tests)."""
    state = get_state(app.server)
    state.pool.close()
    if state.replica is not None:
        state.replica.close()
