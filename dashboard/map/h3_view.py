"""The H3 overlay: metric selector, class breaks and colours, data URL, legend, callback.

Cells come from GET /api/h3/<metric> (values computed in SQL); the browser colours them by the
class breaks in `hideout` (assets/map_h3.js), so changing language never refetches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import dash_leaflet as dl
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.i18n import normalise, t
from dashboard.language import attr, tr
from dashboard.map import ids
from dashboard.map.viewport import TOWN_CENTRE, TOWN_ZOOM, bbox_around, bbox_from_bounds
from geo.aggregates import METRICS, PRIVACY_MIN_COUNT, res_for_zoom

NONE = "none"
OVERLAY_ID = {"type": ids.REGION_GEOJSON, "kind": "h3"}  # a click drills into the cell
OVERLAY_PANE = "gc-h3"
NULL_COLOUR = "#9e9e9e"  # suppressed (<5): grey, never a colour that could be read as a value
STYLE_FN = {"variable": "gridcmd.h3.style"}
EACH_FEATURE_FN = {"variable": "gridcmd.h3.onEachFeature"}


@dataclass(frozen=True)
class Classes:
    """Class breaks of one metric: value < breaks[0] → colours[0], …, ≥ breaks[-1] → last."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    # Optional (zh, en) names per class, for metrics whose classes are categories.
    names: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if len(self.colours) != len(self.breaks) + 1:
            raise ValueError("need one colour more than breaks")


_YL_OR_RD = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")

# The one place the overlay's classes are set. Densities are comparable across resolutions;
# counts are not, so their breaks suit res 8–9 (town and village views), where they are read.
CLASSES: dict[str, Classes] = {
    "population": Classes((1000, 2500, 5000, 10000, 20000), _YL_OR_RD),
    # 倒挂: floating residents outnumber registered ones above 1; blues below, reds above.
    "floating_ratio": Classes((0.5, 1, 2, 3, 5), ("#4575b4", "#91bfdb", "#fee090",
                                                  "#fdae61", "#f46d43", "#a50026")),
    # Counts under 5 arrive as null (privacy), so the first class starts at 5 in practice.
    "cases": Classes((10, 20, 40), ("#fcbba1", "#fb6a4a", "#cb181d", "#67000d")),
    "tickets": Classes((10, 20, 40, 80), ("#deebf7", "#9ecae1", "#4292c6", "#2171b5",
                                          "#08306b")),
    # Coverage is 0, 0.5 or 1 (share of depot and clinic reaching the cell): gaps in red.
    "coverage": Classes((0.5, 1), ("#d7191c", "#fdae61", "#1a9641"),
                        names=(("缺口", "gap"), ("部分覆盖", "partly covered"),
                               ("全覆盖", "covered"))),
}


def selector_options(lang: str) -> list[dict]:
    """Radio options: none and each metric, in the catalogue's words."""
    return [{"label": t(f"h3.{key}", lang), "value": key} for key in (NONE, *CLASSES)]


SELECT_OPTIONS = attr(ids.H3_SELECT, "options", selector_options)
ATTRIBUTES = (SELECT_OPTIONS,)  # translated by dashboard/language.py


def overlay_url(metric: str | None, bounds: Any, zoom: float | None, centre: Any,
                window: Any) -> str | None:
    """URL of GET /api/h3/<metric> for the viewport, or None when no overlay is chosen."""
    if not metric or metric == NONE or metric not in METRICS:
        return None
    zoom = float(zoom) if zoom is not None else float(TOWN_ZOOM)
    bbox = bbox_from_bounds(bounds) or bbox_around(centre or TOWN_CENTRE, zoom)
    params: dict[str, str] = {"res": str(res_for_zoom(zoom)),
                              "bbox": ",".join(f"{v:.4f}" for v in bbox)}
    if METRICS[metric].windowed and isinstance(window, dict):
        params.update({key: window[key] for key in ("since", "until") if window.get(key)})
    return f"/api/h3/{metric}?{urlencode(params)}"


