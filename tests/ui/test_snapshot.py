"""Map snapshots: GET /export/snapshot.png|.pdf and `gridcmd export snapshot`, in Chromium."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.ui.serving import REPO, signed_in_get

pytestmark = pytest.mark.ui

TITLE = "马驹桥镇 基层治理指挥地图"
PAPER = (0xF4, 0xF2, 0xEC)  # the print map's background where nothing is drawn
SHARED_SNAPSHOT = Path("/tmp/gridcmd-snapshot.png")


def _get(url: str) -> tuple[int, str, bytes]:
    return signed_in_get(url)


def _export(server: str, fmt: str, **params: str) -> tuple[int, str, bytes]:
    return _get(f"{server}/export/snapshot.{fmt}?{urlencode(params)}")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def png_pixels(data: bytes) -> list[bytes]:
    """Rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    width, height = png_size(data)
    depth, colour, _, _, interlace = data[24:29]
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else up_left)) & 255
        rows.append(bytes(line))
        previous = rows[-1]
    return rows


def _map_region_colours(data: bytes) -> tuple[int, float]:
    """Distinct colours and the share of non-paper pixels in the picture's central half."""
    width, height = png_size(data)
    rows = png_pixels(data)
    channels = len(rows[0]) // width
    colours, drawn, total = set(), 0, 0
    for y in range(height // 4, 3 * height // 4, 2):
        row = rows[y]
        for x in range(width // 4, 3 * width // 4, 2):
            rgb = tuple(row[x * channels:x * channels + 3])
            colours.add(rgb)
            drawn += rgb != PAPER
            total += 1
    return len(colours), drawn / total


def test_png_export_has_the_requested_size_and_a_drawn_map(server: str) -> None:
    status, mimetype, body = _export(server, "png", size="1280x720",
                                     layers="communities,grids,compounds,town")
    assert status == 200, body[:300]
    assert mimetype == "image/png"
    assert png_size(body) == (1280, 720)
    distinct, drawn_share = _map_region_colours(body)
    assert distinct >= 20, "the map region looks blank"
    assert drawn_share > 0.3  # community fills cover most of the town
    SHARED_SNAPSHOT.write_bytes(body)


def test_pdf_export_has_the_title_legend_and_window_as_text(server: str, tmp_path: Path) -> None:
    status, mimetype, body = _export(server, "pdf", layers="compounds,tickets",
                                     since="2026-09-01", until="2026-09-30")
    assert status == 200, body[:300]
    assert mimetype == "application/pdf" and body[:5] == b"%PDF-"
    pdf = tmp_path / "map.pdf"
    pdf.write_bytes(body)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in (*TITLE.split(), "图例", "小区", "三无小区", "12345诉求", "2026-09-01",
                     "2026-09-30", "数据截至", "马驹桥镇指挥中心"):
        assert expected in text, f"{expected!r} missing from the PDF text"
    assert "网格边界" not in text  # only the chosen layers are in the legend


@pytest.mark.parametrize(("params", "parameter"), [
    ({"bbox": "116.6,39.7,116.5"}, "bbox"),
    ({"layers": "compounds,roofs"}, "layers"),
    ({"size": "100x100"}, "size"),
    ({"since": "2026-10-01", "until": "2026-09-01"}, "since"),
])
def test_bad_export_parameters_answer_400_naming_them(server: str, params: dict,
                                                      parameter: str) -> None:
    status, mimetype, body = _export(server, "png", **params)
    assert status == 400 and mimetype == "application/json"
    answer = json.loads(body)
    assert answer["parameter"] == parameter and parameter in answer["message"]


def test_unknown_export_format_is_404(server: str) -> None:
    assert _get(f"{server}/export/snapshot.gif")[0] == 404


def test_print_view_draws_map_legend_scale_and_north_arrow(page, server: str) -> None:
    page.set_viewport_size({"width": 1200, "height": 800})
    page.goto(server + "/print?layers=compounds,town&size=1200x800&title=测试标题")
    page.wait_for_function("window.gridcmdReady === true", timeout=20_000)
    assert page.locator("path.gc-compounds").count() > 0
    assert page.locator(".gc-print-title").inner_text() == "测试标题"
    for selector in (".leaflet-control-scale", ".gc-print-north", ".gc-print-legend",
                     ".gc-print-source"):
        assert page.locator(selector).is_visible(), selector
    assert page.locator(".gc-toggle, .gc-timebar").count() == 0  # no controls
    assert page.errors == []


def _cli(out: Path, db_url: str, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "GRIDCMD_DATABASE_URL": db_url, "GRIDCMD_LANG": "zh"}
    env.pop("GRIDCMD_TILE_URL", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "export", "snapshot",
                           "--out", str(out), *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    return done, time.perf_counter() - started


def test_cli_writes_a_png_of_the_requested_size(shared_demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "town.png"
    done, seconds = _cli(out, shared_demo_url, "--size", "1600x900")
    assert done.returncode == 0, done.stderr
    assert png_size(out.read_bytes()) == (1600, 900)
    assert [p.name for p in tmp_path.iterdir()] == ["town.png"]  # no temporary file left
    print(f"cold CLI snapshot 1600x900: {seconds:.1f} s")


@pytest.mark.parametrize(("args", "parameter"), [
    (("--bbox", "116.6,39.7,116.5,39.8"), "bbox"),
    (("--layers", "compounds,roofs"), "layers"),
])
def test_cli_bad_parameter_exits_1_and_writes_nothing(shared_demo_url: str, tmp_path: Path,
                                                       args: tuple, parameter: str) -> None:
    out = tmp_path / "town.png"
    done, _ = _cli(out, shared_demo_url, *args)
    assert done.returncode == 1
    assert parameter in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_with_a_bogus_chromium_setting_names_it_and_what_to_install(
        shared_demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "town.png"
    env = {**os.environ, "GRIDCMD_DATABASE_URL": shared_demo_url,
           "GRIDCMD_CHROMIUM": str(tmp_path / "no-such-chromium")}
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "export", "snapshot",
                           "--out", str(out)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "GRIDCMD_CHROMIUM" in done.stderr and "apt-get install chromium" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
