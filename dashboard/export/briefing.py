"""The daily briefing: a cover page with the headline figures, then one map page per view."""

from __future__ import annotations

import html
import os
import tempfile
import uuid
from collections.abc import Mapping
from concurrent.futures import TimeoutError as JobTimeout
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from dashboard.export import browser
from dashboard.export.briefing_config import (  # noqa: F401 (the config's public names)
    Briefing,
    BriefingConfigError,
    check_config,
    load_config,
)
from dashboard.export.params import paper_for
from dashboard.export.snapshot import READY_TIMEOUT_S, SnapshotFailed, snapshot
from dashboard.i18n import t
from dashboard.map.kpibar import format_kpi
from geo.freshness_stamp import data_as_of, stamp_text
from geo.kpi_extent import KPI_NAMES
from geo.kpis import kpis
from geo.timewindow import TOWN_TZ, parse_window

# Shares and ratios carry their own notation from format_kpi; counts need a unit.
UNITS = {"residents": "人", "active_cases": "例", "open_tickets": "件",
         "three_no_compounds": "个"}
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'


def briefing_facts(conn: psycopg.Connection,
                   brief: Briefing) -> tuple[dict[str, Any], datetime | None]:
    """The cover's headline figures for the briefing's window, and the data-as-of moment."""
    return kpis(conn, parse_window(brief.since, brief.until)), data_as_of(conn)


def cover_html(brief: Briefing, figures: Mapping[str, Any], window: tuple[datetime, datetime],
               lang: str = "zh", as_of: datetime | None = None) -> str:
    """The cover page: title, date, time window and the KPI table, as one HTML document."""
    since, until = window
    until_text = brief.until or t("time.now", lang)
    rows = "".join(
        f"<tr><th>{html.escape(t(f'kpi.{name}', lang))}</th>"
        f"<td>{html.escape(format_kpi(name, figures.get(name)))}</td>"
        f"<td>{UNITS.get(name, '')}</td></tr>" for name in KPI_NAMES)
    made = datetime.now(TOWN_TZ).strftime("%Y-%m-%d %H:%M")
    # The same stamp as the print view's and the wall's (geo/freshness_stamp.py).
    as_of_line = t("print.as_of", lang, as_of=stamp_text(as_of) or t("print.unknown", lang))
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
<p class="gc-briefing-asof">{html.escape(as_of_line)}</p>
<table><tbody>{rows}</tbody></table>
</body></html>"""


def write_briefing(base_url: str, brief: Briefing, figures: Mapping[str, Any],
                   out_path: str | Path, lang: str = "zh",
                   as_of: datetime | None = None) -> Path:
    """Render the cover and every view as PDF pages, merge them and write `out_path`."""
    from pypdf import PdfReader, PdfWriter

    out = Path(out_path)
    window = parse_window(brief.since, brief.until)
    paper, _ = paper_for(brief.size)
    cover = cover_html(brief, figures, window, brief.lang or lang, as_of)
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
            last = number == len(brief.views)
            # After the last view the browser is closed: a briefing's memory is freed.
            page_pdf = snapshot(base_url, view, Path(folder) / f"view{number}.pdf",
                                keep_warm=not last, release=last)
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
