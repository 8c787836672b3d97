"""HTTP route of the region data export: /export/region/<kind>/<code>.<fmt>."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from dashboard.auth.scope import AccessDenied, check_community, community_scope
from dashboard.auth.trail import audit
from dashboard.i18n import normalise, t
from dashboard.state import connection
from geo.region_export import (
    COLUMNS,
    FORMATS,
    POINT_COLUMNS,
    check_request,
    filename,
    region_frame,
    to_bytes,
)
from geo.regions import OutsideScope, UnknownRegion, region_community
from geo.timewindow import TOWN_TZ, window_from

region_export_api = Blueprint("gridcmd_region_export", __name__)



def disposition(name: str, fallback: str) -> str:
    """Content-Disposition with an ASCII `filename` and the UTF-8 name per RFC 5987."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", fallback)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def export_headers(lang: str | None) -> dict[str, str]:
    """Column → header label of the CSV/XLSX tables in `lang` (Chinese unless lang=en)."""
    return {col: t(f"export.{col}", lang) for col in (*COLUMNS, *POINT_COLUMNS)}


@region_export_api.get("/export/region/<kind>/<code>.<fmt>")
def region_export(kind: str, code: str, fmt: str):
    """The region's buildings with household totals (never persons) as a file."""
    check_request(kind, fmt)  # before taking a connection: a bad kind or fmt is a 400
    until = window_from(request.args)[1]
    with connection() as conn:
        try:
            scope = community_scope()
            check_community(region_community(conn, kind, code, scope))
            name, frame = region_frame(conn, kind, code, scope)
        except UnknownRegion as exc:
            return jsonify({"error": "not_found", "message": str(exc)}), 404
        except OutsideScope as exc:
            raise AccessDenied(str(exc)) from None
    audit("export", f"region/{kind}/{code}.{fmt}", {"rows": len(frame)})
    data = to_bytes(frame, fmt, export_headers(normalise(request.args.get("lang"))))
    # `until` is exclusive: the file is named after the last day inside the window.
    day = (until.astimezone(TOWN_TZ) - timedelta(microseconds=1)).date()
    # Old clients that ignore filename* still get a usable name from the kind and code.
    fallback = filename(f"{kind}-{code}", day, fmt)
    return Response(data, mimetype=FORMATS[fmt], headers={
        "Content-Disposition": disposition(filename(name, day, fmt), fallback),
        "Cache-Control": "no-store"})
