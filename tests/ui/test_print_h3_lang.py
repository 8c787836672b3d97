"""The print view's H3 overlay (h3=), language (lang=) and basemap (GRIDCMD_TILE_URL), in the
browser, through GET /export/snapshot.* and through `gridcmd export snapshot`."""

from __future__ import annotations

import http.server
import json
import os
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from dashboard.i18n import t
from layers.metrics import METRICS
from tests.clients import PASSWORD, api_client, username
from tests.ui.serving import REPO, serve
from tests.ui.test_snapshot import PAPER, png_pixels, png_size

pytestmark = pytest.mark.ui

TILE_RGB = (186, 104, 200)  # a colour no layer uses: where it shows, the basemap is drawn
ATTRIBUTION = "测试底图 © tests"
OVERLAY_OPACITY = 0.7  # assets/map_h3.js: fillOpacity of a cell with a value


def signed_in(page, base: str):
    """`page`, signed in as the commander unless its context already is."""
    if page.request.get(f"{base}/api/kpis").status == 401:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", username("commander"))
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
    return page


def _blend(hex_colour: str, under: tuple[int, int, int], alpha: float) -> tuple[int, ...]:
    rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(round(alpha * c + (1 - alpha) * u) for c, u in zip(rgb, under, strict=True))


def _pixels_near(data: bytes, targets: list[tuple[int, ...]], tolerance: int = 3) -> int:
    """How many pixels (every 3rd in each direction) lie within `tolerance` of a target."""
    width, _ = png_size(data)
    rows = png_pixels(data)
    channels = len(rows[0]) // width
    hits = 0
    for row in rows[::3]:
        for x in range(0, width, 3):
            rgb = row[x * channels:x * channels + 3]
            hits += any(all(abs(a - b) <= tolerance for a, b in zip(rgb, target, strict=True))
                        for target in targets)
    return hits


def test_print_view_draws_h3_cells_with_an_english_legend(page, server: str) -> None:
    page = signed_in(page, server)
    page.set_viewport_size({"width": 1200, "height": 800})
    page.goto(f"{server}/print/?layers=town,cases&h3=population&lang=en&size=1200x800")
    page.wait_for_function("() => window.gridcmdReady === true", timeout=20_000)
    assert page.locator(".leaflet-gc-h3-pane path.gc-h3").count() > 10
    assert page.locator(".gc-print-title").inner_text() == t("title", "en")
    legend = page.locator(".gc-print-legend").inner_text()
    for expected in (t("legend", "en"), "Town boundary", "Epidemic cases",
                     METRICS["population"].title("en")):
        assert expected in legend, f"{expected!r} missing from the legend"
    assert page.locator(".gc-print-asof").inner_text().startswith("Data as of ")
    # cells lie under the point layers: the overlay's pane is lower than the cases' pane
    z = page.evaluate("() => ['.leaflet-gc-h3-pane', '.leaflet-gc-cases-pane'].map("
                      "s => getComputedStyle(document.querySelector(s)).zIndex)")
    assert int(z[0]) <= int(z[1])
    assert page.errors == []


def test_png_snapshot_shows_the_h3_colours(page, server: str) -> None:
    page = signed_in(page, server)
    answer = page.request.get(f"{server}/export/snapshot.png?" + urlencode(
        {"layers": "town", "h3": "population", "size": "1280x720"}), timeout=90_000)
    assert answer.status == 200, answer.text()[:300]
    body = answer.body()
    assert png_size(body) == (1280, 720)
    classes = [_blend(c, PAPER, OVERLAY_OPACITY) for c in METRICS["population"].classes.colours]
    assert _pixels_near(body, classes) > 2000, "no H3 cell colours in the picture"


