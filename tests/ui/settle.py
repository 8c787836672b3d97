"""Waiting for the page to stop moving (a map's flight, a panel docking, a box re-placing
itself) instead of sleeping for a guessed time: a busy machine animates and answers late."""

from __future__ import annotations

import time

# True once the boxes of `selectors` (and the map's pane offset) have not changed for
# `quiet` ms; the state between polls lives in window.__gcStill.
_STILL = """([selectors, quiet]) => {
  const box = s => { const el = document.querySelector(s);
    if (!el) { return 'none'; }
    const r = el.getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map(v => v.toFixed(1)).join(','); };
  const pane = document.querySelector('.leaflet-map-pane');
  const sig = selectors.map(box).join('|') + '|' + (pane ? pane.style.transform : '');
  const now = performance.now(), last = window.__gcStill;
  if (!last || last.sig !== sig) { window.__gcStill = {sig: sig, since: now}; return false; }
  return now - last.since >= quiet;
}"""


def wait_still(page, *selectors: str, quiet_ms: int = 500, timeout: int = 20_000) -> None:
    """Wait until the boxes of `selectors` and the map's pane have stayed put for `quiet_ms`."""
    page.evaluate("() => { window.__gcStill = null; }")
    page.wait_for_function(_STILL, arg=[list(selectors), quiet_ms], polling=100,
                           timeout=timeout)


class LayerFetches:
    """The page's GET /api/layers/… requests, counted from now on: wait_quiet waits until
    none is in flight and none started for a while (a map's flight asks as it ends)."""

    def __init__(self, page) -> None:
        self._page = page
        self._open: set = set()
        self._last = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        if "/api/layers/" in request.url:
            self._open.add(request)
            self._last = time.monotonic()

    def _ended(self, request) -> None:
        if request in self._open:
            self._open.discard(request)
            self._last = time.monotonic()

    def wait_quiet(self, quiet_ms: int = 800, timeout_ms: int = 30_000) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        while self._open or time.monotonic() - self._last < quiet_ms / 1000:
            if time.monotonic() > deadline:
                raise TimeoutError(f"layer requests still coming after {timeout_ms} ms: "
                                   f"{[r.url for r in self._open]}")
            self._page.wait_for_timeout(100)  # lets playwright deliver the page's events
