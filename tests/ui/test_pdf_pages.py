"""Every exported PDF page is landscape and shows the whole town inside its map frame."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from dashboard.export.params import PAPERS
from tests.ui.pdf_pages import Raster, dark, page_sizes, to_page, town_extremes, town_view_bbox
from tests.ui.serving import signed_in_get

pytestmark = pytest.mark.ui

MM = 72 / 25.4  # points per millimetre


def _pdf(server: str, tmp_path: Path, **params: str) -> Path:
    status, mimetype, body = signed_in_get(
        f"{server}/export/snapshot.pdf?{urlencode(params)}")
    assert status == 200 and mimetype == "application/pdf", body[:300]
    path = tmp_path / f"snapshot-{params.get('paper', 'default')}.pdf"
    path.write_bytes(body)
    return path


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_snapshot_pdf_is_one_landscape_page_with_the_whole_town(
        server: str, shared_demo_url: str, tmp_path: Path, paper: str) -> None:
    params = {"layers": "town"} | ({"paper": paper} if paper == "A3" else {})
    pdf = _pdf(server, tmp_path, **params)
    (width_mm, height_mm), size = PAPERS[paper]
    [(width, height)] = page_sizes(pdf)
    assert width > height, f"portrait page {width:.0f}x{height:.0f} pt"
    assert abs(width - width_mm * MM) < 2 and abs(height - height_mm * MM) < 2
    with psycopg.connect(shared_demo_url) as conn:
        extremes = town_extremes(conn)
        bbox = town_view_bbox(conn)
    raster = Raster(pdf, 1)
    assert abs(raster.width - size[0]) <= 2 and abs(raster.height - size[1]) <= 2
    for (name, _), (x, y) in zip(extremes.items(), to_page(list(extremes.values()), bbox, size),
                                 strict=True):
        assert 8 <= x <= size[0] - 8 and 8 <= y <= size[1] - 8, f"{name} point off the page"
        # The boundary is drawn there (dashed, so look a few pixels around the vertex).
        assert raster.any_near(x, y, 9, dark), f"no town boundary at its {name}most point"


def test_bad_paper_answers_400_naming_it(server: str) -> None:
    status, _, body = signed_in_get(f"{server}/export/snapshot.pdf?paper=letter")
    assert status == 400 and b'"paper"' in body
