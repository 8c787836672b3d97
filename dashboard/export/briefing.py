"""The daily briefing: a cover page with the headline figures, then one map page per view."""

from __future__ import annotations

import html
import os
import tempfile
import tomllib
import uuid
from collections.abc import Mapping
from concurrent.futures import TimeoutError as JobTimeout
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dashboard.export import browser
from dashboard.export.params import (
    SnapshotParams,
    paper_for,
    parse_params,
    parse_size,
    parse_title,
)
from dashboard.export.snapshot import READY_TIMEOUT_S, SnapshotFailed, snapshot
from dashboard.i18n import t
from dashboard.kpibar import format_kpi
from geo.errors import GridcmdError
from geo.features import BadParameter
from geo.kpi_extent import KPI_NAMES
from geo.timewindow import MAX_DAYS, TOWN_TZ, parse_window
from layers.registry import Registry

DEFAULT_TITLE = "每日简报"
MAX_VIEWS = 20
TOP_KEYS = {"title", "since", "until", "days", "size", "views"}
VIEW_KEYS = {"title", "layers", "bbox"}
# Shares and ratios carry their own notation from format_kpi; counts need a unit.
UNITS = {"residents": "人", "active_cases": "例", "open_tickets": "件",
         "three_no_compounds": "个"}
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'


class BriefingConfigError(GridcmdError):
    """The briefing's TOML file is unreadable or one of its keys is wrong."""


@dataclass(frozen=True)
class Briefing:
    """A checked briefing config: the title, the window and one SnapshotParams per view."""

    title: str
    since: str | None
    until: str | None
    size: tuple[int, int]
    views: tuple[SnapshotParams, ...]


