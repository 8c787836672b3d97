"""The place search (查房知人) in the left panel: type, pick a hit, the map flies there.

`hit_list` and `pick` are plain functions; the callbacks only fetch and hand over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.i18n import normalise, t
from dashboard.language import attr, tr
from dashboard.map import ids
from dashboard.map.flyto import fly_to_bbox
from dashboard.map.panel import label
from dashboard.page_inputs import FLY, LANG, SELECT, clicked
from dashboard.state import read_connection
from geo.errors import BadParameter
from geo.place_names import shown_name
from geo.search import check_query, search

TYPING_PAUSE_S = 0.3  # ask the database once the user pauses, not on every keystroke
PLACEHOLDER = attr(ids.SEARCH_INPUT, "placeholder", "search.placeholder")
ATTRIBUTES = (PLACEHOLDER,)  # translated by dashboard/language.py


def layout(lang: str) -> html.Div:
    """Heading, input and (empty) result list."""
    return html.Div(className="gc-search", children=[
        html.H2(tr("search.heading", lang), id=ids.SEARCH_HEADING),
        dcc.Input(id=ids.SEARCH_INPUT, type="search", debounce=TYPING_PAUSE_S, maxLength=100,
                  placeholder=PLACEHOLDER.value(lang), className="gc-search-input",
                  autoComplete="off"),
        html.Div(id=ids.SEARCH_RESULTS, className="gc-search-results"),
        dcc.Store(id=ids.SEARCH_HITS, data=[]),
    ])


# Kinds whose names the English map labels in pinyin: an English hit reads the same name.
NAMED_ON_MAP = {"community", "grid"}


def hit_list(hits: Sequence[Mapping[str, Any]], lang: str) -> list:
    """One button per hit: region kind, label, code. On the English page a community or grid
    reads as the map names it, its Chinese name (what was typed) beside the code."""
    if not hits:
        return [html.Div(t("search.no_hits", lang), className="gc-empty")]
    return [html.Button(
        id={"type": ids.SEARCH_HIT, "index": i}, n_clicks=0, className="gc-search-hit",
        children=[html.Span(label("region", hit["kind"], lang), className="gc-search-kind"),
                  html.Span(_shown(hit, lang), className="gc-search-label"),
                  html.Span(_code_line(hit, lang), className="gc-search-code")],
    ) for i, hit in enumerate(hits)]


def _shown(hit: Mapping[str, Any], lang: str) -> str:
    return shown_name(hit["label"], lang) if hit["kind"] in NAMED_ON_MAP else hit["label"]


def _code_line(hit: Mapping[str, Any], lang: str) -> str:
    shown = _shown(hit, lang)
    return hit["code"] if shown == hit["label"] else f"{hit['label']} · {hit['code']}"


def pick(hit: Mapping[str, Any]) -> tuple[dict, dict]:
    """(selection, viewport) for a chosen hit: its panel opens and the map flies to it."""
    return ({"kind": hit["kind"], "code": hit["code"]},
            fly_to_bbox(hit["bounds"]))


def register(app: Dash) -> None:
    """Attach the search callbacks to `app`."""

    @app.callback(
        Output(ids.SEARCH_RESULTS, "children"), Output(ids.SEARCH_HITS, "data"),
        Input(ids.SEARCH_INPUT, "value"), LANG,
        State(ids.SEARCH_HITS, "data"),
        prevent_initial_call=True,
    )
    def find(text, lang, previous):
        lang = normalise(lang)
        if ctx.triggered_id == ids.LANG_SWITCH:
            return (hit_list(previous, lang) if previous else []), no_update
        try:
            q = check_query(text)
        except BadParameter:
            return [], []
        with read_connection() as conn:  # read-only
            hits = search(conn, q)
        return hit_list(hits, lang), [{**h, "bounds": list(h["bounds"])} for h in hits]

    @app.callback(
        SELECT, FLY,
        Input({"type": ids.SEARCH_HIT, "index": ALL}, "n_clicks"),
        Input(ids.SEARCH_INPUT, "n_submit"), State(ids.SEARCH_HITS, "data"),
        prevent_initial_call=True,
    )
    def choose(_clicks, _submits, hits):
        # Fresh result buttons arrive with n_clicks 0: only a real click (or Enter) counts.
        trigger = clicked()
        if not trigger or not hits:
            return no_update, no_update
        index = trigger["index"] if isinstance(trigger, Mapping) else 0  # Enter → best hit
        if not 0 <= index < len(hits):
            return no_update, no_update
        return pick(hits[index])
