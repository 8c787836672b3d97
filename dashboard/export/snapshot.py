"""snapshot(): render the print view in headless Chromium and write a PNG or a PDF."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import TimeoutError as JobTimeout
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dashboard.auth.sessions import render_credential
from dashboard.export import browser
from dashboard.export.params import (
    SnapshotParams,
    check_out,
    page_css,
    paper_for,
    parse_params,
)
from dashboard.export.print_layout import ROOT as PRINT_ROOT
from dashboard.export.print_view import PREFIX, PREWARM, PREWARM_ID
from geo.errors import GridcmdError
from layers import REGISTRY
from layers.registry import Registry

READY_TIMEOUT_S = 30.0  # the whole town's buildings at zoom 15 take a few seconds at most
READY = "() => window.gridcmdReady === true || !!window.gridcmdError"
# dcc.Location hears this event (dcc.Link fires it too) and hands the new query to the view.
SWITCH = """path => { history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate")); }"""


SECRET_PARAMS = ("render", "token")  # credentials in a print URL never reach a message


class SnapshotFailed(GridcmdError):
    """The print view could not be loaded or did not finish drawing."""


def print_url(base_url: str, params: SnapshotParams | None) -> str:
    """URL of the print view for `params` (None: the preloaded, empty page) at `base_url`.

    The one place the exporter's browser gets a print-view address: whatever the server needs
    to let that browser in belongs in this URL, here.
    """
    query = urlencode(params.query()) if params is not None else PREWARM
    # The server's own browser signs in with a short-lived render credential (print view only).
    query += "&" + urlencode({"render": render_credential()})
    return f"{base_url.rstrip('/')}{PREFIX}?{query}"


def shown_url(url: str) -> str:
    """`url` as it may appear in a message or a log: without any credential in its query."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in SECRET_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query)))


def snapshot(base_url: str, params: SnapshotParams | Mapping[str, str | None],
             out_path: str | Path, registry: Registry = REGISTRY, keep_warm: bool = True,
             release: bool = False) -> Path:
    """Write the print view of `params` to `out_path` (.png or .pdf); returns the path.

    Every parameter is checked before the browser starts; on any error no file is left.
    `keep_warm` preloads a print view for the next call (a server exporting again and again);
    `release` closes the browser after this page (the last of a briefing) to free its memory.
    """
    if not isinstance(params, SnapshotParams):
        params = parse_params(params, registry)
    out = check_out(out_path)
    kind = out.suffix.lower().lstrip(".")
    if kind == "pdf":
        paper, viewport = paper_for(params.paper)
        # The page is laid out at the paper's own size, so nothing is cut off or rescaled.
        params = replace(params, size=viewport)
    else:
        paper, viewport = None, params.size
    url = print_url(base_url, params)
    warm_url = print_url(base_url, None)
    try:
        data = browser.run(lambda page: _shoot(page, url, warm_url, viewport, paper),
                           READY_TIMEOUT_S + 30,
                           (lambda page: _prewarm(page, warm_url)) if keep_warm else None,
                           release=release)
    except JobTimeout:
        raise SnapshotFailed(f"the browser did not answer for {shown_url(url)}") from None
    return write_whole(out, lambda f: f.write(data))


def write_whole(out: Path, write: Callable[[BinaryIO], object]) -> Path:
    """`out` written by `write(file)` next to the target, then renamed over it: a reader (a
    download, cron's mailer) never sees half a file; a failure leaves no part behind."""
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with open(tmp, "xb") as f:  # "x": never clobbers; the umask sets the mode as usual
            write(f)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def pdf_page(page: Any, paper: str) -> bytes:
    """One landscape `paper` page of what `page` shows (laid out at the paper's size).

    The last @page rule decides the page box, whatever other stylesheets of the assets folder
    say; the page is printed with the screen's styles, exactly as the PNG is drawn.
    """
    page.add_style_tag(content=page_css(paper))
    page.emulate_media(media="screen")
    return page.pdf(prefer_css_page_size=True, print_background=True, page_ranges="1",
                    margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})


def _prewarm(page: Any, warm_url: str) -> None:
    page.goto(warm_url, wait_until="domcontentloaded", timeout=READY_TIMEOUT_S * 1000)
    # Not let in (or redirected): the next job loads its own page.
    if shown_url(page.url) != shown_url(warm_url):
        return
    # A print page instead (the server did not take the query for a prewarm): stop waiting,
    # the next job then loads its own page rather than hang here for the whole timeout.
    page.wait_for_selector(f"#{PREWARM_ID}, #{PRINT_ROOT}", state="attached",
                           timeout=READY_TIMEOUT_S * 1000)


def _shoot(page: Any, url: str, warm_url: str, viewport: tuple[int, int],
           paper: str | None) -> bytes:
    from playwright.sync_api import Error

    try:
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        warm = shown_url(page.url) == shown_url(warm_url)
        if warm and page.locator(f"#{PREWARM_ID}").count() == 1:
            # A preloaded print view: switch its query in place, the scripts are running.
            page.evaluate(SWITCH, url[url.index(PREFIX):])
        else:
            answer = page.goto(url, wait_until="domcontentloaded",
                               timeout=READY_TIMEOUT_S * 1000)
            if answer is not None and not answer.ok:  # refused or missing: no point waiting
                raise SnapshotFailed(f"the print view answered {answer.status} for "
                                     f"{shown_url(url)}")
            if urlsplit(page.url).path != PREFIX:  # e.g. sent to the sign-in page
                raise SnapshotFailed(f"the print view sent the browser to "
                                     f"{urlsplit(page.url).path} instead of drawing "
                                     f"{shown_url(url)}")
        page.wait_for_function(READY, timeout=READY_TIMEOUT_S * 1000, polling="raf")
        error = page.evaluate("window.gridcmdError || null")
        if error:
            raise SnapshotFailed(f"the print view reports: {error}")
        if paper is None:
            return page.screenshot(type="png")
        return pdf_page(page, paper)
    except Error as exc:
        first = str(exc).splitlines()[0]
        raise SnapshotFailed(f"could not render {shown_url(url)}: {first}") from exc
