"""The read replica: a second pool on a streaming replica, its state, and whether it may serve.

Reads marked read-only (layers, H3, KPIs, OGC reads, ranking, freshness) ask
`ReplicaRouter.serves(after_lsn)`; everything else uses the primary. The replica serves only
while it answers, is in recovery (a promoted copy has diverged) and lags at most
`replica_max_lag_s`; `after_lsn` (the primary's WAL position at a user's last write) keeps that
user's reads on the primary until the replica has replayed past it (read-your-writes).

Lag is measured cheaply every `replica_check_s` by one background thread per process (one
query on each server); requests use its last answer and never wait for a probe:
- replayed everything the primary had written → 0;
- else the smaller of (a) the time since the newest earlier probe whose primary position the
  replica has reached and (b) `now() - pg_last_xact_replay_timestamp()`. (a) alone would
  overstate the lag when probes are sparse, (b) alone when the primary is idle and writes only
  WAL housekeeping; a replica whose replay is paused grows both.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from threading import Event, Lock, Thread

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

log = logging.getLogger(__name__)

REPLICA_GRAB_S = 0.2  # a read waits this long for a replica connection, then uses the primary
_PROBE_GRAB_S = 0.5
_PROBE_TIMEOUT_MS = 500
_HISTORY_S = 600.0
_LSN = re.compile(r"([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})", re.ASCII)

_REPLICA_SQL = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
    "extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8, "
    "CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END"
)


def parse_lsn(text: str | None) -> int | None:
    """'16/B374D848' → an int that orders like the WAL position; None for anything else."""
    match = _LSN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    return (int(match.group(1), 16) << 32) | int(match.group(2), 16)


def format_lsn(value: int) -> str:
    """The inverse of parse_lsn."""
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


@dataclass(frozen=True)
class ReplicaState:
    """What the last probe found."""

    up: bool  # answered, and is a replica in recovery
    lag_s: float | None  # None when down
    replay_lsn: int | None
    paused: bool | None
    checked: float  # time.monotonic() of the probe
    reason: str = ""  # why it is down, for /healthz and the log

    def fresh_enough(self, max_lag_s: float) -> bool:
        return self.up and self.lag_s is not None and self.lag_s <= max_lag_s


class ReplicaRouter:
    """The replica pool and the decision to use it, shared by every thread of a process."""

    def __init__(self, pool: ConnectionPool, primary_lsn: Callable[[], int | None],
                 max_lag_s: float, check_s: float) -> None:
        self.pool = pool
        self._primary_lsn = primary_lsn
        self.max_lag_s = max_lag_s
        self.check_s = check_s
        self._lock = Lock()
        self._closed = Event()
        self._watch: Thread | None = None
        self._state: ReplicaState | None = None
        self._history: deque[tuple[float, int]] = deque()  # (when, primary LSN then)

    # -- the decision --------------------------------------------------------------------
    def serves(self, after_lsn: int | None = None) -> bool:
        """Whether a read (of a user who last wrote at `after_lsn`) may use the replica."""
        state = self.state()
        if not state.fresh_enough(self.max_lag_s):
            return False
        return after_lsn is None or (state.replay_lsn is not None
                                     and state.replay_lsn >= after_lsn)

    def mark_down(self, reason: str) -> None:
        """A read just failed to get a replica connection: use the primary until the next
        probe says otherwise."""
        with self._lock:
            self._state = ReplicaState(False, None, None, None, time.monotonic(), reason)
        log.warning("read replica unusable, reads go to the primary: %s", reason)

    def state(self) -> ReplicaState:
        """The last probe's answer (the first call probes; then a background thread does)."""
        with self._lock:
            current = self._state
        if current is not None:
            return current
        fresh = self._probe()
        with self._lock:
            if self._state is None:
                self._state = fresh
            self._start_watch()
            return self._state

    def _start_watch(self) -> None:
        # Called with the lock held. One daemon thread per router probes every check_s, so a
        # request never waits for a probe (a down replica costs no request a timeout).
        if self._watch is None and not self._closed.is_set():
            self._watch = Thread(target=self._watch_loop, name="gridcmd-replica-probe",
                                 daemon=True)
            self._watch.start()

    def _watch_loop(self) -> None:
        while not self._closed.wait(self.check_s):
            try:
                fresh = self._probe()
            except Exception:  # never let the probe thread die; the next one tries again
                log.exception("read replica probe failed")
                continue
            with self._lock:
                self._state = fresh

    def close(self) -> None:
        """Stop the probe thread and close the replica pool."""
        self._closed.set()
        watch = self._watch
        if watch is not None:
            watch.join(timeout=5)
        self.pool.close()

    # -- the probe -----------------------------------------------------------------------
    def _probe(self) -> ReplicaState:
        now = time.monotonic()
        try:
            with self.pool.connection(timeout=_PROBE_GRAB_S) as conn:
                conn.execute(f"SET statement_timeout = {_PROBE_TIMEOUT_MS}")
                recovering, replay_text, since_replay, paused = conn.execute(
                    _REPLICA_SQL).fetchone()
        except (PoolTimeout, psycopg.Error) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return ReplicaState(False, None, None, None, now, f"unreachable: {reason[:200]}")
        if not recovering:
            return ReplicaState(False, None, None, None, now,
                                "not in recovery (promoted, or not a replica): not used")
        replay = parse_lsn(replay_text)
        primary = self._primary_lsn()  # after the replica's answer: errs towards more lag
        if replay is None or primary is None:
            return ReplicaState(False, None, replay, paused, now,
                                "replay position or the primary's position unknown")
        lag = self._lag(now, replay, primary, since_replay)
        self._history.append((now, primary))
        while self._history and now - self._history[0][0] > _HISTORY_S:
            self._history.popleft()
        return ReplicaState(True, lag, replay, paused, now)

    def _lag(self, now: float, replay: int, primary: int, since_replay: float | None) -> float:
        if replay >= primary:
            return 0.0
        reached = [when for when, lsn in self._history if lsn <= replay]
        by_history = now - max(reached) if reached else float("inf")
        by_commit = max(since_replay, 0.0) if since_replay is not None else float("inf")
        return min(by_history, by_commit)

    def describe(self) -> dict:
        """The replica's state for /healthz (signed-in callers)."""
        state = self.state()
        if not state.up:
            status = "down"
        elif state.fresh_enough(self.max_lag_s):
            status = "up"
        else:
            status = "lagging"
        lag = None if state.lag_s is None or state.lag_s == float("inf") \
            else round(state.lag_s, 3)
        body = {"state": status, "serving_reads": status == "up", "lag_s": lag,
                "max_lag_s": self.max_lag_s,
                "replay_lsn": format_lsn(state.replay_lsn) if state.replay_lsn else None,
                "replay_paused": state.paused}
        if state.reason:
            body["reason"] = state.reason
        return body
