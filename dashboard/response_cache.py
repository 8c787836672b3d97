"""A bounded in-process cache of whole answers that carry no personal data.

Many screens (the command hall, the wall, supervisors' maps) ask the same aggregates: H3 cells,
non-personal layers, the KPI bar, the 12345 ranking, freshness, mobilisation gaps. A route
marked `@shared_answer` is answered from this process's memory when the same request
(path and parameters) was answered before:

- at the same **data version** (geo/data_version.py: moves with every committed write to the
  data, in every process and on the replica alike), read on the connection the route then
  reads with, so an answer is never stored under a version newer than the rows it saw;
- for the same **scope**: the principal's role, communities, grids and collections are part of
  the key, so a community user is never served an answer made for another scope (nor the
  wall one made for an official);
- in the same encoding (Accept-Encoding is part of the key): the compressed bytes and their
  ETag are kept, so a hit costs neither the query nor JSON encoding nor compression;
- an answer that follows the clock (a request without `until` means "the last 30 days up to
  now"; freshness counts days up to now) is reused for at most GRIDCMD_RESPONSE_CACHE_TTL_S;
  any other for at most STABLE_MAX_AGE_S (only a write moves it, and writes move the version).

Only 200 answers are kept; an answer that sets a cookie is not. GRIDCMD_RESPONSE_CACHE_MB
bounds the bytes per process (least recently used out first; 0 turns the cache off).
Personal data (drill-downs, call lists, tickets, people) never passes through here: those
routes are simply not marked, and `personal=` lets a route with both kinds (layers) decide
per request. Concurrent misses of one key wait for the first (one computation, not fifty).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, Response, current_app, g, request

from dashboard.auth.principal import current
from dashboard.state import HELD_READ, read_connection
from geo.data_version import data_version

_EXTENSION = "gridcmd_response_cache"
_PENDING = "gridcmd_cache_pending"  # g: (cache, key) of a miss this request should fill
_KEPT_HEADERS = ("Content-Type", "Content-Encoding", "ETag", "Cache-Control", "Vary")
_MAX_ACCEPT_ENCODING = 200  # longer headers are not keyed (and not cached)
_WAIT_FOR_LEADER_S = 15.0
# An answer that depends only on its request and the data: the version decides; this bound is a
# safety net (a dependence nobody thought of cannot last longer).
STABLE_MAX_AGE_S = 600.0


@dataclass(frozen=True)
class Entry:
    """One kept answer: its bytes as sent and the headers that describe them."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    made_at: float
    max_age_s: float = STABLE_MAX_AGE_S

    @property
    def size(self) -> int:
        return len(self.body) + 200  # the key and headers, roughly

    def response(self) -> Response:
        answer = Response(self.body, status=200)
        for name, value in self.headers:
            answer.headers[name] = value
        etag = answer.headers.get("ETag")
        if etag and not_modified(etag.strip('"')):
            answer.status_code = 304
            answer.set_data(b"")
            answer.headers.pop("Content-Length", None)
        return answer


class ResponseCache:
    """Least-recently-used answers up to `max_bytes`; answers that follow the clock live at
    most `ttl_s`, the others at most their own `max_age_s`."""

    def __init__(self, max_bytes: int, ttl_s: float) -> None:
        self.max_bytes = max_bytes
        self.ttl_s = ttl_s
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._leaders: dict[tuple, threading.Event] = {}
        self.hits = self.misses = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and time.monotonic() - entry.made_at > entry.max_age_s:
                self._drop(key)
                entry = None
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes // 4:
            return  # one answer may not push out most of the others
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple) -> None:
        self._bytes -= self._entries.pop(key).size

    def lead(self, key: tuple) -> threading.Event | None:
        """None: this caller computes `key` (call `done` after); else the event to wait for."""
        with self._lock:
            leader = self._leaders.get(key)
            if leader is None:
                self._leaders[key] = threading.Event()
            return leader

    def done(self, key: tuple) -> None:
        with self._lock:
            leader = self._leaders.pop(key, None)
        if leader is not None:
            leader.set()


