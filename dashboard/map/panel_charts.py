"""The panel's two small charts as plain plotly figure dicts (no plotly import, easy to test)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.i18n import t

TICKET_COLOUR = "#3f6fb5"
CASE_COLOUR = "#b71c1c"


def ticket_trend_figure(points: Sequence[Mapping[str, Any]], lang: str) -> dict:
    """Bars of tickets received per week (points: [{'week': 'YYYY-MM-DD', 'n': int}])."""
    return _bars([_month_day(p["week"]) for p in points], [int(p["n"]) for p in points],
                 TICKET_COLOUR, lang)


def case_curve_figure(points: Sequence[Mapping[str, Any]], lang: str) -> dict:
    """Bars of cases reported per day (points: [{'day': 'YYYY-MM-DD', 'n': int}])."""
    return _bars([_month_day(p["day"]) for p in points], [int(p["n"]) for p in points],
                 CASE_COLOUR, lang)


def _month_day(day: Any) -> str:
    # 'YYYY-MM-DD' → 'MM-DD': a window spans at most weeks, and short labels fit 380 px.
    return str(day)[5:10]


def _bars(x: list[str], y: list[int], colour: str, lang: str) -> dict:
    layout: dict[str, Any] = {
        "height": 130,
        "margin": {"l": 30, "r": 8, "t": 6, "b": 26},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"size": 10},
        "showlegend": False,
        "bargap": 0.15,
        # Categories, not dates: a date axis widens one lone bar across the whole plot.
        "xaxis": {"type": "category", "nticks": 8, "showgrid": False, "tickangle": 0},
        "yaxis": {"rangemode": "tozero", "nticks": 4, "gridcolor": "#e5e7eb"},
    }
    if not x:
        # An empty window still draws a frame with a word in it, not a blank hole.
        layout["xaxis"] = {"visible": False}
        layout["yaxis"] = {"visible": False}
        layout["annotations"] = [{"text": t("panel.none", lang), "showarrow": False,
                                  "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}]
    return {"data": [{"type": "bar", "x": x, "y": y, "marker": {"color": colour}}],
            "layout": layout}
