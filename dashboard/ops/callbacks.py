"""Callbacks of the operations drawer: open/close (in the browser), fill the tables, fly to a
clicked row.

Thin on purpose: the rows come from geo functions and dashboard/ops/tables.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update

from dashboard.i18n import normalise, t
from dashboard.map.flyto import fly_to_bbox
from dashboard.ops import ids, paging, tables
from dashboard.ops.layout import PAGE_ROWS
from dashboard.page_inputs import FLY, LANG, SELECT, SELECTION, WINDOW, window_of
from dashboard.roster_text import CALLLIST_PATH
from dashboard.state import connection
from geo.errors import BadParameter
from geo.mobilisation import fielding, fielding_totals, gaps, parse_level
from geo.operations import LEVELS as AREA_LEVELS
from geo.operations import grid_freshness, hotline_performance, ranking_total
from geo.search import region_bounds
from geo.timewindow import TOWN_TZ

STALE_DAYS = 90
WHEN_OPEN = Input(ids.OPS_OPEN, "data")  # the tables fill when the drawer opens
PAGE_INPUTS = (Input(ids.OPS_RANKING, "page_current"), Input(ids.OPS_RANKING, "sort_by"))
# The ranking starts again on its first page for a new area, window or order, or the drawer
# opened again; a page turn or a language switch keeps the page.
FIRST_PAGE_AGAIN = {f"{i.component_id}.{i.component_property}" for i in (
    WHEN_OPEN, WINDOW, Input(ids.OPS_AREA_LEVEL, "value"), PAGE_INPUTS[1])}


def row_selection(active_cell: Any, kind: str) -> dict | None:
    """{"kind", "code"} of a clicked table row (rows carry their code as `id`)."""
    if not isinstance(active_cell, Mapping) or not active_cell.get("row_id"):
        return None
    return {"kind": kind, "code": str(active_cell["row_id"])}


def print_href(level: str | None, selected: Mapping[str, Any] | None) -> str:
    """The call list link: around the selected grid, else the town centre."""
    query = {"level": level or "III"}
    if isinstance(selected, Mapping) and selected.get("kind") == "grid" and selected.get("code"):
        query["grid"] = str(selected["code"])
    return f"{CALLLIST_PATH}?{urlencode(query)}"


def _table(table_id: str) -> tuple[Output, Output]:
    """A table's rows and columns (its headings follow the language)."""
    return Output(table_id, "data"), Output(table_id, "columns")


def register(app: Dash) -> None:
    """Attach the drawer's callbacks to `app`."""

    # Opened and closed in the browser (assets/ops_drawer.js): at once, even while the
    # map's layers keep the server busy; the tables then fill from WHEN_OPEN.
    app.clientside_callback(
        ClientsideFunction(namespace="gridcmd_ops", function_name="toggle"),
        Output(ids.OPS_OPEN, "data"), Output(ids.OPS_DRAWER, "className"),
        Input(ids.OPS_BUTTON, "n_clicks"), Input(ids.OPS_CLOSE, "n_clicks"),
        State(ids.OPS_OPEN, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        *_table(ids.OPS_RANKING), Output(ids.OPS_RANKING, "page_count"),
        Output(ids.OPS_RANKING, "page_current"),
        WHEN_OPEN, WINDOW, Input(ids.OPS_AREA_LEVEL, "value"), LANG, *PAGE_INPUTS,
        prevent_initial_call=True,  # the drawer opens closed: nothing to fill before first paint
    )
    def fill_ranking(is_open, window, area, lang, page_current, sort_by):
        if not is_open or area not in AREA_LEVELS:
            return no_update, no_update, no_update, no_update
        lang = normalise(lang)
        if set(ctx.triggered_prop_ids) & FIRST_PAGE_AGAIN:
            page_current = 0
        try:
            since_until = window_of(window)
        except BadParameter:
            return [], tables.ranking_columns(lang), 1, 0
        limit, offset = paging.page_window(page_current, PAGE_ROWS)
        sort, descending = paging.sort_of(sort_by)
        with connection() as conn:  # one page: limit rows from offset, sorted on the server
            rows = hotline_performance(conn, area, since_until, limit=limit, offset=offset,
                                       sort=sort, descending=descending)
            total = ranking_total(conn, area)
        return (tables.ranking_data(rows, lang), tables.ranking_columns(lang),
                paging.page_count(total, PAGE_ROWS), paging.page_number(page_current))

    @app.callback(
        *_table(ids.OPS_FRESHNESS), Output(ids.OPS_FRESHNESS, "style_data_conditional"),
        WHEN_OPEN, LANG,
        prevent_initial_call=True,
    )
    def fill_freshness(is_open, lang):
        if not is_open:
            return no_update, no_update, no_update
        lang = normalise(lang)
        with connection() as conn:
            rows = grid_freshness(conn, datetime.now(TOWN_TZ), STALE_DAYS)
        return (tables.freshness_data(rows, lang), tables.freshness_columns(lang),
                tables.stale_row_style(lang))

    @app.callback(
        Output(ids.OPS_MOBILISATION_TOTALS, "children"), *_table(ids.OPS_GAPS),
        WHEN_OPEN, Input(ids.OPS_MOBILISATION_LEVEL, "value"), LANG,
        prevent_initial_call=True,
    )
    def fill_mobilisation(is_open, level, lang):
        if not is_open:
            return no_update, no_update, no_update
        lang, level = normalise(lang), parse_level(level)
        with connection() as conn:
            called = fielding_totals(fielding(conn, level))["called"]
            missing = gaps(conn)
        summary = [html.Span(tables.totals_text(level, called, lang)), html.Br(),
                   html.Span(t("ops.gaps", lang, n=len(missing)))]
        return summary, tables.gaps_data(missing, lang), tables.gaps_columns(lang)

    @app.callback(
        Output(ids.OPS_PRINT_LINK, "href"),
        Input(ids.OPS_MOBILISATION_LEVEL, "value"),
        SELECTION,
        prevent_initial_call=True,  # the layout's link is the town's (level III, no grid)
    )
    def link_call_list(level, selected):
        return print_href(level, selected)

    @app.callback(
        SELECT, FLY,
        *[Input(table, "active_cell") for table in (ids.OPS_RANKING, ids.OPS_FRESHNESS,
                                                    ids.OPS_GAPS)],  # a row of any table
        State(ids.OPS_AREA_LEVEL, "value"),
        prevent_initial_call=True,
    )
    def fly_to_row(_ranking, _freshness, _gaps, area):
        kind = area if ctx.triggered_id == ids.OPS_RANKING else "grid"
        chosen = row_selection(ctx.triggered[0]["value"] if ctx.triggered else None, kind)
        if chosen is None:
            return no_update, no_update
        with connection() as conn:
            bbox = region_bounds(conn, chosen["kind"], chosen["code"])
        return chosen, fly_to_bbox(bbox) if bbox else no_update
