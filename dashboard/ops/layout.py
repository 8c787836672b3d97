"""The operations drawer (运行): a title-bar button and a drawer of three sortable tables
(the ranking paged and sorted on the server, one page at a time)."""

from __future__ import annotations

from dash import dash_table, dcc, html

from dashboard.i18n import t
from dashboard.language import attr, tr
from dashboard.ops import ids
from dashboard.ops.paging import unsorted_header_css
from dashboard.ops.tables import freshness_columns, gaps_columns, ranking_columns
from dashboard.roster_text import CALLLIST_PATH
from geo.mobilisation import LEVELS

PAGE_ROWS = 15
CLOSED = "gc-ops-drawer"  # opened with gc-ops-open by assets/ops_drawer.js


def area_options(lang: str) -> list[dict]:
    """Options of the ranking's community / grid switch."""
    return [{"label": t(f"ops.area.{v}", lang), "value": v} for v in ("community", "grid")]


def level_options(lang: str) -> list[dict]:
    """Options of the mobilisation level switch (III, the lightest, first)."""
    return [{"label": t(f"ops.level_name.{v}", lang), "value": v} for v in reversed(LEVELS)]


# Translated by the one language callback (dashboard/language.py) with the tr() spans.
AREA_OPTIONS = attr(ids.OPS_AREA_LEVEL, "options", area_options)
LEVEL_OPTIONS = attr(ids.OPS_MOBILISATION_LEVEL, "options", level_options)
TAB_LABELS = {tab: attr(tab, "label", f"ops.tab.{name}") for tab, name in (
    (ids.OPS_TAB_RANKING, "ranking"), (ids.OPS_TAB_FRESHNESS, "freshness"),
    (ids.OPS_TAB_MOBILISATION, "mobilisation"))}
CLOSE_TITLE = attr(ids.OPS_CLOSE, "title", "ops.close")
BUTTON = attr(ids.OPS_BUTTON, "children", "ops.button")
ATTRIBUTES = (AREA_OPTIONS, LEVEL_OPTIONS, *TAB_LABELS.values(), CLOSE_TITLE, BUTTON)


def _table(table_id: str, columns: list[dict], **paging) -> dash_table.DataTable:
    """A sortable table of PAGE_ROWS rows a page; `paging` overrides the native sort and
    paging (the ranking pages and sorts on the server: dashboard/ops/paging.py)."""
    css = [{"selector": "tr", "rule": "cursor: pointer"}, *paging.pop("css", [])]
    options = {"sort_action": "native", "page_action": "native", **paging}
    return dash_table.DataTable(
        id=table_id, columns=columns, data=[], sort_mode="single", page_size=PAGE_ROWS,
        cell_selectable=True, style_table={"overflowX": "auto"}, css=css, **options,
        style_cell={"fontSize": "12px", "padding": "3px 6px", "whiteSpace": "nowrap",
                    "fontFamily": "inherit", "textAlign": "left"},
        style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
        style_header={"fontWeight": "600", "backgroundColor": "#f3f1ec"},
    )


def toolbar(lang: str) -> html.Div:
    """The button and the (closed) drawer; the tables fill when the drawer opens."""
    return html.Div(className="gc-ops", children=[
        dcc.Store(id=ids.OPS_OPEN, data=False),
        html.Button(BUTTON.value(lang), id=ids.OPS_BUTTON, n_clicks=0,
                    className="gc-ops-button"),
        html.Section(id=ids.OPS_DRAWER, className=CLOSED, children=[
            html.Div(className="gc-ops-head", children=[
                html.H2(tr("ops.title", lang), id=ids.OPS_TITLE),
                html.Button("×", id=ids.OPS_CLOSE, n_clicks=0, className="gc-ops-close",
                            title=CLOSE_TITLE.value(lang)),
            ]),
            dcc.Tabs(id=ids.OPS_TABS, value="ranking", className="gc-ops-tabs", children=[
                dcc.Tab(id=ids.OPS_TAB_RANKING, value="ranking",
                        label=TAB_LABELS[ids.OPS_TAB_RANKING].value(lang), children=[
                    dcc.RadioItems(id=ids.OPS_AREA_LEVEL, className="gc-ops-switch",
                                   inline=True, value="community",
                                   options=AREA_OPTIONS.value(lang)),
                    _table(ids.OPS_RANKING, ranking_columns(lang), sort_action="custom",
                           page_action="custom", page_current=0, page_count=1, sort_by=[],
                           css=unsorted_header_css()),
                ]),
                dcc.Tab(id=ids.OPS_TAB_FRESHNESS, value="freshness",
                        label=TAB_LABELS[ids.OPS_TAB_FRESHNESS].value(lang), children=[
                    _table(ids.OPS_FRESHNESS, freshness_columns(lang)),
                ]),
                dcc.Tab(id=ids.OPS_TAB_MOBILISATION, value="mobilisation",
                        label=TAB_LABELS[ids.OPS_TAB_MOBILISATION].value(lang), children=[
                    html.Div(className="gc-ops-mobilisation", children=[
                        dcc.RadioItems(id=ids.OPS_MOBILISATION_LEVEL, className="gc-ops-switch",
                                       inline=True, value="III",
                                       options=LEVEL_OPTIONS.value(lang)),
                        html.A(tr("ops.print", lang), id=ids.OPS_PRINT_LINK, target="_blank",
                               href=f"{CALLLIST_PATH}?level=III", className="gc-ops-print"),
                    ]),
                    html.P(id=ids.OPS_MOBILISATION_TOTALS, className="gc-ops-totals"),
                    _table(ids.OPS_GAPS, gaps_columns(lang)),
                ]),
            ]),
        ]),
    ])
