"""`gridcmd bench load`: many concurrent clients against a real server process over loopback.

Each client is a thread with its own keep-alive HTTP connection, signed in through one shared
session cookie, asking the benchmark's endpoints round-robin (gzip accepted, like a browser)
until the time is up. Reports requests, errors by status and latency percentiles.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

LOOPBACK = "127.0.0.1"
MAX_CLIENTS = 500
MAX_SECONDS = 600


@dataclass
class LoadResult:
    """What a load run measured (latencies in milliseconds)."""

    clients: int
    seconds: float
    requests: int = 0
    by_status: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Answers other than 200/304, and requests that got no answer."""
        return sum(n for status, n in self.by_status.items() if status not in ("200", "304"))

    def percentile(self, q: float) -> float:
        """The q-th percentile (0-100) of the latencies."""
        if not self.latencies_ms:
            return 0.0
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]

    def summary(self) -> dict:
        """Plain-data summary for the JSON file and the table."""
        return {"clients": self.clients, "seconds": round(self.seconds, 1),
                "requests": self.requests,
                "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0,
                "errors": self.errors, "by_status": dict(sorted(self.by_status.items())),
                "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1),
                "p99_ms": round(self.percentile(99), 1)}


def sign_in_cookie(port: int, username: str, password: str) -> str:
    """The `Cookie` header of a session signed in through the real /login form."""
    from dashboard.auth.login import form_token

    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    base = f"http://{LOOPBACK}:{port}"
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    body = urlencode({"csrf": form_token(page), "username": username,
                      "password": password}).encode()
    opener.open(Request(f"{base}/login", data=body, method="POST"), timeout=30).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "gridcmd_session" not in cookies:
        raise RuntimeError("the load benchmark could not sign in")
    return cookies


def wait_until_up(port: int, seconds: float = 120) -> None:
    """Wait for /healthz to answer 200 (the server process is starting)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server on port {port} did not answer /healthz in {seconds:.0f} s")


def run_load(port: int, cookie: str, paths: list[str], clients: int,
             seconds: float) -> LoadResult:
    """`clients` threads asking `paths` round-robin for `seconds` over loopback."""
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"clients must lie within 1..{MAX_CLIENTS}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must lie within 1..{MAX_SECONDS}")
    result = LoadResult(clients=clients, seconds=seconds)
    lock = threading.Lock()
    start = threading.Event()
    deadline: list[float] = []

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        headers = {"Cookie": cookie, "Accept-Encoding": "gzip"}
        statuses: Counter = Counter()
        times: list[float] = []
        i = index
        start.wait()
        while time.monotonic() < deadline[0]:
            path = paths[i % len(paths)]
            i += 1
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                status = str(answer.status)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
            times.append((time.perf_counter() - began) * 1000)
            statuses[status] += 1
        conn.close()
        with lock:
            result.by_status.update(statuses)
            result.latencies_ms.extend(times)
            result.requests += sum(statuses.values())

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline.append(began + seconds)
    start.set()
    for thread in threads:
        thread.join(seconds + 120)
    result.seconds = time.monotonic() - began
    return result
