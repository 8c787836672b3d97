"""Callbacks of the zones box's adjustments and call list (see dashboard/zones/adjust.py).

A click on a building or a compound while the box is open toggles its code in the add lists;
a chip's × takes its code out; closing the box empties the lists. The call-list link and the
nearest people follow the clicked case (or the proposal's 封控区) and the chosen level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from dashboard import page_ids as ids
from dashboard.auth.trail import audit
from dashboard.i18n import normalise, t
from dashboard.page_inputs import LANG
from dashboard.state import connection
from dashboard.zones import adjust as za
from dashboard.zones import panel as zp
from geo.errors import BadParameter
from geo.mobilisation import parse_level, roster_answer
from geo.zones import ADJUSTMENTS

BUILDING_CLICKS = ids.layer_geojson("buildings")
COMPOUND_CLICKS = ids.layer_geojson("compounds")
CHIP_CLICKS = {"type": za.CHIP, "list": ALL, "code": ALL}


def adjusted(trigger: Any, value: Any, pick: Any, values: Sequence[Any]) -> list | None:
    """The four inputs' new values after a map click, a chip's × or the box closing (None:
    nothing changes)."""
    if trigger == zp.PICK:
        return None if pick else [""] * len(ADJUSTMENTS)
    if not pick:  # the box is closed: map clicks are the drill-down panel's alone
        return None
    new = [str(v or "") for v in values]
    if isinstance(trigger, Mapping) and trigger.get("type") == za.CHIP:
        if not value or trigger.get("list") not in ADJUSTMENTS:  # a chip just drawn
            return None
        index = ADJUSTMENTS.index(trigger["list"])
        new[index] = za.without(new[index], str(trigger.get("code")))
        return new
    clicked = za.click_code(trigger, value)
    if clicked is None:
        return None
    index = ADJUSTMENTS.index(clicked[0])
    new[index] = za.toggled(new[index], clicked[1])
    return new


def nearest_view(centre: Mapping[str, float] | None, level: Any, lang: str) -> list:
    """The nearest people per role `level` calls around `centre` (as /api/mobilisation gives
    them: masked), at most za.NEAREST_PER_ROLE each."""
    if not centre:
        return []
    try:
        args = {"level": parse_level(str(level or "III")), "lat": centre["lat"],
                "lng": centre["lng"], "n": 2 * za.NEAREST_PER_ROLE}  # shares of 0.5 get 5
        with connection() as conn:
            answer = roster_answer(conn, args)
    except BadParameter as exc:
        return [html.Div(t("zones.bad_parameter", lang, message=str(exc)),
                         className="gc-zones-empty")]
    audit("drilldown", "mobilisation/nearest", {"level": answer["level"], "via": "zones",
                                                "people": len(answer["call_list"])})
    return za.render_nearest(za.nearest_rows(answer["call_list"]), lang)


def register(app: Dash) -> None:
    """Attach the adjustments' and the call list's callbacks to `app`."""

    @app.callback(
        *[Output(input_id, "value") for input_id in za.INPUTS],
        # n_clicks, not clickData: a second click on the same shape must toggle it back
        Input(BUILDING_CLICKS, "n_clicks"), Input(COMPOUND_CLICKS, "n_clicks"),
        Input(CHIP_CLICKS, "n_clicks"), Input(zp.PICK, "data"),
        State(BUILDING_CLICKS, "clickData"), State(COMPOUND_CLICKS, "clickData"),
        *[State(input_id, "value") for input_id in za.INPUTS],
        prevent_initial_call=True,
    )
    def adjust(_building, _compound, _chips, pick, building, compound, *values):
        trigger = ctx.triggered_id
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        if trigger == BUILDING_CLICKS:
            value = building
        elif trigger == COMPOUND_CLICKS:
            value = compound
        new = adjusted(trigger, value, pick, values)
        return tuple(new) if new is not None else (no_update,) * len(ADJUSTMENTS)

    @app.callback(
        Output(za.CHIPS, "children"),
        *[Input(input_id, "value") for input_id in za.INPUTS],
        LANG,
        prevent_initial_call=True,  # the lists start empty: no chips
    )
    def chips(*values):
        *codes, lang = values
        return za.render_chips(codes, normalise(lang))

    @app.callback(
        Output(za.CALL_LINK, "href"), Output(za.CALL_LINK, "className"),
        Output(za.NEAREST, "children"),
        Input(zp.PICK, "data"), Input(zp.REQUEST, "data"), Input(za.CALL_LEVEL, "value"), LANG,
        prevent_initial_call=True,  # nothing picked at load: the layout's hidden link
    )
    def call_list(pick, stored, level, lang):
        lang = normalise(lang)
        centre = za.call_centre(pick, (stored or {}).get("centre"))
        try:
            level = parse_level(str(level or "III"))
        except BadParameter:
            level = "III"
        href = za.calllist_href(centre, level, lang)
        return (href, za.LINK_SHOWN if href else za.LINK_HIDDEN, nearest_view(centre, level, lang))
