"""The H3 overlay: metric selector, class breaks and colours, data URL, legend, callback.

Cells come from GET /api/h3/<metric> (values computed in SQL); the browser colours them by the
class breaks in `hideout` (assets/map_h3.js), so changing language never refetches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash_leaflet as dl
from dash import Dash, Input, Output, ctx, dcc, html, no_update

from dashboard.i18n import normalise, t
from dashboard.language import attr, tr
from dashboard.map import ids
from dashboard.map.viewport import OPENING_CENTRE, TOWN_ZOOM, bbox_around, bbox_from_bounds
from dashboard.page_inputs import CENTRE, LANG, VIEW, WINDOW
from geo.params import res_for_zoom
from geo.privacy import PRIVACY_MIN_COUNT
from layers.metrics import METRICS

NONE = "none"
OVERLAY_ID = {"type": ids.REGION_GEOJSON, "kind": "h3"}  # a click drills into the cell
OVERLAY_PANE = "gc-h3"
NULL_COLOUR = "#9e9e9e"  # suppressed (<5): grey, never a colour that could be read as a value
STYLE_FN = {"variable": "gridcmd.h3.style"}
EACH_FEATURE_FN = {"variable": "gridcmd.h3.onEachFeature"}


def selector_options(lang: str) -> list[dict]:
    """Radio options: none and each metric, in the catalogue's words."""
    return [{"label": t("h3.none", lang), "value": NONE},
            *({"label": m.title(lang), "value": m.id} for m in METRICS.values())]


SELECT_OPTIONS = attr(ids.H3_SELECT, "options", selector_options)
ATTRIBUTES = (SELECT_OPTIONS,)  # translated by dashboard/language.py


def overlay_url(metric: str | None, bounds: Any, zoom: float | None, centre: Any,
                window: Any) -> str | None:
    """URL of GET /api/h3/<metric> for the viewport, or None when no overlay is chosen."""
    if not metric or metric == NONE or metric not in METRICS:
        return None
    zoom = float(zoom) if zoom is not None else float(TOWN_ZOOM)
    bbox = bbox_from_bounds(bounds) or bbox_around(centre or OPENING_CENTRE, zoom)
    params: dict[str, str] = {"res": str(res_for_zoom(zoom)),
                              "bbox": ",".join(f"{v:.4f}" for v in bbox)}
    if METRICS[metric].windowed and isinstance(window, dict):
        params.update({key: window[key] for key in ("since", "until") if window.get(key)})
    return f"/api/h3/{metric}?{urlencode(params)}"


def overlay_hideout(metric: str | None, lang: str) -> dict[str, Any]:
    """What assets/map_h3.js needs: breaks, colours, the grey of suppressed cells, words."""
    declared = METRICS.get(metric)
    classes = (declared or METRICS["population"]).classes
    unit = declared.unit(lang) if declared else ""
    return {
        "breaks": list(classes.breaks), "colours": list(classes.colours),
        "nullColour": NULL_COLOUR, "className": "gc-feature gc-h3",
        "title": declared.title(lang) if declared else "",
        "unit": unit, "names": classes.labels(lang) if classes.names else [],
        "suppressed": t("h3.suppressed", lang, n=PRIVACY_MIN_COUNT),
    }


def legend_children(metric: str | None, lang: str) -> list:
    """The overlay's legend: title with its unit, one row per class, then suppressed cells."""
    declared = METRICS.get(metric)
    if declared is None:
        return []
    rows = [_row(colour, label) for colour, label in declared.classes.legend(lang)]
    rows.append(_row(NULL_COLOUR, t("h3.suppressed", lang, n=declared.min_count)))
    unit = declared.unit(lang)
    # "病例（例）"; in English the unit in plain brackets, and not when it only repeats the
    # title ("Cases (cases)")
    if lang == "en":
        title = (declared.title(lang) if unit.lower() == declared.title(lang).lower()
                 else f"{declared.title(lang)} ({unit})")
    else:
        title = f"{declared.title(lang)}（{unit}）"
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
        Output(OVERLAY_ID, "url"), Output(OVERLAY_ID, "hideout"), Output(ids.H3_LEGEND, "children"),
        Input(ids.H3_SELECT, "value"), *VIEW, WINDOW, LANG,
        CENTRE,
        prevent_initial_call=True,  # no overlay chosen: the layout's empty one (no request)
    )
    def show_overlay(metric, bounds, zoom, window, lang, centre):
        # One callback for data and style: dash-leaflet draws a fetch that was started before
        # a separate hideout update with the old hideout, so both must arrive together.
        url = overlay_url(metric, bounds, zoom, centre, window)
        if ctx.triggered_id not in (None, ids.H3_SELECT, ids.LANG_SWITCH):
            return url, no_update, no_update
        lang = normalise(lang)
        return url, overlay_hideout(metric, lang), legend_children(metric, lang)


def _row(colour: str, label: str) -> html.Div:
    return html.Div([html.Span(className="gc-swatch",
                               style={"backgroundColor": colour, "borderColor": colour}),
                     html.Span(label)], className="gc-legend-entry")
