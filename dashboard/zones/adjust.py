"""The zones box's adjustments and call list: layout and plain functions (no Dash callbacks).

Adjusting: four comma lists of codes (buildings / compounds to add / remove), shown as chips;
while the box is open a click on a building or a compound toggles it in the add lists. The
call list: a mobilisation level, a link to the printable call list centred on the clicked case
(or the proposal's 封控区), and the nearest people per role the level calls (masked).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from dashboard.i18n import t
from dashboard.language import attr, tr
from dashboard.roster_text import CALLLIST_PATH, role_label
from geo.mobilisation import LEVELS
from geo.zones import ADJUSTMENTS

# Component ids (this box only).
ADJUST_HEADING = "zones-adjust-heading"
ADJUST_HINT = "zones-adjust-hint"
CHIPS = "zones-chips"
CHIP = "zones-chip"  # pattern-matching type: {"type": CHIP, "list": <adjustment>, "code": code}
CALL_HEADING = "zones-call-heading"
CALL_LEVEL = "zones-call-level"
CALL_LINK = "zones-call-link"
NEAREST_HEADING = "zones-nearest-heading"
NEAREST = "zones-nearest"
LINK_SHOWN, LINK_HIDDEN = "gc-zones-call-link", "gc-zones-call-link gc-hidden"


def input_id(name: str) -> str:
    """The id of the text input of adjustment list `name` (e.g. zones-add_compounds)."""
    return f"zones-{name}"


def label_id(name: str) -> str:
    return f"zones-{name}-label"


INPUTS = tuple(input_id(name) for name in ADJUSTMENTS)
NEAREST_PER_ROLE = 5
# Which list a map click toggles: the layer clicked → the adjustment list.
CLICK_LISTS = {"buildings": "add_buildings", "compounds": "add_compounds"}
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def adjust_block(lang: str) -> html.Div:
    """Four code inputs (add / remove × buildings / compounds) and the chips of their codes."""
    return html.Div(className="gc-zones-adjust", children=[
        html.Div(tr("zones.adjust", lang), id=ADJUST_HEADING, className="gc-zones-sub"),
        html.Div(className="gc-zones-adjust-grid", children=[
            html.Label([html.Span(tr(f"zones.{name}", lang), id=label_id(name)),
                        dcc.Input(id=input_id(name), type="text", value="", debounce=False,
                                  className="gc-zones-codes", autoComplete="off")])
            for name in ADJUSTMENTS]),
        html.Div(tr("zones.adjust_hint", lang), id=ADJUST_HINT, className="gc-zones-hint"),
        html.Div(id=CHIPS, className="gc-zones-chips"),
    ])


def call_block(lang: str) -> html.Div:
    """The mobilisation level, the call-list link and the nearest people per role."""
    return html.Div(className="gc-zones-call", children=[
        html.Div(tr("zones.calllist", lang), id=CALL_HEADING, className="gc-zones-sub"),
        html.Div(className="gc-zones-call-row", children=[
            dcc.Dropdown(id=CALL_LEVEL, options=LEVEL_OPTIONS.value(lang), value="III",
                         clearable=False, searchable=False, className="gc-zones-level"),
            # hidden until a case (or the town) is picked: there is no centre to call around
            html.A(tr("zones.calllist_open", lang), id=CALL_LINK, href=None, target="_blank",
                   rel="noopener", className=LINK_HIDDEN),
        ]),
        html.Div(tr("zones.nearest", lang), id=NEAREST_HEADING, className="gc-zones-sub"),
        html.Div(id=NEAREST, className="gc-zones-nearest"),
    ])


def level_options(lang: str) -> list[dict]:
    return [{"label": t(f"ops.level_name.{level}", lang), "value": level} for level in LEVELS]


LEVEL_OPTIONS = attr(CALL_LEVEL, "options", level_options)
ATTRIBUTES = (LEVEL_OPTIONS,)  # translated by dashboard/language.py


def parse_codes(text: Any) -> list[str]:
    """The codes typed in an input (commas, Chinese commas or spaces between), each once."""
    return list(dict.fromkeys(c for c in _SEPARATORS.split(str(text or "")) if c))


def toggled(text: Any, code: str) -> str:
    """The input's text with `code` added at the end, or taken out when it was there."""
    codes = parse_codes(text)
    codes = [c for c in codes if c != code] if code in codes else [*codes, code]
    return ",".join(codes)


