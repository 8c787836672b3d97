"""Turning one refresh's rows into what the wall shows: alerts, ticker items, map points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from dash import html

from dashboard.i18n import t, value_labels
from geo.place_names import shown_name
from geo.timewindow import TOWN_TZ

CASE_CELL_RES = 8  # the wall's case cells (geo/sql/queries/layer_cases_cells.sql)

ALERT_HOLD = timedelta(minutes=10)  # a new case keeps pulsing this long, not one refresh only
# Overdue tickets stay overdue for days: a few on top, so the newest cases are still seen.
TICKETS_ON_TOP = 3


def hold_alerts(rows: Iterable[Mapping[str, Any]], previous: datetime | None,
                held: Mapping[str, str], now: datetime) -> dict[str, str]:
    """Codes of cases newer than the previous refresh, plus earlier ones still held (code → ISO)."""
    kept = {code: since for code, since in held.items()
            if now - datetime.fromisoformat(since) < ALERT_HOLD}
    if previous is None:
        return kept  # the first refresh sees history, not news
    for row in rows:
        if row["kind"] == "case" and row["at"] > previous and row["code"] not in kept:
            kept[row["code"]] = now.isoformat()
    return kept


def alert_marks(rows: Iterable[Mapping[str, Any]], alerts: Mapping[str, str]) -> list[str]:
    """What pulses on the wall's map: the alerted case codes and, since the wall draws cases
    per res-8 cell and category (layer_cases_cells.sql), the `cell-category` of each."""
    from geo.h3cells import cells, parent  # numpy: on the first alert, not with every app

    marks = set(alerts)
    for row in rows:
        if row["kind"] == "case" and row["code"] in alerts and row.get("lat") is not None:
            cell = parent(int(cells([row["lat"]], [row["lng"]])[0]), CASE_CELL_RES)
            marks.add(f"{cell:x}-{row['category']}")
    return sorted(marks)


def is_alert(row: Mapping[str, Any], alerts: Mapping[str, str]) -> bool:
    """Overdue tickets always alert; cases while they are held."""
    return row["kind"] == "ticket" or row["code"] in alerts


def ordered(rows: Iterable[Mapping[str, Any]], alerts: Mapping[str, str],
            tickets_on_top: int = TICKETS_ON_TOP) -> list:
    """New cases, then the newest overdue tickets, then other cases, then the other tickets."""
    rows = list(rows)  # they arrive newest first; each group keeps that order
    new_cases = [r for r in rows if r["kind"] == "case" and r["code"] in alerts]
    tickets = [r for r in rows if r["kind"] == "ticket"]
    old_cases = [r for r in rows if r["kind"] == "case" and r["code"] not in alerts]
    return (new_cases + tickets[:tickets_on_top] + old_cases + tickets[tickets_on_top:])


def ticker_items(rows: Iterable[Mapping[str, Any]], alerts: Mapping[str, str],
                 lang: str, limit: int = 10) -> list[html.Li]:
    """One line per case or overdue ticket: kind badge, category, grid, local time."""
    labels = value_labels("category", lang)
    items = []
    for row in ordered(rows, alerts)[:limit]:
        alert = is_alert(row, alerts)
        kind = row["kind"]
        badge = t("wall.overdue" if kind == "ticket" else "wall.case", lang)
        at = row["at"].astimezone(TOWN_TZ)
        items.append(html.Li(className=f"gc-wall-item gc-wall-{kind}"
                                       + (" gc-wall-alert" if alert else ""), children=[
            html.Span(badge, className="gc-wall-badge"),
            html.Span(labels.get(row["category"], row["category"]), className="gc-wall-cat"),
            html.Span(at.strftime("%m-%d %H:%M"), className="gc-wall-time"),
            html.Span(shown_name(row["grid_name"], lang) or row["grid_code"] or "–",
                      className="gc-wall-grid"),
        ]))
    if not items:
        items.append(html.Li(t("wall.calm", lang), className="gc-wall-item gc-wall-calm"))
    return items


def overdue_collection(rows: Iterable[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """GeoJSON of the overdue tickets, drawn as pulsing points over the cases."""
    labels = value_labels("category", lang)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": row["code"],
         "geometry": {"type": "Point", "coordinates": [row["lng"], row["lat"]]},
         "properties": {"code": row["code"],
                        "category": labels.get(row["category"], row["category"])}}
        for row in rows if row["kind"] == "ticket" and row["lng"] is not None
    ]}


def clock_text(moment: datetime | str | None) -> str:
    """HH:MM in town time of an aware datetime or ISO text; '–' when unknown."""
    if moment is None:
        return "–"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(TOWN_TZ).strftime("%H:%M")


def banner(last_ok: str | None, lang: str) -> str:
    """The stale-data banner in both languages, the chosen one first."""
    zh = t("wall.stale", "zh", since=clock_text(last_ok))
    en = t("wall.stale", "en", since=clock_text(last_ok))
    return f"{en} · {zh}" if lang == "en" else f"{zh} · {en}"