def not_modified(etag: str) -> bool:
    """Whether the request's If-None-Match holds `etag` (with or without the `:gzip` suffix
    flask-compress gives a compressed copy, on either side)."""
    held = {tag.split(":", 1)[0] for tag in request.if_none_match.as_set()}
    return etag.split(":", 1)[0] in held or request.if_none_match.star_tag


def install(server: Flask, max_mb: float, ttl_s: float) -> None:
    """Give `server` its cache and the hook that fills it. Register before compression, so
    the hook runs after it (Flask runs after_request hooks in reverse) and keeps the bytes
    as sent; it runs before the hooks that set cookies and security headers."""
    cache = ResponseCache(int(max_mb * 1024 * 1024), ttl_s) if max_mb > 0 and ttl_s > 0 \
        else None
    server.extensions[_EXTENSION] = cache

    @server.after_request
    def _keep(response: Response) -> Response:
        pending = g.pop(_PENDING, None)
        if pending is not None:
            cache, key, max_age_s = pending
            if response.status_code == 200 and not response.is_streamed \
                    and "Set-Cookie" not in response.headers:
                kept = tuple((name, response.headers[name]) for name in _KEPT_HEADERS
                             if name in response.headers)
                cache.put(key, Entry(response.get_data(), kept, time.monotonic(), max_age_s))
            cache.done(key)
        return response

    @server.teardown_request
    def _release(_exc) -> None:  # a miss that failed: let the waiting requests compute
        pending = g.pop(_PENDING, None)
        if pending is not None:
            pending[0].done(pending[1])


def response_cache(server: Flask | None = None) -> ResponseCache | None:
    """The cache of `server` (or of the current app); None when turned off."""
    return (server or current_app).extensions.get(_EXTENSION)


def _scope() -> tuple:
    who = current()
    if who is None:
        return ("",)
    return (who.role, tuple(sorted(who.communities)), tuple(sorted(who.grids)),
            tuple(sorted(who.collections)))


def open_ended(**_view_args) -> bool:
    """Whether the request's window runs up to now (no `until`): its answer follows the clock."""
    return "until" not in request.args


def shared_answer(personal: Callable[..., bool] | None = None,
                  follows_clock: Callable[..., bool] = open_ended):
    """Mark a GET route whose answer depends only on its request, the data, the caller's
    scope and (when `follows_clock(**view args)`) the clock; no personal data: it is answered
    from the cache when it can be. `personal(**view args)` True sends that request around the
    cache."""

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            cache = response_cache()
            encoding = request.headers.get("Accept-Encoding", "")
            if cache is None or request.method != "GET" \
                    or len(encoding) > _MAX_ACCEPT_ENCODING \
                    or (personal is not None and personal(**kwargs)):
                return view(**kwargs)
            base = (request.path, tuple(sorted(request.args.items(multi=True))), _scope(),
                    encoding)
            with read_connection() as conn:
                # The route's own read_connection() gets this connection: the version and
                # the answer come from the same server (the replica or the primary).
                setattr(g, HELD_READ, conn)
                try:
                    key = (*base, data_version(conn))
                    for _ in range(2):
                        entry = cache.get(key)
                        if entry is not None:
                            return entry.response()
                        leader = cache.lead(key)
                        if leader is None:
                            break
                        leader.wait(_WAIT_FOR_LEADER_S)  # another request is computing it
                    else:
                        return view(**kwargs)  # the first did not keep it: compute, unshared
                    max_age_s = cache.ttl_s if follows_clock(**kwargs) else STABLE_MAX_AGE_S
                    g.setdefault(_PENDING, (cache, key, max_age_s))
                    return view(**kwargs)
                finally:
                    g.pop(HELD_READ, None)

        return wrapper

    return decorate