def without(text: Any, code: str) -> str:
    return ",".join(c for c in parse_codes(text) if c != code)


def adjustments(values: Sequence[Any]) -> dict[str, tuple[str, ...]]:
    """The adjustment lists from the four inputs' values (in ADJUSTMENTS order)."""
    return {name: tuple(parse_codes(value))
            for name, value in zip(ADJUSTMENTS, values, strict=True)}


def render_chips(values: Sequence[Any], lang: str) -> list:
    """One chip per code, grouped by list; a chip's × takes its code out."""
    chips = []
    for name, value in zip(ADJUSTMENTS, values, strict=True):
        for code in parse_codes(value):
            chips.append(html.Button(
                [html.Span(t(f"zones.chip.{name}", lang), className="gc-zones-chip-kind"),
                 code, html.Span("×", className="gc-zones-chip-x")],
                id={"type": CHIP, "list": name, "code": code}, n_clicks=0,
                className=f"gc-zones-chip gc-zones-chip-{name}", title=t("panel.close", lang),
                **{"data-code": code, "data-list": name}))
    return chips


def click_code(trigger: Any, feature: Any) -> tuple[str, str] | None:
    """(adjustment list, code) of a click on a building or a compound, else None."""
    if not isinstance(trigger, Mapping) or not isinstance(feature, Mapping):
        return None
    name = CLICK_LISTS.get(str(trigger.get("layer")))
    code = (feature.get("properties") or {}).get("code") or feature.get("id")
    return (name, str(code)) if name and code else None


def call_centre(pick: Mapping[str, Any] | None,
                centre: Mapping[str, Any] | None) -> dict[str, float] | None:
    """Where the call list starts: the clicked case, else the proposal's 封控区, else the cell."""
    if not pick:
        return None
    for source in ((pick,) if pick.get("kind") == "case" else ()) + (centre or {}, pick):
        if source.get("lat") is not None and source.get("lng") is not None:
            return {"lat": float(source["lat"]), "lng": float(source["lng"])}
    return None


def calllist_href(centre: Mapping[str, float] | None, level: str, lang: str) -> str | None:
    """/print/calllist?level=&lat=&lng=&lang= for the centre (None without one)."""
    if not centre:
        return None
    return CALLLIST_PATH + "?" + urlencode({
        "level": level, "lat": f"{centre['lat']:.6f}", "lng": f"{centre['lng']:.6f}",
        "lang": lang})


def nearest_rows(call_list: Sequence[Mapping[str, Any]],
                 per_role: int = NEAREST_PER_ROLE) -> dict[str, list[Mapping[str, Any]]]:
    """The call list cut to the nearest `per_role` of each role, in the list's role order."""
    by_role: dict[str, list[Mapping[str, Any]]] = {}
    for row in call_list:
        rows = by_role.setdefault(row["role"], [])
        if len(rows) < per_role:
            rows.append(row)
    return by_role


def render_nearest(by_role: Mapping[str, Sequence[Mapping[str, Any]]], lang: str) -> list:
    """Per role: its label, then name (masked as it came), metres and grid of each."""
    if not any(by_role.values()):
        return [html.Div(t("zones.nearest_none", lang), className="gc-zones-empty")]
    sections = []
    for role, rows in by_role.items():
        items = [html.Li([html.Span(row.get("name") or "", className="gc-zones-near-name"),
                          html.Span(t("zones.metres", lang, m=f"{float(row['metres']):.0f}")
                                    if row.get("metres") is not None else "",
                                    className="gc-zones-near-m")],
                         className="gc-zones-near", **{"data-code": str(row.get("code"))})
                 for row in rows]
        sections.append(html.Div(className="gc-zones-near-role", **{"data-role": role},
                                 children=[html.Span(role_label(role, lang),
                                                     className="gc-zones-near-h"),
                                           html.Ul(items)]))
    return sections
