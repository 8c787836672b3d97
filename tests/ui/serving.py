"""`gridcmd serve` in a subprocess for the browser tests: a free port, a health wait, cleanup."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until `base`/healthz answers 200, failing early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gridcmd serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gridcmd serve did not answer /healthz within {timeout} s")


@contextmanager
def serve(database_url: str, log: Path, **settings: str) -> Iterator[str]:
    """Run `gridcmd serve` over `database_url` with GRIDCMD_<KEY> settings; yield its base URL."""
    port = free_port()
    # only what the test names: no GRIDCMD_* of the developer's shell leaks into the server
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCMD_")}
    env.update({"GRIDCMD_DATABASE_URL": database_url, "GRIDCMD_LANG": "zh"})
    env.update({f"GRIDCMD_{key.upper()}": value for key, value in settings.items()})
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