def load_config(path: str | Path, registry: Registry, today: date | None = None) -> Briefing:
    """Read and check the TOML config; every error names the file and the key."""
    path = Path(path)
    name = path.name

    def fail(key: str, message: str) -> BriefingConfigError:
        return BriefingConfigError(f"{name}: {key}: {message}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BriefingConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BriefingConfigError(f"{name}: not valid TOML: {exc}") from None
    for key in data:
        if key not in TOP_KEYS:
            raise fail(key, f"unknown key; known keys: {', '.join(sorted(TOP_KEYS))}")
    try:
        title = parse_title(_text(data, "title")) or DEFAULT_TITLE
        size = parse_size(_text(data, "size"))
    except BadParameter as exc:
        raise fail(exc.parameter, str(exc).split(": ", 1)[1]) from None
    since, until = _window(data, today or datetime.now(TOWN_TZ).date(), fail)
    views = data.get("views")
    if not isinstance(views, list) or not views:
        raise fail("views", "required: at least one [[views]] table")
    if len(views) > MAX_VIEWS:
        raise fail("views", f"at most {MAX_VIEWS} views")
    checked = []
    for number, view in enumerate(views, start=1):
        key = f"views[{number}]"  # counted from 1, as a reader of the file counts them
        if not isinstance(view, dict):
            raise fail(key, "must be a table with title, layers and optional bbox")
        for item in view:
            if item not in VIEW_KEYS:
                raise fail(f"{key}.{item}", "unknown key; known keys: bbox, layers, title")
        if not _text(view, "title"):
            raise fail(f"{key}.title", "required")
        if view.get("layers") in (None, "", []):
            raise fail(f"{key}.layers", "required: layer ids, comma-separated or a list")
        args = {"title": _joined(view, "title", fail, key), "size": f"{size[0]}x{size[1]}",
                "layers": _joined(view, "layers", fail, key),
                "bbox": _joined(view, "bbox", fail, key), "since": since, "until": until}
        try:
            checked.append(parse_params(args, registry))
        except BadParameter as exc:
            raise fail(f"{key}.{exc.parameter}", str(exc).split(": ", 1)[1]) from None
    return Briefing(title=title, since=since, until=until, size=size, views=tuple(checked))


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def _joined(table: Mapping[str, Any], key: str, fail: Any, prefix: str) -> str | None:
    """A string as it is, a list of strings or numbers joined with commas; else an error."""
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and key != "title" and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return ",".join(str(v) for v in value)
    raise fail(f"{prefix}.{key}", "must be a string" + ("" if key == "title" else " or a list"))


def _window(data: Mapping[str, Any], today: date, fail: Any) -> tuple[str | None, str | None]:
    """(since, until) as YYYY-MM-DD strings; `days = N` means the N days ending today."""
    days = data.get("days")
    if days is not None:
        if "since" in data or "until" in data:
            raise fail("days", "give either days or since/until, not both")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
            raise fail("days", f"must be a whole number of days from 1 to {MAX_DAYS}")
        since, until = (today - timedelta(days=days - 1)).isoformat(), today.isoformat()
    else:
        since, until = data.get("since"), data.get("until")
        for key, value in (("since", since), ("until", until)):
            if isinstance(value, date):  # TOML's bare dates arrive as date objects
                value = value.isoformat()
            elif value is not None and not isinstance(value, str):
                raise fail(key, "must be a date, YYYY-MM-DD")
            if key == "since":
                since = value
            else:
                until = value
    try:
        parse_window(since, until)
    except BadParameter as exc:
        raise fail(exc.parameter, str(exc).split(": ", 1)[1]) from None
    return since, until


def cover_html(brief: Briefing, figures: Mapping[str, Any], window: tuple[datetime, datetime],
               lang: str = "zh") -> str:
    """The cover page: title, date, time window and the KPI table, as one HTML document."""
    since, until = window
    until_text = brief.until or t("time.now", lang)
    rows = "".join(
        f"<tr><th>{html.escape(t(f'kpi.{name}', lang))}</th>"
        f"<td>{html.escape(format_kpi(name, figures.get(name)))}</td>"
        f"<td>{UNITS.get(name, '')}</td></tr>" for name in KPI_NAMES)
    made = datetime.now(TOWN_TZ).strftime("%Y-%m-%d %H:%M")
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body {{ font-family: {FONT}; margin: 48px 64px; color: #1f2937; }}
h1 {{ font-size: 34px; margin: 0 0 12px; }} p {{ font-size: 17px; margin: 4px 0; }}
table {{ border-collapse: collapse; margin-top: 28px; font-size: 18px; min-width: 60%; }}
th, td {{ border-bottom: 1px solid #d1d5db; padding: 9px 16px; text-align: left; }}
td:nth-child(2) {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style></head><body>
<h1>{html.escape(brief.title)}</h1>
<p>{html.escape(t("briefing.date", lang, date=made))}</p>
<p>{html.escape(t("print.window", lang, since=since.date().isoformat(), until=until_text[:10]))}</p>
<table><tbody>{rows}</tbody></table>
</body></html>"""


def write_briefing(base_url: str, brief: Briefing, figures: Mapping[str, Any],
                   out_path: str | Path, lang: str = "zh") -> Path:
    """Render the cover and every view as PDF pages, merge them and write `out_path`."""
    from pypdf import PdfReader, PdfWriter

    out = Path(out_path)
    window = parse_window(brief.since, brief.until)
    paper, _ = paper_for(brief.size)
    cover = cover_html(brief, figures, window, lang)
    try:
        first = browser.run(lambda page: _print_cover(page, cover, paper), READY_TIMEOUT_S + 30)
    except JobTimeout:
        raise SnapshotFailed("the browser did not answer for the cover page") from None
    writer = PdfWriter()
    with tempfile.TemporaryDirectory(prefix="gridcmd-briefing-") as folder:
        cover_pdf = Path(folder) / "cover.pdf"
        cover_pdf.write_bytes(first)
        writer.append(PdfReader(cover_pdf))
        for number, view in enumerate(brief.views, start=1):
            # The warm print page is switched in place for the next view; none after the last.
            page_pdf = snapshot(base_url, view, Path(folder) / f"view{number}.pdf",
                                keep_warm=number < len(brief.views))
            writer.append(PdfReader(page_pdf))
        # Written next to the target, then renamed: cron's reader never sees half a file.
        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
        try:
            with open(tmp, "xb") as f:
                writer.write(f)
            os.replace(tmp, out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return out


def _print_cover(page: Any, document: str, paper: str) -> bytes:
    from playwright.sync_api import Error

    try:
        page.set_content(document, wait_until="load", timeout=READY_TIMEOUT_S * 1000)
        return page.pdf(format=paper, landscape=True, print_background=True,
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    except Error as exc:
        raise SnapshotFailed(f"could not render the cover page: "
                             f"{str(exc).splitlines()[0]}") from exc
