"""A published zone plan as a file: GeoJSON (outlines with figures) or XLSX (one row per zone).

A plain module below the routes and the feature packages (GET /api/zones/<plan>/export.<fmt>
calls it): it reads only the string catalogue and geo/.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.i18n import STRINGS, t
from geo.errors import BadParameter
from geo.spreadsheet_cells import safe_row

FORMATS: dict[str, str] = {
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Table columns after code and level; each supply item then adds "needed" and "stock".
COUNT_COLUMNS = ("area_km2", "residents", "households", "elderly", "children",
                 "vulnerable_households", "buildings", "three_no_compounds", "shops_to_close",
                 "checkpoints_needed")
PLAN_FIELDS = ("code", "version", "published_by", "published_at", "status", "lifted_on")


def check_format(fmt: str) -> None:
    """Raise BadParameter unless `fmt` is an export format."""
    if fmt not in FORMATS:
        raise BadParameter("fmt", f"must be one of {', '.join(FORMATS)}")


def plan_file(plan: Mapping[str, Any], zones: Sequence[Mapping[str, Any]], fmt: str,
              lang: str) -> bytes:
    """The file contents of the plan's zones in `fmt`."""
    check_format(fmt)
    return geojson_bytes(plan, zones) if fmt == "geojson" else xlsx_bytes(plan, zones, lang)


def geojson_bytes(plan: Mapping[str, Any], zones: Sequence[Mapping[str, Any]]) -> bytes:
    """A FeatureCollection: one feature per zone with its stored figures and the plan's facts."""
    facts = {f"plan_{key}": plan.get(key) for key in PLAN_FIELDS}
    features = [{"type": "Feature", "id": zone["code"], "geometry": zone["geometry"],
                 "properties": {"code": zone["code"], "level": zone["level"], **facts,
                                **{k: v for k, v in zone["figures"].items()
                                   if k not in ("level", "covering_depots")},
                                "residents": zone["residents"],
                                "households": zone["households"]}}
                for zone in zones]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, default=str).encode("utf-8")


def table_rows(zones: Sequence[Mapping[str, Any]], lang: str) -> list[list[Any]]:
    """Header row, then one row per zone: code, level, counts, supplies needed and in stock."""
    items = [s["item"] for s in (zones[0]["figures"].get("supplies") or [])] if zones else []
    header = [t("zones.export.code", lang), t("zones.export.level", lang),
              *(t(f"zones.export.{col}", lang) for col in COUNT_COLUMNS)]
    for item in items:
        key = f"zones.item.{item}"
        name = t(key, lang) if key in STRINGS else item
        header += [t("zones.export.needed", lang, item=name),
                   t("zones.export.stock", lang, item=name)]
    rows = [header]
    for zone in zones:
        figures = {**zone["figures"], "residents": zone["residents"],
                   "households": zone["households"]}
        supplies = {s["item"]: s for s in figures.get("supplies") or []}
        row = [zone["code"], t(f"value.level.{zone['level']}", lang),
               *(_plain(figures.get(col)) for col in COUNT_COLUMNS)]
        for item in items:
            row += [_plain(supplies.get(item, {}).get("needed")),
                    _plain(supplies.get(item, {}).get("stock"))]
        rows.append(row)
    return rows


def xlsx_bytes(plan: Mapping[str, Any], zones: Sequence[Mapping[str, Any]], lang: str) -> bytes:
    """A workbook: the zones table (header frozen) and a sheet with the plan's facts."""
    from openpyxl import Workbook  # loaded on the first export, not with every start

    book = Workbook()
    sheet = book.active
    sheet.title = t("zones.export.sheet", lang)
    for row in table_rows(zones, lang):
        sheet.append(safe_row(row))
    sheet.freeze_panes = "A2"
    facts = book.create_sheet("plan")
    for key in PLAN_FIELDS:
        value = plan.get(key)
        facts.append(safe_row([key, value if isinstance(value, int | float) else _text(value)]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    # jsonb numbers come back as int/float; Decimal area values as str → a number for Excel
    if value is None or isinstance(value, int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
