"""Connection benchmark: idle sockets a server tolerates, and many keep-alive clients.

Loopback only. The clients are asyncio streams speaking just enough HTTP/1.1 (GET, a
Content-Length body, keep-alive): one thread holds hundreds of connections, so the
measuring process does not compete with the server for the machine's two cores.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import statistics
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

REQUEST_TIMEOUT_S = 5.0  # an answer slower than this counts as an error (a time-out)
FAST_S = 1.0             # /healthz must answer within this while idle sockets are held


@dataclass(frozen=True)
class IdleStep:
    """/healthz while `idle` connections are held open."""

    idle: int
    opened: int          # how many the server accepted (connect succeeded)
    health_s: float      # slowest of three /healthz answers (inf: no answer)
    ok: bool


@dataclass(frozen=True)
class LoadFigure:
    """`clients` keep-alive clients asking `path` in a loop for `seconds`."""

    clients: int
    seconds: float
    requests: int
    errors: int
    timeouts: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    def as_dict(self) -> dict:
        """JSON-ready figures."""
        return asdict(self)


def loopback_address(base: str) -> tuple[str, int]:
    """(host, port) of `base`, refusing anything but a loopback address."""
    parts = urlsplit(base)
    host = parts.hostname or ""
    try:
        loopback = ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        loopback = False
    if not loopback or not parts.port:
        raise ValueError(f"{base}: the connection benchmark runs on loopback only "
                         "(http://127.0.0.1:PORT)")
    return host, parts.port


def health_time(base: str, timeout: float = REQUEST_TIMEOUT_S) -> float:
    """Seconds one /healthz over a new connection takes (inf when it fails or times out)."""
    host, port = loopback_address(base)
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            first = sock.recv(64)
            while sock.recv(65536):
                pass
    except OSError:
        return float("inf")
    if not first.startswith(b"HTTP/1.1 200"):
        return float("inf")
    return time.monotonic() - started


def idle_steps(base: str, steps: list[int], report=lambda step: None) -> list[IdleStep]:
    """Hold more and more idle connections; after each step time /healthz three times.

    Stops at the first step where /healthz is slower than FAST_S or fails.
    """
    host, port = loopback_address(base)
    found: list[IdleStep] = []
    with ExitStack() as held:
        opened = 0
        for target in steps:
            while opened < target:
                try:
                    sock = socket.create_connection((host, port), timeout=2)
                except OSError:
                    break
                held.enter_context(sock)
                opened += 1
            time.sleep(0.5)
            slowest = max(health_time(base) for _ in range(3))
            step = IdleStep(target, opened, slowest, slowest < FAST_S)
            found.append(step)
            report(step)
            if not step.ok:
                break
    return found


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   path: str) -> tuple[int, bool]:
    """One GET on a kept-alive connection: (status, whether the server keeps it open)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.partition(":") for line in lines[1:] if line)}
    await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


async def _client(host: str, port: int, path: str, until: float, latencies: list[float],
                  failures: list[str]) -> None:
    reader = writer = None
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), REQUEST_TIMEOUT_S)
            status, keep = await asyncio.wait_for(_request(reader, writer, path),
                                                  REQUEST_TIMEOUT_S)
        except TimeoutError:
            failures.append("timeout")
            status, keep = 0, False
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            failures.append("connection")
            status, keep = 0, False
        if status:
            if status == 200:
                latencies.append(time.monotonic() - started)
            else:
                failures.append(f"status {status}")
        if not keep and writer is not None:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def keep_alive_load(base: str, clients: int, seconds: float,
                    path: str = "/healthz") -> LoadFigure:
    """`clients` keep-alive clients asking `path` back to back for `seconds`."""
    host, port = loopback_address(base)
    latencies: list[float] = []
    failures: list[str] = []

    async def run() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(_client(host, port, path, until, latencies, failures)
                               for _ in range(clients)))

    asyncio.run(run())
    ms = sorted(x * 1000 for x in latencies) or [float("nan")]
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return LoadFigure(clients, seconds, len(latencies) + len(failures), len(failures),
                      failures.count("timeout"), statistics.median(ms), p95, ms[-1])
