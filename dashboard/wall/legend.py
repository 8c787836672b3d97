"""The wall's compact legend: what every view draws (overdue tickets, cases, town, rivers,
roads) plus what the current view adds (its H3 classes, the case counts per area, the hottest
grid's outline). Read from across the hall, so a few large rows, no layer list."""

from __future__ import annotations

from dash import html

from dashboard.i18n import t, value_labels
from dashboard.map import h3_view
from dashboard.wall.config import DEFAULT_DAYS, View
from dashboard.wall.look import MUTED_AREAS, MUTED_CONTEXT
from layers.metrics import METRICS
from layers.registry import Registry

OVERDUE_COLOUR = "#ff9f1c"  # dashboard/wall/layout.py draws overdue tickets in this orange
HOTTEST_COLOUR = "#ff4d5e"
CASE_CATEGORIES = ("confirmed", "asymptomatic", "close_contact", "secondary_contact")


def _row(label: str, colour: str, shape: str = "dot") -> html.Div:
    return html.Div(className="gc-wall-legend-row", children=[
        html.Span(className=f"gc-wall-legend-mark gc-wall-legend-{shape}",
                  style={"backgroundColor": colour, "borderColor": colour}),
        html.Span(label)])


def legend(view: View, registry: Registry, lang: str, areas: bool = False) -> list:
    """The legend's rows for `view` (`areas`: the view shows case counts per community)."""
    cases = registry.get("cases").style["classes"]
    names = value_labels("category", lang)
    rows: list = [html.Div(t("wall.legend.title", lang), className="gc-wall-legend-title")]
    if view.kind == "h3" and view.metric and not areas:
        rows.append(html.Div(h3_view.legend_children(view.metric, lang),
                             className="gc-wall-legend-block"))
    if areas:
        rows.append(html.Div(className="gc-wall-legend-block", children=[
            html.Div(t("wall.legend.areas", lang), className="gc-legend-layer"),
            *[_row(label, colour, "box")
              for colour, label in METRICS["cases"].classes.legend(lang)],
            _row(t("h3.suppressed", lang, n=5), h3_view.NULL_COLOUR, "box")]))
    if view.kind == "hottest_grid":
        rows.append(_row(t("wall.legend.hottest", lang), HOTTEST_COLOUR, "outline"))
    rows.append(_row(t("wall.legend.overdue", lang), OVERDUE_COLOUR))
    days = view.days if view.kind == "h3" and view.metric == "cases" else DEFAULT_DAYS
    rows.append(html.Div(t("wall.legend.cases", lang, days=days), className="gc-legend-layer"))
    rows.append(html.Div(className="gc-wall-legend-cases", children=[
        _row(names.get(name, name), cases[name]["fillColor"]) for name in CASE_CATEGORIES]))
    rows.append(html.Div(className="gc-wall-legend-context", children=[
        _row(t("wall.legend.town", lang), MUTED_AREAS["town"]["color"], "dash"),
        _row(t("wall.legend.river", lang), MUTED_CONTEXT["river"]["color"], "line"),
        _row(t("wall.legend.road", lang), "#6b7f99", "line")]))
    return rows
