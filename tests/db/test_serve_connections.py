"""`gridcmd serve` under idle and slow connections (issue 17, items 1 and 14): a held socket
costs a slot, not the service. Loopback only, bounded in count and time."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest

from tests.ui.serving import serve

pytestmark = pytest.mark.db

IDLE_SOCKETS = 150


@pytest.fixture(scope="module")
def server(shared_demo_url: str, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serve(shared_demo_url, log, http_idle_timeout_s="4") as base:
        yield base


def _address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    return parts.hostname, parts.port


def _timed_health(base: str) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        response.read()
        return response.status, time.monotonic() - started


def test_healthz_answers_fast_while_150_idle_and_20_slow_connections_are_held(server):
    with ExitStack() as held:
        for i in range(IDLE_SOCKETS + 20):
            sock = held.enter_context(socket.create_connection(_address(server), timeout=5))
            if i >= IDLE_SOCKETS:  # slow clients: half a request line, then nothing
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x")
        time.sleep(0.5)  # let the server accept them all
        timings = [_timed_health(server) for _ in range(5)]
    assert all(status == 200 for status, _ in timings), timings
    assert max(seconds for _, seconds in timings) < 1.0, timings


def test_idle_connections_are_closed_after_the_idle_timeout(server):
    with socket.create_connection(_address(server), timeout=15) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # the server hung up (GRIDCMD_HTTP_IDLE_TIMEOUT_S=4)
        assert time.monotonic() - started < 14


def test_an_oversized_body_is_refused_from_its_headers_alone(server):
    with socket.create_connection(_address(server), timeout=5) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                     b"x-www-form-urlencoded\r\nContent-Length: 200000000\r\n\r\n")
        status_line = sock.recv(200).split(b"\r\n", 1)[0]
    assert b" 413 " in status_line, status_line
