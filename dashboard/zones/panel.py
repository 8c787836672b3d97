"""The containment-zones box of the command map: layout and rendering (no Dash callbacks).

A click on a case (or on an H3 cell of the cases overlay) opens the box; its button proposes
封控区 / 管控区 / 防范区 for the time window, drawn on the map and listed here with what each
zone holds and needs; a second button publishes the proposal as the town's next plan version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard.i18n import t
from dashboard.language import attr, tr
from dashboard.map.panel import label, number
from dashboard.page_ids import ZONE_PROPOSAL, ZONES_LAYER
from dashboard.page_inputs import empty_store
from dashboard.zones.adjust import ATTRIBUTES as ADJUST_ATTRIBUTES
from dashboard.zones.adjust import adjust_block, call_block
from geo.timewindow import TOWN_TZ
from geo.zones import LEVELS
from layers.model import Layer

# Component ids of this box (kept here: the box is self-contained and nothing else reads them).
PANEL = "zones-panel"
CLOSE = "zones-close"
HEADING = "zones-heading"
PICKED = "zones-picked"
PICK = "zones-pick"  # store: {"kind": "case" | "h3", "code", "label", "lat", "lng"} or None
REQUEST = "zones-request"  # store: the proposal on screen (parameters, centre, figures)
MODE = "zones-mode"
BUFFER = "zones-buffer"
DAYS = "zones-days"
BUFFER_LABEL = "zones-buffer-label"
DAYS_LABEL = "zones-days-label"
PROPOSE = "zones-propose"
RESULT = "zones-result"
PUBLISHER = "zones-publisher"
PUBLISH = "zones-publish"
PUBLISH_NOTE = "zones-publish-note"
PUBLISH_BLOCK = "zones-publish-block"  # shown once a proposal with zones is on screen
PROPOSAL = ZONE_PROPOSAL  # the dl.GeoJSON drawing the proposal
PROPOSAL_PANE = "gc-zone-proposal"
ENTRY = "zones-entry"  # the title bar's button that opens the box without a case click
LAYER_ID = ZONES_LAYER  # the registry layer of published zones (layers/catalog.py)

CLOSED, OPEN = "gc-zone-box", "gc-zone-box gc-open"
PUBLISH_HIDDEN, PUBLISH_SHOWN = "gc-zones-publish", "gc-zones-publish gc-open"
# The figures listed per zone, in this order: (figure key, catalogue key).
FIGURES = (
    ("residents", "panel.residents"), ("households", "panel.households"),
    ("elderly", "panel.elderly"), ("children", "panel.children"),
    ("vulnerable_households", "panel.vulnerable"),
    ("three_no_compounds", "zones.three_no"), ("shops_to_close", "zones.shops"),
    ("checkpoints_needed", "zones.checkpoints"),
)
_TINY = timedelta(microseconds=1)


def mode_options(lang: str) -> list[dict]:
    """The control-zone rule: the cases' grids or a buffer around the sealed areas."""
    return [{"label": t(f"zones.mode.{mode}", lang), "value": mode}
            for mode in ("grid", "buffer")]


# Translated by the one language callback (dashboard/language.py) with the tr() spans.
MODE_OPTIONS = attr(MODE, "options", mode_options)
PUBLISHER_PLACEHOLDER = attr(PUBLISHER, "placeholder", "zones.publisher")
ENTRY_TITLE = attr(ENTRY, "title", "zones.entry_title")
CLOSE_TITLE = attr(CLOSE, "title", "panel.close")
ATTRIBUTES = (MODE_OPTIONS, PUBLISHER_PLACEHOLDER, ENTRY_TITLE, CLOSE_TITLE, *ADJUST_ATTRIBUTES)


def layout(lang: str) -> html.Div:
    """The (closed) box over the map and its stores."""
    return html.Div([
        empty_store(PICK),
        empty_store(REQUEST),
        html.Aside(id=PANEL, className=CLOSED, children=[
            html.Button("×", id=CLOSE, className="gc-zones-close", n_clicks=0,
                        title=CLOSE_TITLE.value(lang)),
            html.H2(tr("zones.heading", lang), id=HEADING, className="gc-zones-h"),
            html.Div(id=PICKED, className="gc-zones-picked"),
            html.Div(className="gc-zones-controls", children=[
                dcc.RadioItems(id=MODE, className="gc-zones-mode", inline=True, value="grid",
                               options=MODE_OPTIONS.value(lang)),
                html.Label([html.Span(tr("zones.buffer_m", lang), id=BUFFER_LABEL), dcc.Input(
                    id=BUFFER, type="number", min=10, max=5000, step=10, value=300,
                    className="gc-zones-number")]),
                html.Label([html.Span(tr("zones.days", lang), id=DAYS_LABEL), dcc.Input(
                    id=DAYS, type="number", min=1, max=60, step=1, value=14,
                    className="gc-zones-number")]),
            ]),
            adjust_block(lang),
            html.Button(tr("zones.propose", lang), id=PROPOSE, n_clicks=0,
                        className="gc-zones-button"),
            html.Div(id=RESULT, className="gc-zones-result"),
            publish_block(lang),
            call_block(lang),
        ]),
    ])


def entry_button(lang: str) -> html.Button:
    """The visible way into the zones tool (a case click still opens it too)."""
    return html.Button(tr("zones.entry", lang), id=ENTRY, n_clicks=0, className="gc-title-button",
                       title=ENTRY_TITLE.value(lang))


