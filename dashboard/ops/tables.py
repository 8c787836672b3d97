"""Rows of the operations drawer's tables: plain functions from query rows to DataTable data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash.dash_table.Format import Format, Scheme

from dashboard.i18n import STRINGS, normalise, t
from dashboard.roster_text import role_label
from geo.place_names import shown_name

TREND_STEP = 0.005  # a solve rate moving less than half a point is "steady"
PERCENT = Format(precision=1, scheme=Scheme.percentage)


def _col(key: str, lang: str, kind: str = "text", percent: bool = False) -> dict:
    column = {"id": key, "name": t(f"ops.col.{key}", lang), "type": kind}
    if percent:
        column["format"] = PERCENT
    return column


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _join(items, lang: str) -> str:
    return ("、" if normalise(lang) == "zh" else ", ").join(items)


def _category(name: str, lang: str) -> str:
    key = f"ticket.{name}"
    return t(key, lang) if key in STRINGS else name


def trend_arrow(current: Any, previous: Any) -> str:
    """↑ / ↓ / → and the change in points against the previous window ('' when one is missing).

    A steady rate still shows its change ("→ +0.2", "→ ±0.0"): an arrow alone reads as
    "no data" in a column of arrows.
    """
    if current is None or previous is None:
        return ""
    change = float(current) - float(previous)
    points = round(change * 100, 1)
    number = "±0.0" if points == 0 else f"{points:+.1f}"
    if abs(change) < TREND_STEP:
        return f"→ {number}"
    return f"{'↑' if change > 0 else '↓'} {number}"


def ranking_columns(lang: str) -> list[dict]:
    """Columns of the 接诉即办 ranking."""
    return [_col("name", lang), _col("tickets", lang, "numeric"),
            _col("response_rate", lang, "numeric", True), _col("solve_rate", lang, "numeric", True),
            _col("satisfaction_rate", lang, "numeric", True), _col("overdue", lang, "numeric"),
            _col("top_categories", lang), _col("repeat_buildings", lang, "numeric"),
            _col("trend", lang)]


def ranking_data(rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict]:
    """hotline_performance rows as table rows (id = code), in the query's ranking order."""
    return [{
        "id": row["code"], "name": shown_name(row["name"], lang), "tickets": row["tickets"],
        "response_rate": _number(row["response_rate"]), "solve_rate": _number(row["solve_rate"]),
        "satisfaction_rate": _number(row["satisfaction_rate"]), "overdue": row["overdue"],
        "top_categories": _join((_category(c["category"], lang)
                                 for c in row["top_categories"] or []), lang),
        "repeat_buildings": row["repeat_buildings"],
        "trend": trend_arrow(row["solve_rate"], row["previous_solve_rate"]),
    } for row in rows]


def freshness_columns(lang: str) -> list[dict]:
    """Columns of the freshness and completeness table."""
    return [_col("name", lang), _col("households", lang, "numeric"),
            _col("median_age_days", lang, "numeric"), _col("newest", lang),
            _col("form_coverage", lang, "numeric", True), _col("empty_households", lang, "numeric"),
            _col("units_without_kind", lang, "numeric"), _col("state", lang)]


def freshness_data(rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict]:
    """grid_freshness rows as table rows; `state` reads 过期 for stale grids."""
    return [{
        "id": row["code"], "name": shown_name(row["name"], lang),
        "households": row["households"],
        "median_age_days": _number(row["median_age_days"]),
        "newest": row["newest"].date().isoformat() if row["newest"] else "",
        "form_coverage": _number(row["form_coverage"]),
        "empty_households": row["empty_households"],
        "units_without_kind": row["units_without_kind"],
        "state": t("ops.stale" if row["stale"] else "ops.fresh", lang),
    } for row in rows]


def stale_row_style(lang: str) -> list[dict]:
    """style_data_conditional marking stale rows (matched on the shown word, any sort order)."""
    return [{"if": {"filter_query": f'{{state}} = "{t("ops.stale", lang)}"'},
             "backgroundColor": "#fde8e8", "color": "#8b1a1a"}]


def gaps_columns(lang: str) -> list[dict]:
    """Columns of the mobilisation gaps table."""
    return [_col("name", lang), _col("community_name", lang),
            _col("grid_workers_on_duty", lang, "numeric"),
            _col("building_heads_on_duty", lang, "numeric"), _col("missing", lang)]


def gaps_data(rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict]:
    """mobilisation gaps rows as table rows; `missing` names the roles in words."""
    return [{
        "id": row["code"], "name": shown_name(row["name"], lang),
        "community_name": shown_name(row["community_name"], lang),
        "grid_workers_on_duty": row["grid_workers_on_duty"],
        "building_heads_on_duty": row["building_heads_on_duty"],
        "missing": _join((t(f"role.{role}", lang) for role in row["missing"]), lang),
    } for row in rows]


def totals_text(level: str, called: Mapping[str, int], lang: str) -> str:
    """One line: what the level calls, role by role, and in all."""
    parts = [f"{role_label(role, lang)} {n}" for role, n in called.items()]
    return t("ops.totals", lang, level=t(f"ops.level_name.{level}", lang),
             roles=_join(parts, lang) or t("panel.none", lang), n=sum(called.values()))
