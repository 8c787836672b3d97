"""导出 / Export on the command map: PNG and PDF of the current view (its bbox, visible layers,
time window, H3 overlay and language) and the briefing PDF, as plain download links.

Shown only to roles holding the EXPORT permission (dashboard/auth/policy.py: admin, commander,
official and community users); the /export/ routes check it again on the server. The links
point at GET /export/snapshot.png|.pdf and GET /export/briefing.pdf?config=default, which the
server renders in its own headless Chromium, so the file is exactly what the CLI would write.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Dash, Input, Output, html

from dashboard import page_ids
from dashboard.auth.policy import EXPORT
from dashboard.auth.principal import current
from dashboard.i18n import normalise
from dashboard.language import tr
from dashboard.map.viewport import OPENING_CENTRE, TOWN_ZOOM, bbox_around, bbox_from_bounds
from dashboard.page_inputs import CENTRE, LANG, VIEW, WINDOW
from geo.params import Bbox

MENU = "export-menu"
PNG = "export-view-png"
PDF = "export-view-pdf"
PDF_A3 = "export-view-pdf-a3"
BRIEFING = "export-briefing"
HINT = "export-hint"
SUMMARY = "export-summary"
PNG_SIZE = "1920x1080"
DEFAULT_BRIEFING = "/export/briefing.pdf?config=default"


def export_menu(lang: str, visible: list[str] | None = None) -> html.Details:
    """The title bar's 导出 menu; hidden for roles that may not export (same components, so
    the callback's outputs exist on every page; the routes refuse those roles anyway). Its
    links start on the town view as the page opens (`visible`: the layers ticked then);
    follow_view keeps them on the map once it moves."""
    bbox = bbox_around(OPENING_CENTRE, float(TOWN_ZOOM))
    shown = sorted(visible) if visible is not None else None
    who = current()
    allowed = who is not None and who.can(EXPORT)
    return html.Details(id=MENU, className="gc-export" + ("" if allowed else " gc-export-hidden"),
                        hidden=not allowed, **{"data-testid": "export-menu"}, children=[
        html.Summary(tr("export.menu", lang), id=SUMMARY, className="gc-export-summary"),
        html.Div(className="gc-export-items", children=[
            html.Div(tr("export.hint", lang), id=HINT, className="gc-export-hint"),
            _link(PNG, tr("export.png", lang), view_href("png", bbox, shown, None, None, lang),
                  "gridcmd-view.png"),
            _link(PDF, tr("export.pdf", lang),
                  view_href("pdf", bbox, shown, None, None, lang), "gridcmd-view.pdf"),
            _link(PDF_A3, tr("export.pdf_a3", lang),
                  view_href("pdf", bbox, shown, None, None, lang, "A3"), "gridcmd-view-a3.pdf"),
            _link(BRIEFING, tr("export.briefing", lang), DEFAULT_BRIEFING,
                  "gridcmd-briefing.pdf"),
        ]),
    ])


def _link(component_id: str, label: html.Span, href: str, filename: str) -> html.A:
    return html.A(label, id=component_id, href=href, download=filename,
                  className="gc-export-item", **{"data-testid": component_id})


def view_href(fmt: str, bbox: Bbox | None, layers: list[str] | None, window: dict | None,
              h3: str | None, lang: str | None, paper: str | None = None) -> str:
    """GET /export/snapshot.<fmt> for the map as it is: bbox, layers, window, overlay, lang."""
    args: dict[str, str] = {}
    if bbox is not None:
        args["bbox"] = ",".join(f"{v:.5f}" for v in bbox)
    if layers is not None:
        args["layers"] = ",".join(layers)
    for key in ("since", "until"):
        if isinstance(window, dict) and window.get(key):
            args[key] = str(window[key])
    if h3 and h3 != "none":
        args["h3"] = h3
    if fmt == "png":
        args["size"] = PNG_SIZE
    if paper:
        args["paper"] = paper
    if lang:
        args["lang"] = normalise(lang)
    return f"/export/snapshot.{fmt}?{urlencode(args)}"


def register(app: Dash) -> None:
    """Keep the menu's links on the current view and in the current language (its labels are
    tr() spans: dashboard/language.py)."""

    @app.callback(
        Output(PNG, "href"), Output(PDF, "href"), Output(PDF_A3, "href"),
        *VIEW,
        Input(page_ids.LAYER_TOGGLE, "value"),
        WINDOW,
        Input(page_ids.H3_SELECT, "value"),
        LANG,
        CENTRE,
        # The layout's links already export the town view (as this callback would before the
        # map reports bounds, which it does on its first move): no request at load.
        prevent_initial_call=True,
    )
    def follow_view(bounds, zoom, layers, window, h3, lang, centre):
        lang = normalise(lang)
        # Before the first move Leaflet has reported no bounds: the view at its centre and zoom.
        bbox = bbox_from_bounds(bounds) or bbox_around(centre or OPENING_CENTRE,
                                                       float(zoom or TOWN_ZOOM))
        # Layers are drawn in the registry's order whatever order they were ticked in.
        shown = sorted(layers or [])
        return (view_href("png", bbox, shown, window, h3, lang),
                view_href("pdf", bbox, shown, window, h3, lang),
                view_href("pdf", bbox, shown, window, h3, lang, "A3"))
