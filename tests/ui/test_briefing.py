"""`gridcmd export briefing`: a cover page with the headline figures and one page per view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from dashboard.export.params import PAPERS
from geo.timewindow import TOWN_TZ
from tests.ui.pdf_pages import Raster, page_sizes, saturated, to_page, town_view_bbox
from tests.ui.serving import REPO, signed_in_get

pytestmark = pytest.mark.ui

TITLE = "马驹桥镇每日简报"
VIEWS = [
    ("全镇小区", "communities,compounds,town", None),
    ("诉求分布", ["compounds", "tickets"], None),
    ("网格划分", "grids,town", "116.50,39.72,116.62,39.80"),
    ("全镇网格", "grids", None),
    ("全镇社区", "communities", None),
]


CASES_VIEW = ("近两周病例", "town,grids,cases", None)
MM = 72 / 25.4


def _config(path: Path, views: list, head: str = "") -> Path:
    lines = [head or f'title = "{TITLE}"\nsince = 2026-09-01\nuntil = "2026-09-30"\n']
    for title, layers, bbox in views:
        layers_toml = (f'"{layers}"' if isinstance(layers, str)
                       else "[" + ", ".join(f'"{x}"' for x in layers) + "]")
        lines.append(f'[[views]]\ntitle = "{title}"\nlayers = {layers_toml}\n')
        if bbox:
            lines.append(f'bbox = "{bbox}"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _cli(config: Path, out: Path, db_url: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "GRIDCMD_DATABASE_URL": db_url, "GRIDCMD_LANG": "zh"}
    env.pop("GRIDCMD_TILE_URL", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "export", "briefing",
                           "--config", str(config), "--out", str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180)
    return done, time.perf_counter() - started


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_briefing_has_a_cover_one_landscape_page_per_view_and_the_cases(
        shared_demo_url: str, server: str, tmp_path: Path) -> None:
    # One briefing serves every check (each one takes a Chromium and half a minute): the first
    # view is the two-week cases map of the issue (it used to miss both clusters).
    today = datetime.now(TOWN_TZ).date()
    since, until = (today - timedelta(days=13)).isoformat(), today.isoformat()
    views = [CASES_VIEW, *VIEWS[:4]]
    config = _config(tmp_path / "briefing.toml", views,
                     head=f'title = "{TITLE}"\nsince = {since}\nuntil = "{until}"\n')
    out = tmp_path / "briefing.pdf"
    done, seconds = _cli(config, out, shared_demo_url)
    assert done.returncode == 0, done.stderr
    assert _pages(out) == 1 + 5
    print(f"5-view briefing: {seconds:.1f} s")
    # the goal is 20 s (measured quiet by `gridcmd bench snapshot`); here only a bound that a
    # 2-core machine running the whole suite meets (93.8 s was seen in the full run)
    assert seconds <= 180
    text = _text(out)
    for expected in (TITLE, "诉求分布", "常住人口", "三无小区", since, until):
        assert expected in text, f"{expected!r} missing from the PDF text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.pdf", "briefing.toml"]
    # Every page, the cover too, is the same landscape A4 paper.
    sizes = page_sizes(out)
    assert all(abs(w - 297 * MM) < 2 and abs(h - 210 * MM) < 2 for w, h in sizes), sizes
    _assert_cases_drawn(out, 2, shared_demo_url, server)


def _assert_cases_drawn(pdf: Path, number: int, db_url: str, server: str) -> None:
    """The cases page shows the window's cases where they are: both outbreak clusters."""
    today = datetime.now(TOWN_TZ).date()
    window = {"since": (today - timedelta(days=13)).isoformat(), "until": today.isoformat()}
    with psycopg.connect(db_url) as conn:
        bbox = town_view_bbox(conn)
    query = urlencode({"bbox": ",".join(map(str, bbox)), "zoom": 14, **window})
    status, _, body = signed_in_get(f"{server}/api/layers/cases?{query}")
    assert status == 200
    # Secondary contacts are pale lilac dots; the others are saturated red, orange, purple.
    points = [tuple(f["geometry"]["coordinates"]) for f in json.loads(body)["features"]
              if f["properties"]["category"] != "secondary_contact"]
    assert len(points) >= 5, "the demo town has cases in the last two weeks"
    size = PAPERS["A4"][1]
    spots = to_page(points, bbox, size)
    raster = Raster(pdf, number)
    drawn = [raster.any_near(x, y, 5, saturated) for x, y in spots]
    assert sum(drawn) >= 0.9 * len(spots), f"{sum(drawn)} of {len(spots)} cases drawn"
    xs = [x for (x, _), shown in zip(spots, drawn, strict=True) if shown]
    ys = [y for (_, y), shown in zip(spots, drawn, strict=True) if shown]
    # The two clusters lie far apart (north-centre and south-west of the town).
    assert max(ys) - min(ys) > size[1] / 4 and max(xs) - min(xs) > 20


@pytest.mark.parametrize(("views", "head", "key"), [
    ([("甲", "compounds", None), ("乙", "compounds,roofs", None)], "", "views[2].layers"),
    ([], 'title = "无视图"\n', "views"),
    ([("甲", "compounds", "116.6,39.7,116.5")], "", "views[1].bbox"),
    ([("甲", "compounds", None)], 'since = "2026-10-01"\nuntil = "2026-09-01"\n', "since"),
])
def test_bad_config_exits_1_names_the_key_and_writes_nothing(
        shared_demo_url: str, tmp_path: Path, views: list, head: str, key: str) -> None:
    config = _config(tmp_path / "briefing.toml", views, head=head)
    out = tmp_path / "briefing.pdf"
    done, _ = _cli(config, out, shared_demo_url)
    assert done.returncode == 1
    assert f"briefing.toml: {key}:" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.toml"]
