"""snapshot(): render the print view in headless Chromium and write a PNG or a PDF."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from concurrent.futures import TimeoutError as JobTimeout
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from dashboard.export import browser
from dashboard.export.params import SnapshotParams, check_out, paper_for, parse_params
from dashboard.export.print_view import PREFIX, PREWARM, PREWARM_ID
from geo.errors import GridcmdError
from layers import REGISTRY
from layers.registry import Registry

READY_TIMEOUT_S = 30.0  # the whole town's buildings at zoom 15 take a few seconds at most
READY = "window.gridcmdReady === true || !!window.gridcmdError"
# dcc.Location hears this event (dcc.Link fires it too) and hands the new query to the view.
SWITCH = """path => { history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate")); }"""


class SnapshotFailed(GridcmdError):
    """The print view could not be loaded or did not finish drawing."""


def print_url(base_url: str, params: SnapshotParams) -> str:
    """URL of the print view for `params` on the server at `base_url`."""
    return f"{base_url.rstrip('/')}{PREFIX}?{urlencode(params.query())}"


def snapshot(base_url: str, params: SnapshotParams | Mapping[str, str | None],
             out_path: str | Path, registry: Registry = REGISTRY, keep_warm: bool = True) -> Path:
    """Write the print view of `params` to `out_path` (.png or .pdf); returns the path.

    Every parameter is checked before the browser starts; on any error no file is left.
    `keep_warm` preloads a print view for the next call (a server exporting again and again).
    """
    if not isinstance(params, SnapshotParams):
        params = parse_params(params, registry)
    out = check_out(out_path)
    kind = out.suffix.lower().lstrip(".")
    if kind == "pdf":
        paper, viewport = paper_for(params.size)
        # The page is laid out at the paper's own size, so nothing is cut off or rescaled.
        params = replace(params, size=viewport)
    else:
        paper, viewport = None, params.size
    url = print_url(base_url, params)
    warm_url = f"{base_url.rstrip('/')}{PREFIX}?{PREWARM}"
    try:
        data = browser.run(lambda page: _shoot(page, url, warm_url, viewport, paper),
                           READY_TIMEOUT_S + 30,
                           (lambda page: _prewarm(page, warm_url)) if keep_warm else None)
    except JobTimeout:
        raise SnapshotFailed(f"the browser did not answer for {url}") from None
    # Written next to the target, then renamed: a reader never sees half a file.
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with open(tmp, "xb") as f:  # "x": never clobbers; the umask sets the mode as usual
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _prewarm(page: Any, warm_url: str) -> None:
    page.goto(warm_url, wait_until="domcontentloaded", timeout=READY_TIMEOUT_S * 1000)
    page.wait_for_selector(f"#{PREWARM_ID}", state="attached", timeout=READY_TIMEOUT_S * 1000)


def _shoot(page: Any, url: str, warm_url: str, viewport: tuple[int, int],
           paper: str | None) -> bytes:
    from playwright.sync_api import Error

    try:
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        if page.url == warm_url and page.locator(f"#{PREWARM_ID}").count() == 1:
            # A preloaded print view: switch its query in place, the scripts are running.
            page.evaluate(SWITCH, url[url.index(PREFIX):])
        else:
            page.goto(url, wait_until="domcontentloaded", timeout=READY_TIMEOUT_S * 1000)
        page.wait_for_function(READY, timeout=READY_TIMEOUT_S * 1000, polling="raf")
        error = page.evaluate("window.gridcmdError || null")
        if error:
            raise SnapshotFailed(f"the print view reports: {error}")
        if paper is None:
            return page.screenshot(type="png")
        return page.pdf(format=paper, landscape=True, print_background=True, page_ranges="1",
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    except Error as exc:
        first = str(exc).splitlines()[0]
        raise SnapshotFailed(f"could not render {url}: {first}") from exc