def test_english_pdf_snapshot_has_the_english_legend(page, server: str, tmp_path: Path) -> None:
    page = signed_in(page, server)
    answer = page.request.get(f"{server}/export/snapshot.pdf?" + urlencode(
        {"layers": "compounds,town", "h3": "cases", "lang": "en", "since": "2026-09-01",
         "until": "2026-09-30"}), timeout=90_000)
    assert answer.status == 200, answer.text()[:300]
    pdf = tmp_path / "map.pdf"
    pdf.write_bytes(answer.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("Legend", "Compounds", "Three-no", "Town boundary", "Cases", "Data as of",
                     "Period 2026-09-01 to 2026-09-30", "Source: gridcmd"):
        assert expected in text, f"{expected!r} missing from the PDF text"
    assert "图例" not in text and "数据截至" not in text


@pytest.mark.parametrize(("params", "parameter"), [
    ({"h3": "roofs"}, "h3"),
    ({"lang": "fr"}, "lang"),
])
def test_bad_h3_or_lang_answer_400_naming_them(settings, shared_demo_url: str, params: dict,
                                               parameter: str) -> None:
    with api_client(settings, shared_demo_url) as client:
        answer = client.get(f"/export/snapshot.png?{urlencode(params)}")
    assert answer.status_code == 400
    assert answer.get_json()["parameter"] == parameter


def _cli(out: Path, db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDCMD_")}
    env.update({"GRIDCMD_DATABASE_URL": db_url, "GRIDCMD_LANG": "zh"})
    return subprocess.run([sys.executable, "-m", "dashboard.cli", "export", "snapshot",
                           "--out", str(out), *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_snapshot_takes_h3_and_lang(shared_demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "cases.pdf"
    done = _cli(out, shared_demo_url, "--layers", "town", "--h3", "population", "--lang", "en")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert METRICS["population"].title("en") in text and "Legend" in text


@pytest.mark.parametrize(("args", "parameter"), [
    (("--h3", "roofs"), "h3"), (("--lang", "fr"), "lang")])
def test_cli_bad_h3_or_lang_exits_1_and_writes_nothing(shared_demo_url: str, tmp_path: Path,
                                                        args: tuple, parameter: str) -> None:
    done = _cli(tmp_path / "x.png", shared_demo_url, *args)
    assert done.returncode == 1
    assert parameter in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def _solid_png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = (b"\x00" + bytes(rgb) * size) * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0,
                                                              0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def tile_server() -> Iterator[str]:
    """A real HTTP tile server on 127.0.0.1 answering every tile with one solid colour."""
    tile = _solid_png(TILE_RGB)

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/{{z}}/{{x}}/{{y}}.png"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def basemap_server(ui_db_url: str, tile_server: str,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`gridcmd serve` with GRIDCMD_TILE_URL pointing at the tile server."""
    log = tmp_path_factory.mktemp("basemap") / "serve.log"
    with serve(ui_db_url, log, tile_url=tile_server, tile_attribution=ATTRIBUTION) as base:
        yield base


def test_print_view_draws_the_configured_basemap(browser, basemap_server: str,
                                                 tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="zh-CN")
    try:
        page = signed_in(context.new_page(), basemap_server)
        page.goto(f"{basemap_server}/print/?layers=town&size=1200x800")
        page.wait_for_function("() => window.gridcmdReady === true", timeout=20_000)
        loaded = page.evaluate("() => [...document.querySelectorAll('img.leaflet-tile')]"
                               ".filter(img => img.complete && img.naturalWidth > 0).length")
        assert loaded > 0
        assert ATTRIBUTION in page.locator(".gc-print-source").inner_text()
        shot = page.screenshot(type="png")
        assert _pixels_near(shot, [TILE_RGB]) > 5000, "the basemap's colour is not in the picture"
        snapshot = page.request.get(f"{basemap_server}/export/snapshot.png?" + urlencode(
            {"layers": "town", "size": "800x600"}), timeout=90_000)
        assert snapshot.status == 200, snapshot.text()[:300]
        assert _pixels_near(snapshot.body(), [TILE_RGB]) > 2000
        (tmp_path / "basemap.png").write_bytes(snapshot.body())
    finally:
        context.close()


def test_print_query_round_trips_h3_and_lang() -> None:
    from dashboard.export.params import parse_params
    from layers import REGISTRY

    params = parse_params({"h3": "coverage", "lang": "EN"}, REGISTRY)
    assert (params.h3, params.lang) == ("coverage", "en")
    assert parse_params(params.query(), REGISTRY) == params
    assert json.dumps(params.query())  # plain strings only
