"""`gridcmd serve` as a child process on a free loopback port: what runs the real server beside
it (the connection benchmark, the browser tests) starts and stops it the one way here."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_process(port: int, output: IO[bytes] | int = subprocess.DEVNULL, *,
                  env: Mapping[str, str] | None = None, cwd: Path | None = None,
                  stop_wait_s: float = 10) -> Iterator[subprocess.Popen]:
    """`gridcmd serve` on 127.0.0.1:`port` (its output, stderr too, to `output`); on leaving,
    terminated, and killed if it has not stopped after `stop_wait_s`."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=stop_wait_s)
        except subprocess.TimeoutExpired:
            proc.kill()
