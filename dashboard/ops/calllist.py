"""The printable call list (调度名单) at /print/calllist: plain HTML with print CSS, masked.

`calllist_html` is a plain function of the mobilisation answer; the route only fetches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from markupsafe import escape

from dashboard.auth.trail import audit
from dashboard.i18n import normalise, t
from dashboard.map.viewport import TOWN_CENTRE
from dashboard.roster_text import CALLLIST_PATH, role_label
from dashboard.state import connection
from geo.errors import BadParameter
from geo.mobilisation import roster_answer
from geo.regions import UnknownRegion
from geo.timewindow import TOWN_TZ

PATH = CALLLIST_PATH
CSS_FILE = "ops_calllist.css"
HTML = "text/html; charset=utf-8"


def _cells(row: Mapping[str, Any], order: int, lang: str) -> list[str]:
    extra = (str(row["capacity"]) if row.get("capacity") is not None
             else "、".join(row.get("skills") or []))
    metres = row.get("metres")
    return [str(order), role_label(row["role"], lang), row.get("name") or "",
            row.get("phone") or "", row.get("grid_name") or row.get("grid_code") or "", extra,
            "" if metres is None else f"{float(metres):.0f}", ""]


def calllist_html(answer: Mapping[str, Any], lang: str, css: str, made: datetime) -> str:
    """The whole page: title, level, time, centre, then one table of the masked call list."""
    level = t(f"ops.level_name.{answer['level']}", lang)
    centre = answer.get("centre") or {}
    facts = [t("calllist.level", lang, level=level),
             t("calllist.made", lang, time=made.strftime("%Y-%m-%d %H:%M")),
             t("calllist.centre", lang, lat=f"{centre.get('lat', 0):.5f}",
               lng=f"{centre.get('lng', 0):.5f}")]
    if answer.get("grid"):
        facts.append(t("calllist.grid", lang, grid=answer["grid"]))
    heads = ["order", "role", "name", "phone", "grid", "skills", "metres", "reached"]
    rows = answer.get("call_list") or []
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _cells(row, i, lang)) + "</tr>"
        for i, row in enumerate(rows, start=1))
    if not rows:
        body = f'<tr><td colspan="{len(heads)}">{escape(t("calllist.empty", lang))}</td></tr>'
    return (
        f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}"><head>'
        f'<meta charset="utf-8"><title>{escape(t("calllist.title", lang))}</title>'
        f"<style>{css}</style></head><body class=\"gc-calllist\">"
        f"<h1>{escape(t('calllist.title', lang))}</h1>"
        f"<p class=\"gc-calllist-facts\">{' · '.join(str(escape(f)) for f in facts)}</p>"
        f"<p class=\"gc-calllist-note\">{escape(t('calllist.masked', lang))}</p>"
        "<table><thead><tr>"
        + "".join(f"<th>{escape(t(f'calllist.col.{h}', lang))}</th>" for h in heads)
        + f"</tr></thead><tbody>{body}</tbody></table></body></html>")


def error_html(message: str, lang: str, css: str) -> str:
    """A short page saying why no call list could be made."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body class="gc-calllist"><p class="gc-calllist-error">'
            f"{escape(t('calllist.error', lang, message=message))}</p></body></html>")


def mount(server: Flask, assets: Path, lang: str) -> None:
    """Serve the call list at /print/calllist?level=&lat=&lng= (or &grid=) &n=&lang=."""
    css = (assets / CSS_FILE).read_text(encoding="utf-8")  # inline: prints without /assets

    @server.get(PATH)
    def print_calllist():
        page_lang = normalise(request.args.get("lang") or lang)
        args = dict(request.args)
        if not args.get("grid") and args.get("lat") is None and args.get("lng") is None:
            args["lat"], args["lng"] = TOWN_CENTRE
        try:
            with connection() as conn:
                answer = roster_answer(conn, args)
        except BadParameter as exc:
            return Response(error_html(str(exc), page_lang, css), 400, mimetype=HTML)
        except UnknownRegion as exc:
            return Response(error_html(str(exc), page_lang, css), 404, mimetype=HTML)
        page = calllist_html(answer, page_lang, css, datetime.now(TOWN_TZ))
        audit("export", "calllist", {"level": answer["level"], "grid": answer.get("grid"),
                                     "people": len(answer["call_list"])})
        return Response(page, mimetype=HTML)