def proposal_pane(z_index: int, layers: Sequence[Layer], lang: str) -> dl.Pane:
    """The map pane drawing a proposal, styled like the registry's published zones layer."""
    style = layer_style(layers)
    return dl.Pane(name=PROPOSAL_PANE, style={"zIndex": z_index}, children=[dl.GeoJSON(
        id=PROPOSAL, style={"variable": "gridcmd.map.style"},
        onEachFeature={"variable": "gridcmd.map.onEachFeature"},
        hideout=proposal_hideout(style, lang), data=None)])


def layer_style(layers: Sequence[Layer]) -> Mapping[str, Any]:
    """The style of the registry's published zones layer (the proposal is drawn alike)."""
    return next((layer.style for layer in layers if layer.id == LAYER_ID), {})


def proposal_hideout(style: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """What assets/map_styles.js needs to colour the proposal and label its tooltips."""
    fields = ("level", "residents", "households")
    return {
        "style": dict(style), "className": "gc-feature gc-zone-proposal",
        "tooltip": [[t(f"field.{name}", lang), name] for name in fields],
        "values": {"level": {level: t(f"value.level.{level}", lang) for level in LEVELS}},
        "flags": {}, "pane": PROPOSAL_PANE, "lang": lang,
        # each zone named on the map: "封控区 · 1,234人"
        "label": t("zones.map_label", lang),
    }


def pick_text(pick: Mapping[str, Any] | None, lang: str) -> str:
    """What was clicked, in words ('病例 … 2026-11-20' or 'H3 单元 …')."""
    if not pick:
        return ""
    if pick.get("kind") == "town":
        return t("zones.picked_town", lang)
    key = "zones.picked_case" if pick.get("kind") == "case" else "zones.picked_cell"
    return t(key, lang, label=pick.get("label") or pick.get("code") or "")


def proposal_geojson(zones: Sequence[Mapping[str, Any]]) -> dict:
    """The proposal as a FeatureCollection: the level doubles as code and style class."""
    features = []
    for zone in zones:
        props = {k: v for k, v in zone.items()
                 if k in ("level", "residents", "households", "area_km2")}
        props.update(code=zone["level"], zone_class=zone["level"])
        features.append({"type": "Feature", "id": zone["level"], "geometry": zone["geometry"],
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def render_result(zones: Sequence[Mapping[str, Any]], window: tuple[datetime, datetime],
                  lang: str) -> list:
    """The window, then per zone its counts and supplies."""
    since, until = window
    last = (until.astimezone(TOWN_TZ) - _TINY).date().isoformat()
    head = html.Div(t("panel.window", lang, since=since.astimezone(TOWN_TZ).date().isoformat(),
                      until=last), className="gc-zones-window",
                    **{"data-since": since.isoformat(), "data-until": until.isoformat()})
    if not zones:
        return [head, html.Div(t("zones.no_cases", lang), className="gc-zones-empty")]
    return [head, *[zone_section(zone, lang) for zone in zones]]


def zone_section(zone: Mapping[str, Any], lang: str) -> html.Section:
    """One zone: title with its area, the figures, then supplies needed against stock."""
    level = zone["level"]
    rows = [html.Li([html.Span(t(key, lang)), value(level, name, zone.get(name))],
                    className="gc-row") for name, key in FIGURES]
    supplies = [html.Li(className="gc-row gc-zones-supply" + (
        " gc-zones-short" if s.get("shortfall") else ""), children=[
        html.Span(label("zones.item", s["item"], lang)),
        html.Span([value(level, f"{s['item']}-needed", s["needed"]), " / ",
                   value(level, f"{s['item']}-stock", s["stock"])]),
    ]) for s in zone.get("supplies") or []]
    title = [t(f"value.level.{level}", lang),
             html.Span(t("zones.area", lang, km2=zone.get("area_km2")), className="gc-zones-area")]
    return html.Section(id=f"zones-{level}", className=f"gc-zones-zone gc-zones-{level}", children=[
        html.H3(title, className="gc-zones-zone-h"),
        html.Ul(rows, className="gc-rows"),
        html.Div(t("zones.supplies", lang), className="gc-zones-sub"),
        html.Ul(supplies, className="gc-rows"),
    ])


def publish_block(lang: str) -> html.Div:
    """Who publishes (until sign-in provides it) and the publish button."""
    return html.Div(id=PUBLISH_BLOCK, className=PUBLISH_HIDDEN, children=[
        dcc.Input(id=PUBLISHER, type="text", placeholder=PUBLISHER_PLACEHOLDER.value(lang),
                  className="gc-zones-publisher", debounce=False),
        html.Button(tr("zones.publish", lang), id=PUBLISH, n_clicks=0,
                    className="gc-zones-button gc-zones-publish-button"),
        html.Div(id=PUBLISH_NOTE, className="gc-zones-note"),
    ])


def value(level: str, name: str, amount: Any) -> html.Span:
    """A figure with its bare number in data-value (tests read it)."""
    raw = "" if amount is None else str(round(float(amount)))
    return html.Span(number(amount), id=f"zones-{level}-{name}", className="gc-value",
                     **{"data-value": raw})


def message(text: str) -> list:
    """The result area showing only a message (bad parameters, failure)."""
    return [html.Div(text, className="gc-zones-empty")]
