"""How many snapshot and briefing renders may be in flight: server-wide and per user.

One warm Chromium draws one job at a time (browser.py), so a render request waits for those
before it. Unbounded, eight 20-view briefings held every server thread for minutes and a KPI
request waited 30 s. The gate admits GRIDCMD_EXPORT_RENDERS requests at once (one drawing, the
others queued at the browser) and GRIDCMD_EXPORT_RENDERS_PER_USER per user; the next one gets
429 with Retry-After at once instead of holding a thread.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from geo.errors import GridcmdError

SECONDS_PER_RENDER = 15  # a briefing at the size limit takes about this long (README)


class ExportBusy(GridcmdError):
    """No render slot is free (answered 429 with Retry-After)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RenderGate:
    """Counts renders in flight; `slot(user)` admits one or raises ExportBusy."""

    def __init__(self, total: int, per_user: int) -> None:
        self.total = max(1, total)
        self.per_user = max(1, per_user)
        self._lock = threading.Lock()
        self._active: Counter[str] = Counter()

    @contextmanager
    def slot(self, user: str) -> Iterator[None]:
        """Hold one render slot for `user` while the block runs."""
        with self._lock:
            busy = sum(self._active.values())
            retry = SECONDS_PER_RENDER * max(1, busy)
            if self._active[user] >= self.per_user:
                raise ExportBusy(f"you already have {self.per_user} export(s) being drawn; "
                                 "wait for it to finish", retry)
            if busy >= self.total:
                raise ExportBusy(f"the server is drawing {busy} exports; try again shortly",
                                 retry)
            self._active[user] += 1
        try:
            yield
        finally:
            with self._lock:
                self._active[user] -= 1
                if self._active[user] <= 0:
                    del self._active[user]
