"""The OGC API benchmark: items of buildings at limit 1000 over HTTP, and a full paged copy of
the buildings by the real ogr2ogr, against an in-process waitress server."""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.settings import Settings
from geo.database import connect
from geo.ogc_collections import COLLECTIONS
from geo.tokens import create_token, revoke_token


@dataclass(frozen=True)
class OgcFigures:
    """What the OGC bench measured."""

    buildings: int
    page_limit: int
    runs: int
    p50_ms: float
    p95_ms: float
    page_bytes: int
    copy_page_size: int
    walk_seconds: float  # every page fetched by following `next` links (no client work)
    copy_seconds: float | None  # None: ogr2ogr is not installed
    copied: int | None


@contextmanager
def _serving(settings: Settings, url: str) -> Iterator[str]:
    """The app under waitress on a free loopback port, in this process; yields its base URL."""
    from waitress.server import create_server

    from dashboard.app import close_app, create_app

    app = create_app(settings, database_url=url)
    server = create_server(app.server, host="127.0.0.1", port=0,
                           threads=max(4, settings.pool_max), ident="gridcmd-bench")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        close_app(app)


def _get(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return answer.read()


def run(settings: Settings, url: str, runs: int, limit: int, page_size: int,
        step: Callable[[str], None] = lambda _: None) -> OgcFigures:
    """Time `runs` items requests at `limit` (first pages and pages deep in the table), then
    one ogr2ogr copy of every building with `page_size`; a temporary token reads them."""
    settings = settings.model_copy(update={"ogc_requests_per_min": 1_000_000})
    with connect(url, settings) as conn:
        token_id, token = create_token(conn, "department", "bench", "bench",
                                       days=1, collections=tuple(COLLECTIONS))
        codes = [r[0] for r in conn.execute("SELECT code FROM buildings ORDER BY code")]
        conn.commit()
    try:
        with _serving(settings, url) as base:
            items = f"{base}/ogc/collections/buildings/items?limit={limit}"
            cursors = [""] + random.Random(7).sample(codes[:-limit], min(runs, len(codes)) - 1)
            for _ in range(2):
                _get(items, token)  # warm-up
            timings, sizes = [], []
            step(f"items at limit {limit}")
            for cursor in cursors[:runs]:
                start = time.perf_counter()
                body = _get(items + (f"&cursor={cursor}" if cursor else ""), token)
                timings.append((time.perf_counter() - start) * 1000)
                sizes.append(len(body))
            step(f"walking every page of {page_size}")
            walk = _walk(f"{base}/ogc/collections/buildings/items?limit={page_size}", token)
            seconds = copied = None
            if shutil.which("ogr2ogr"):
                step(f"ogr2ogr copy, page size {page_size}")
                seconds, copied = _copy(base, token, page_size)
    finally:
        with connect(url, settings) as conn:
            revoke_token(conn, token_id)
            conn.commit()
    timings.sort()
    return OgcFigures(len(codes), limit, len(timings), statistics.median(timings),
                      timings[max(0, round(0.95 * len(timings)) - 1)],
                      int(statistics.median(sizes)), page_size, walk, seconds, copied)


def _walk(url: str, token: str) -> float:
    """Seconds to fetch every page by following `next` links (what a client waits for)."""
    import json

    start = time.perf_counter()
    while url:
        page = json.loads(_get(url, token))
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    return time.perf_counter() - start


def _copy(base: str, token: str, page_size: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="gridcmd-ogc-bench-") as folder:
        out = Path(folder) / "buildings.gpkg"
        start = time.perf_counter()
        done = subprocess.run(["ogr2ogr", "--config", "GDAL_HTTP_HEADERS",
                               f"Authorization: Bearer {token}", "-f", "GPKG", str(out),
                               f"OAPIF:{base}/ogc", "buildings", "-oo",
                               f"PAGE_SIZE={page_size}"],
                              capture_output=True, text=True, timeout=3600)
        seconds = time.perf_counter() - start
        if done.returncode != 0:  # the token is revoked by the caller; its text stays out
            raise RuntimeError(f"ogr2ogr failed after {seconds:.1f} s: "
                               + done.stderr.strip()[-500:].replace(token, "…"))
        info = subprocess.run(["ogrinfo", "-ro", "-so", str(out), "buildings"],
                              check=True, capture_output=True, text=True).stdout
        count = int(info.split("Feature Count:")[1].split()[0])
    return seconds, count
