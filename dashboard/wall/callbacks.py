"""The wall's callbacks: data refresh in place, view rotation, clock (thin: work is elsewhere)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qs

import psycopg
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update
from psycopg_pool import PoolTimeout

from dashboard import language
from dashboard.i18n import normalise, t
from dashboard.kpi_figures import format_kpi, tile_classes
from dashboard.map.viewport import TOWN_ZOOM, hideout, layer_url
from dashboard.state import get_state, read_connection
from dashboard.wall import ids, views
from dashboard.wall.base_layers import BASE_BBOX
from dashboard.wall.config import DEFAULT_DAYS, View
from dashboard.wall.feed import (
    alert_marks,
    banner,
    hold_alerts,
    overdue_collection,
    ticker_items,
)
from dashboard.wall.legend import legend
from dashboard.wall.look import case_style
from dashboard.wall.memory import read_memory
from geo.freshness_stamp import data_as_of, stamp_text
from geo.kpi_extent import KPI_NAMES, kpi_extent
from geo.kpis import kpis
from geo.timewindow import TOWN_TZ, parse_window
from geo.wall import case_communities, hottest_grid, ticker_rows
from layers.registry import Registry

log = logging.getLogger(__name__)

QUERY_WAIT_S = 3.0  # a dead database must not hold the refresh long: the wall shows old data


def _wait_s(refresh_s: int) -> float:
    # Answer before the next tick: Dash drops a reply once a newer request of it is under way,
    # so a wait longer than the refresh would never let the banner through.
    return max(0.5, min(QUERY_WAIT_S, refresh_s * 0.75))


def url_lang(search: str | None, default: str) -> str:
    """The language named by ?lang= in the page's query, else `default` (GRIDCMD_LANG)."""
    wanted = parse_qs((search or "").lstrip("?")).get("lang")
    return normalise(wanted[-1]) if wanted and wanted[-1] else normalise(default)


def _ticking(timer: str) -> tuple[Input, Input, State]:
    """What a wall callback runs on: each tick of `timer` and a change of the page's language,
    with what the wall remembers between ticks."""
    return Input(timer, "n_intervals"), Input(ids.LANG, "data"), State(ids.MEMORY, "data")


def register(app: Dash, registry: Registry, wall_views: tuple[View, ...], lang: str) -> None:
    """Attach the wall's callbacks to its Dash app (`lang`: the default language)."""
    cases_layer = registry.get("cases")

    @app.callback(
        Output(ids.LANG, "data"),
        Input(ids.LOCATION, "search"),
        State(ids.LANG, "data"),
    )
    def choose_language(search, shown):
        # /wall/?lang=en: the layout is built before Dash knows the page's query string; the
        # store's change then re-writes every tr() label (dashboard/language.py).
        wanted = url_lang(search, lang)
        return no_update if wanted == shown else wanted

    language.register(app, Input(ids.LANG, "data"))

    @app.callback(
        Output({"type": ids.KPI_VALUE, "kpi": ALL}, "children"),
        Output({"type": ids.KPI_TILE, "kpi": ALL}, "className"),
        Output(ids.TICKER, "children"), Output(ids.AS_OF, "children"),
        Output(ids.CASES, "url"), Output(ids.CASES, "hideout"), Output(ids.OVERDUE, "data"),
        Output(ids.MEMORY, "data"), Output(ids.BANNER, "children"), Output(ids.BANNER, "className"),
        *_ticking(ids.REFRESH),
    )
    def refresh(_n, page_lang, memory):
        memory = read_memory(memory)  # browser input: a malformed store is a 400
        lang = normalise(page_lang)
        cases_hideout = {**hideout(cases_layer, lang), "style": case_style(cases_layer.style),
                         "pane": "gc-wall-cases"}
        now = datetime.now(TOWN_TZ)
        window = parse_window(None, None, now=now)
        try:
            state = get_state()
            # read-only: the replica when one serves (the wall is a pure reader)
            with read_connection(_wait_s(state.settings.wall_refresh)) as conn:
                figures = kpis(conn, window)
                rows = ticker_rows(conn, now)
                hottest = hottest_grid(conn, now - timedelta(days=DEFAULT_DAYS), now)
                town = kpi_extent(conn, "residents", window)
                as_of = data_as_of(conn)  # the print view's and the briefing's stamp too
        except (PoolTimeout, psycopg.Error, OSError) as exc:
            # Keep every figure on screen as it was; only the banner says it is stale.
            log.warning("wall refresh: database unreachable: %s", exc)
            keep = [no_update] * len(KPI_NAMES)  # wildcard outputs take one per tile
            return (keep, keep, *[no_update] * 6, banner(memory.get("last_ok"), lang),
                    "gc-wall-banner")
        previous = memory.get("refreshed")
        alerts = hold_alerts(rows, datetime.fromisoformat(previous) if previous else None,
                             memory.get("held", {}), now)
        since = (now - timedelta(days=DEFAULT_DAYS)).date().isoformat()
        # `until` changes every refresh, so the URL does too and the browser refetches.
        url = layer_url(cases_layer, BASE_BBOX, TOWN_ZOOM,
                        {"since": since, "until": now.isoformat(timespec="seconds")})
        classes = [c.replace("gc-kpi gc-", "gc-wall-kpi gc-", 1) for c in tile_classes(figures)]
        memory = {"refreshed": now.isoformat(), "last_ok": now.isoformat(), "held": alerts,
                  "town": list(town) if town else None,
                  "hottest": dict(hottest) if hottest else None}
        as_of_line = t("wall.as_of", lang, time=stamp_text(as_of) or t("print.unknown", lang))
        return ([format_kpi(name, figures.get(name)) for name in KPI_NAMES], classes,
                ticker_items(rows, alerts, lang), as_of_line, url,
                {**cases_hideout, "alerts": alert_marks(rows, alerts)},
                overdue_collection(rows, lang),
                memory, "", "gc-wall-banner gc-wall-hidden")

    @app.callback(
        Output(ids.VIEW_NAME, "children"), Output(ids.OVERLAY, "url"),
        Output(ids.OVERLAY, "hideout"), Output(ids.VIEW_LEGEND, "children"),
        Output(ids.MAP, "viewport"), Output(ids.OUTLINE, "data"), Output(ids.ROTATE, "interval"),
        Output(ids.AREAS, "data"), Output(ids.AREA_LABELS, "data"),
        *_ticking(ids.ROTATE),
    )
    def rotate(n, page_lang, memory):
        lang = normalise(page_lang)
        # Each tick shows the next view and sets the timer to that view's own duration.
        view = wall_views[(n if isinstance(n, int) else 0) % len(wall_views)]
        memory = read_memory(memory)
        town = tuple(memory["town"]) if memory.get("town") else _town_extent()
        hottest = memory.get("hottest") if view.kind == "hottest_grid" else None
        areas = _case_areas(view) if views.shows_case_areas(view) else None
        url, overlay_hideout, _ = views.overlay(view, town, lang)
        if areas is not None:  # counts per community instead of mostly-"<5" H3 cells
            url = None
        title = views.view_title(view, lang, hottest["name"] if hottest else None)
        shown = areas or views.EMPTY
        return (title, url, overlay_hideout,
                legend(view, registry, lang, areas=areas is not None),
                views.viewport(view, town, hottest), views.outline(view, hottest),
                view.seconds * 1000, shown, views.area_labels(shown, lang))

    app.clientside_callback(
        ClientsideFunction(namespace="gridcmd_wall", function_name="clock"),
        Output(ids.CLOCK, "children"),
        Input(ids.CLOCK_TICK, "n_intervals"),
    )


def _case_areas(view: View) -> dict | None:
    """The view's cases per community/village, or None when the database does not answer
    (the view then falls back to its H3 cells, drawn from the API by the browser)."""
    now = datetime.now(TOWN_TZ)
    try:
        with read_connection(QUERY_WAIT_S) as conn:  # read-only
            return case_communities(conn, now - timedelta(days=view.days), now)
    except (PoolTimeout, psycopg.Error, OSError) as exc:
        log.warning("wall cases view: database unreachable: %s", exc)
        return None


_TOWN: list = []  # the town's extent, once known (it changes only with a new boundary import)


def _town_extent() -> tuple[float, float, float, float]:
    # The first view is drawn before the first refresh has stored the extent: ask once.
    if not _TOWN:
        try:
            with read_connection(QUERY_WAIT_S) as conn:  # read-only
                box = kpi_extent(conn, "residents", parse_window(None, None))
        except (PoolTimeout, psycopg.Error, OSError):
            return views.FALLBACK_TOWN
        if box:
            _TOWN.append(tuple(box))
    return _TOWN[0] if _TOWN else views.FALLBACK_TOWN
