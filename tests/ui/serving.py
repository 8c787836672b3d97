"""`gridcmd serve` in a subprocess for the browser tests: a free port, a health wait, cleanup."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.serve_process import free_port, serve_process

__all__ = ["REPO", "child_pids", "free_port", "serve", "sign_in_browser", "wait_healthy"]

REPO = Path(__file__).resolve().parents[2]


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # field 4 (after the parenthesised command name) is the parent pid
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until `base`/healthz answers 200, failing early if the server process died
    (a start takes a few seconds, and over 30 on a machine busy with the rest of the suite)."""
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
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out, serve_process(port, out, env=env, cwd=REPO) as proc:
        wait_healthy(base, proc)
        yield base


def sign_in_browser(context, base: str, role: str = "commander") -> None:
    """Sign a playwright browser context in as the test user with `role` (through /login)."""
    from tests.clients import login_form

    page = context.request.get(f"{base}/login").text()
    answer = context.request.post(f"{base}/login", form=login_form(page, role), max_redirects=0)
    if answer.status != 303:
        raise RuntimeError(f"test user {role} could not sign in: {answer.status}")


_openers: dict[tuple[str, str], urllib.request.OpenerDirector] = {}


def signed_in_get(url: str, role: str = "commander",
                  timeout: float = 90) -> tuple[int, str, bytes]:
    """GET `url` as the test user with `role` (signed in once per server): status, type, body."""
    import http.cookiejar
    from urllib.parse import urlencode, urlsplit

    from tests.clients import login_form

    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    opener = _openers.get((base, role))
    if opener is None:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login", timeout=timeout).read().decode()
        form = urlencode(login_form(page, role))
        opener.open(f"{base}/login", data=form.encode(), timeout=timeout).read()
        _openers[(base, role)] = opener
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def shots(area: str) -> Path:
    """Where browser tests leave screenshots for people to look at: $GRIDCMD_SHOTS/<area>
    (default <tmp>/gridcmd-shots/<area>), created if needed."""
    import tempfile

    root = Path(os.environ.get("GRIDCMD_SHOTS") or Path(tempfile.gettempdir()) / "gridcmd-shots")
    folder = root / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder
