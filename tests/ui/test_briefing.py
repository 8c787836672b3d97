"""`gridcmd export briefing`: a cover page with the headline figures and one page per view."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ui.serving import REPO

pytestmark = pytest.mark.ui

TITLE = "马驹桥镇每日简报"
VIEWS = [
    ("全镇小区", "communities,compounds,town", None),
    ("诉求分布", ["compounds", "tickets"], None),
    ("网格划分", "grids,town", "116.50,39.72,116.62,39.80"),
    ("全镇网格", "grids", None),
    ("全镇社区", "communities", None),
]


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


def test_briefing_has_a_cover_and_one_page_per_view(shared_demo_url: str,
                                                   tmp_path: Path) -> None:
    config = _config(tmp_path / "briefing.toml", VIEWS[:3])
    out = tmp_path / "briefing.pdf"
    done, seconds = _cli(config, out, shared_demo_url)
    assert done.returncode == 0, done.stderr
    assert _pages(out) == 1 + 3
    text = _text(out)
    for expected in (TITLE, "诉求分布", "常住人口", "三无小区", "2026-09-01", "2026-09-30"):
        assert expected in text, f"{expected!r} missing from the PDF text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.pdf", "briefing.toml"]
    print(f"3-view briefing: {seconds:.1f} s")


def test_five_view_briefing_time(shared_demo_url: str, tmp_path: Path) -> None:
    config = _config(tmp_path / "briefing.toml", VIEWS, head=f'title = "{TITLE}"\ndays = 7\n')
    out = tmp_path / "briefing.pdf"
    done, seconds = _cli(config, out, shared_demo_url)
    assert done.returncode == 0, done.stderr
    assert _pages(out) == 6
    print(f"5-view briefing: {seconds:.1f} s")
    assert seconds <= 60  # the goal is 20 s; a loaded CI machine gets some slack


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
