"""One warm headless Chromium per process, driven from its own thread.

Playwright's sync API belongs to the thread that started it, while Flask answers requests on
many threads; so one daemon thread owns the browser and runs the jobs in turn (which is also
the lock). It starts lazily on the first job and is closed when the process exits.

Warm means more than a running process: one browser context is kept, so the Dash and Leaflet
scripts come from its cache (already compiled), and the next job's page is opened while idle.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from dashboard.export.chromium_path import ChromiumNotFound, find_chromium
from dashboard.settings import get_settings
from geo.errors import GridcmdError

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]
CLOSE_WAIT_S = 10.0
# Chromium keeps what a render used (tiles, layers, decoded images) for the life of its
# context: a render above RECYCLE_PIXELS and every RECYCLE_EVERY-th job close the context so
# the memory goes back to the system; a job submitted with `release` (the last page of a
# briefing) closes the whole browser (~0.5 GB), and the next job starts it again (~2 s).
# Smaller snapshots keep the warm context.
RECYCLE_PIXELS = 1920 * 1080
RECYCLE_EVERY = 20

Job = Callable[[Any], Any]  # receives a fresh playwright Page, closed after the job
Prepare = Callable[[Any], None]  # readies the next job's page while the worker is idle


class BrowserUnavailable(GridcmdError):
    """Headless Chromium could not be started."""


class _Worker:
    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Job, Future, Prepare | None, bool] | None] = queue.Queue()
        # A daemon thread is still alive when atexit runs, so it can close Chromium cleanly.
        self._thread = threading.Thread(target=self._run, name="gridcmd-chromium", daemon=True)
        self._thread.start()

    def submit(self, job: Job, prepare_next: Prepare | None, release: bool = False) -> Future:
        future: Future = Future()
        self._jobs.put((job, future, prepare_next, release))
        return future

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(CLOSE_WAIT_S)

    def _run(self) -> None:
        playwright = browser = context = spare = None
        jobs_in_context = 0
        try:
            while (item := self._jobs.get()) is not None:
                job, future, prepare_next, release = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if browser is None or not browser.is_connected():
                        playwright, browser = _launch(playwright)
                        context = spare = None
                    if context is None:
                        # Our own pages in our own browser: playwright's waits evaluate
                        # strings, which the app's Content-Security-Policy forbids.
                        context = browser.new_context(locale="zh-CN", device_scale_factor=1,
                                                      bypass_csp=True)
                        jobs_in_context = 0
                    page, spare = spare or context.new_page(), None
                    jobs_in_context += 1
                    try:
                        result = job(page)
                        size = page.viewport_size or {}
                        fresh = jobs_in_context >= RECYCLE_EVERY or (
                            size.get("width", 0) * size.get("height", 0) > RECYCLE_PIXELS)
                    finally:
                        page.close()
                    future.set_result(result)
                except BaseException as exc:  # the caller's thread re-raises it
                    future.set_exception(exc)
                    continue
                if release:
                    _close_quietly(browser)  # its context and pages go with it
                    browser = context = None
                    continue
                if fresh:
                    context = _close_quietly(context)
                    continue  # the next job opens a fresh context (and its page)
                spare = _spare_page(context, prepare_next)
        finally:
            if browser is not None and browser.is_connected():
                browser.close()
            if playwright is not None:
                playwright.stop()


def _close_quietly(closable: Any) -> None:
    """Close a browser or context (its pages and memory); None: the worker's "none yet"."""
    from playwright.sync_api import Error

    with contextlib.suppress(Error):  # the browser went away: a fresh one starts next job
        closable.close()


def _spare_page(context: Any, prepare: Prepare | None) -> Any:
    from playwright.sync_api import Error

    page = None
    try:
        page = context.new_page()
        if prepare is not None:
            prepare(page)
        return page
    except Error:  # the server or the browser went away: the next job starts afresh
        if page is not None and not page.is_closed():
            page.close()
        return None


def _launch(playwright: Any) -> tuple[Any, Any]:
    # The system's Chromium (GRIDCMD_CHROMIUM or the search order): never a download.
    try:
        executable = find_chromium(get_settings().chromium)
    except ChromiumNotFound as exc:  # answered like any other browser failure (CLI 1, HTTP 503)
        raise BrowserUnavailable(str(exc)) from None
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:  # a broken install: playwright is a main dependency
        raise BrowserUnavailable("snapshots need the Python package playwright: "
                                 "pip install playwright (no browser download needed)") from exc
    try:
        playwright = playwright or sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
    except Error as exc:
        raise BrowserUnavailable(f"cannot start headless Chromium at {executable}: "
                                 f"{str(exc).splitlines()[0]}") from exc
    return playwright, browser


_lock = threading.Lock()
_worker: _Worker | None = None


def _get_worker() -> _Worker:
    global _worker
    with _lock:
        if _worker is None:
            _worker = _Worker()
            atexit.register(close)
        return _worker


def start() -> None:
    """Launch Chromium in the background now, so it is up by the time the first job comes."""
    _get_worker().submit(lambda page: None, None)


def run(job: Job, timeout: float, prepare_next: Prepare | None = None,
        release: bool = False) -> Any:
    """Run `job(page)` on the warm browser's thread and return its result.

    `prepare_next(page)`, if given, readies the following job's page once this one is done;
    `release` closes the browser afterwards (its memory returns to the system).
    """
    return _get_worker().submit(job, prepare_next, release).result(timeout=timeout)


def close() -> None:
    """Close the warm browser (registered atexit; safe to call twice)."""
    global _worker
    with _lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.close()