def overlay_hideout(metric: str | None, lang: str) -> dict[str, Any]:
    """What assets/map_h3.js needs: breaks, colours, the grey of suppressed cells, words."""
    classes = CLASSES.get(metric or "", CLASSES["population"])
    unit = _unit(metric, lang)
    return {
        "breaks": list(classes.breaks), "colours": list(classes.colours),
        "nullColour": NULL_COLOUR, "className": "gc-feature gc-h3",
        "title": t(f"h3.{metric}", lang) if metric in CLASSES else "",
        "unit": unit, "names": [n[1] if lang == "en" else n[0] for n in classes.names],
        "suppressed": t("h3.suppressed", lang, n=PRIVACY_MIN_COUNT),
    }


def class_labels(classes: Classes) -> list[str]:
    """'< a', 'a–b', …, '≥ z' for each class."""
    b = [_number(v) for v in classes.breaks]
    return [f"< {b[0]}", *(f"{lo}–{hi}" for lo, hi in zip(b, b[1:], strict=False)),
            f"≥ {b[-1]}"]


def legend_children(metric: str | None, lang: str) -> list:
    """The overlay's legend: title with its unit, one row per class, then suppressed cells."""
    if not metric or metric not in CLASSES:
        return []
    classes = CLASSES[metric]
    labels = ([n[1] if lang == "en" else n[0] for n in classes.names] if classes.names
              else class_labels(classes))
    rows = [_row(colour, label) for colour, label in zip(classes.colours, labels, strict=True)]
    rows.append(_row(NULL_COLOUR, t("h3.suppressed", lang, n=PRIVACY_MIN_COUNT)))
    title = f"{t(f'h3.{metric}', lang)}（{_unit(metric, lang)}）"
    return [html.Div(title, className="gc-legend-layer"), *rows]


def selector(lang: str) -> html.Div:
    """The left panel's overlay block: heading, radio, legend."""
    return html.Div(className="gc-h3-block", children=[
        html.H2(tr("h3.heading", lang), id=ids.H3_HEADING),
        dcc.RadioItems(id=ids.H3_SELECT, className="gc-toggle gc-h3-select",
                       options=SELECT_OPTIONS.value(lang), value=NONE),
        html.Div(id=ids.H3_LEGEND, className="gc-h3-legend"),
    ])


def overlay_pane(z_index: int, lang: str) -> dl.Pane:
    """The overlay's pane and GeoJSON (no data until a metric is chosen)."""
    return dl.Pane(name=OVERLAY_PANE, style={"zIndex": z_index}, children=[dl.GeoJSON(
        id=OVERLAY_ID, style=STYLE_FN, onEachFeature=EACH_FEATURE_FN,
        hideout=overlay_hideout(None, lang),
        hoverStyle={"weight": 2.5, "color": "#111827", "opacity": 1})])


def overlay_z(layer_kinds: Sequence[str], base: int = 410) -> int:
    """z-index just under the first point layer: cells cover polygons, markers stay on top."""
    first_point = next((i for i, kind in enumerate(layer_kinds) if kind == "point"),
                       len(layer_kinds))
    return base + first_point


def register(app: Dash) -> None:
    """Attach the overlay's callback to `app`."""

    @app.callback(
        Output(OVERLAY_ID, "url"),
        Output(OVERLAY_ID, "hideout"),
        Output(ids.H3_LEGEND, "children"),
        Input(ids.H3_SELECT, "value"),
        Input(ids.MAP, "bounds"),
        Input(ids.MAP, "zoom"),
        Input(ids.TIME_WINDOW, "data"),
        Input(ids.LANG_SWITCH, "value"),
        State(ids.MAP, "center"),
    )
    def show_overlay(metric, bounds, zoom, window, lang, centre):
        # One callback for data and style: dash-leaflet draws a fetch that was started before
        # a separate hideout update with the old hideout, so both must arrive together.
        url = overlay_url(metric, bounds, zoom, centre, window)
        if ctx.triggered_id not in (None, ids.H3_SELECT, ids.LANG_SWITCH):
            return url, no_update, no_update
        lang = normalise(lang)
        return url, overlay_hideout(metric, lang), legend_children(metric, lang)


def _unit(metric: str | None, lang: str) -> str:
    if metric not in METRICS:
        return ""
    m = METRICS[metric]
    return m.unit_en if lang == "en" else m.unit_zh


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _row(colour: str, label: str) -> html.Div:
    return html.Div([html.Span(className="gc-swatch",
                               style={"backgroundColor": colour, "borderColor": colour}),
                     html.Span(label)], className="gc-legend-entry")
