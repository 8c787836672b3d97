"""The daily briefing: a cover page with the headline figures, then one map page per view."""

from __future__ import annotations

import html
import tempfile
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
from dashboard.export.params import PAPERS, paper_for
from dashboard.export.snapshot import (
    READY_TIMEOUT_S,
    SnapshotFailed,
    pdf_page,
    snapshot,
    write_whole,
)
from dashboard.i18n import t
from dashboard.kpi_figures import format_kpi, tile_classes
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
               lang: str = "zh", as_of: datetime | None = None, paper: str = "A4") -> str:
    """The cover page, one landscape `paper` page: a title band (title, made, window, data as
    of), KPI tiles filling the page, the list of map pages and the source line."""
    since, _ = window
    until_text = brief.until or t("time.now", lang)
    alerts = dict(zip(KPI_NAMES, tile_classes(figures), strict=True))
    tiles = "".join(
        f'<div class="tile{" alert" if "gc-kpi-alert" in alerts[name] else ""}">'
        f'<div class="value">{html.escape(format_kpi(name, figures.get(name)))}'
        f'<span class="unit">{html.escape(_unit(name, lang))}</span></div>'
        f'<div class="label">{html.escape(t(f"kpi.{name}", lang))}</div></div>'
        for name in KPI_NAMES)
    contents = "".join(f"<li><span>{number}</span>{html.escape(view.title or '')}</li>"
                       for number, view in enumerate(brief.views, start=2))
    made = datetime.now(TOWN_TZ).strftime("%Y-%m-%d %H:%M")
    # The same stamp as the print view's and the wall's (geo/freshness_stamp.py).
    as_of_line = t("print.as_of", lang, as_of=stamp_text(as_of) or t("print.unknown", lang))
    window_line = t("print.window", lang, since=since.date().isoformat(),
                    until=until_text[:10])
    width, height = PAPERS[paper][0]
    columns = (len(KPI_NAMES) + 1) // 2
    return f"""<!doctype html><html lang="{"en" if lang == "en" else "zh-CN"}"><head>
<meta charset="utf-8"><style>
@page {{ size: {width}mm {height}mm; margin: 0; }}
html, body {{ margin: 0; width: 100vw; height: 100vh; overflow: hidden; }}
body {{ font-family: {FONT}; color: #1f2937; background: #f4f2ec; display: flex;
        flex-direction: column; box-sizing: border-box; padding: 4vh 4vw 3vh; gap: 3vh; }}
.band {{ border-left: 1.2vw solid #8b1a1a; background: #fff; padding: 2.6vh 2.4vw;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
h1 {{ margin: 0 0 1.4vh; font-size: 6vh; letter-spacing: .08em; color: #8b1a1a; }}
.facts {{ display: flex; flex-wrap: wrap; gap: .6vh 3vw; font-size: 2.6vh; color: #374151; }}
.tiles {{ flex: 1 1 auto; display: grid; grid-template-columns: repeat({columns}, 1fr);
          grid-auto-rows: 1fr; gap: 2vh 1.6vw; min-height: 0; }}
.tile {{ background: #fff; border-top: .8vh solid #3b6ea8; padding: 2vh 1.4vw;
         display: flex; flex-direction: column; justify-content: center;
         box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
.tile.alert {{ border-top-color: #c62828; background: #fff5f5; }}
.tile.alert .value {{ color: #b71c1c; }}
.value {{ font-size: 8vh; font-weight: 700; font-variant-numeric: tabular-nums;
          line-height: 1.1; white-space: nowrap; }}
.unit {{ font-size: 3vh; font-weight: 400; margin-left: .4vw; color: #4b5563; }}
.label {{ font-size: 2.8vh; color: #374151; margin-top: .8vh; }}
.foot {{ display: flex; justify-content: space-between; align-items: flex-end; gap: 2vw;
         font-size: 2.2vh; color: #4b5563; }}
.foot ol {{ list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
            gap: .4vh 2vw; }}
.foot li span {{ display: inline-block; min-width: 2.6vh; margin-right: .5vw; padding: 0 .3vw;
                 background: #8b1a1a; color: #fff; text-align: center; border-radius: .3vh; }}
</style></head><body class="gc-briefing-cover">
<div class="band"><h1>{html.escape(brief.title)}</h1><div class="facts">
<span>{html.escape(t("briefing.date", lang, date=made))}</span>
<span>{html.escape(window_line)}</span>
<span class="gc-briefing-asof">{html.escape(as_of_line)}</span></div></div>
<div class="tiles">{tiles}</div>
<div class="foot"><ol>{contents}</ol><div>{html.escape(t("print.source", lang))}</div></div>
</body></html>"""


def _unit(name: str, lang: str) -> str:
    return UNITS.get(name, "") if lang != "en" else ""


def write_briefing(base_url: str, brief: Briefing, figures: Mapping[str, Any],
                   out_path: str | Path, lang: str = "zh",
                   as_of: datetime | None = None) -> Path:
    """Render the cover and every view as PDF pages, merge them and write `out_path`."""
    from pypdf import PdfReader, PdfWriter

    out = Path(out_path)
    window = parse_window(brief.since, brief.until)
    paper, viewport = paper_for(brief.paper)
    cover = cover_html(brief, figures, window, brief.lang or lang, as_of, paper)
    try:
        first = browser.run(lambda page: _print_cover(page, cover, paper, viewport),
                            READY_TIMEOUT_S + 30)
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
        return write_whole(out, writer.write)  # cron's reader never sees half a file


def _print_cover(page: Any, document: str, paper: str, viewport: tuple[int, int]) -> bytes:
    from playwright.sync_api import Error

    try:
        # Laid out at the paper's size, as the map pages are: one landscape page, same paper.
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        page.set_content(document, wait_until="load", timeout=READY_TIMEOUT_S * 1000)
        return pdf_page(page, paper)
    except Error as exc:
        raise SnapshotFailed(f"could not render the cover page: "
                             f"{str(exc).splitlines()[0]}") from exc
