"""The briefing over HTTP: POST /export/briefing.pdf with a config in the body, or GET with
?config=<name> of a file in <GRIDCMD_HOME>/briefings; a bad config answers 400 naming the key."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.export.http import briefing_folder
from tests.clients import api_client
from tests.ui.serving import serve
from tests.ui.test_print_h3_lang import signed_in

pytestmark = pytest.mark.ui

TITLE = "马驹桥镇每日简报"
GOOD = {"title": TITLE, "since": "2026-09-01", "until": "2026-09-30", "views": [
    {"title": "全镇小区", "layers": ["communities", "compounds", "town"]},
    {"title": "人口压力", "layers": "town", "h3": "population"},
]}


def _pdf_text(data: bytes, folder: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    pdf = folder / "briefing.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return len(PdfReader(pdf).pages), text


@pytest.mark.parametrize(("body", "mimetype", "key"), [
    (json.dumps({**GOOD, "views": [{"title": "甲", "layers": "compounds,roofs"}]}),
     "application/json", "views[1].layers"),
    (json.dumps({**GOOD, "views": []}), "application/json", "views"),
    (json.dumps({**GOOD, "since": "2026-10-01"}), "application/json", "since"),
    (json.dumps({**GOOD, "views": [{"title": "甲", "layers": "town", "h3": "roofs"}]}),
     "application/json", "views[1].h3"),
    (json.dumps({**GOOD, "colour": "red"}), "application/json", "colour"),
    ('title = "x"\n[[views]]\ntitle = "甲"\nlayers = "town"\nbbox = "116.6,39.7,116.5"\n',
     "application/toml", "views[1].bbox"),
    ("title: x\nviews:\n  - title: 甲\n    layers: [town]\nsize: 10x10\n",
     "application/yaml", "size"),
    ("title = \n", "application/toml", "config"),
    ("", "application/json", "config"),
])
def test_bad_posted_config_answers_400_naming_the_key(settings, shared_demo_url: str, body: str,
                                                      mimetype: str, key: str) -> None:
    with api_client(settings, shared_demo_url) as client:
        answer = client.post("/export/briefing.pdf", data=body.encode(), content_type=mimetype)
    assert answer.status_code == 400, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/json"
    found = answer.get_json()
    assert found["parameter"] == key
    assert key in found["message"] or key == "config"  # "not valid TOML" names no key


def test_named_config_must_be_a_plain_name_and_exist(settings, shared_demo_url: str,
                                                     tmp_path: Path) -> None:
    local = settings.model_copy(update={"home": tmp_path})
    folder = briefing_folder(local)
    folder.mkdir()
    (folder / "broken.toml").write_text('[[views]]\ntitle = "甲"\nlayers = "roofs"\n',
                                        encoding="utf-8")
    with api_client(local, shared_demo_url) as client:
        assert client.get("/export/briefing.pdf?config=../secret").status_code == 400
        assert client.get("/export/briefing.pdf").get_json()["parameter"] == "config"
        assert client.get("/export/briefing.pdf?config=nothing").status_code == 404
        broken = client.get("/export/briefing.pdf?config=broken")
    assert broken.status_code == 400
    assert broken.get_json()["parameter"] == "views[1].layers"
    assert "broken.toml: views[1].layers" in broken.get_json()["message"]


def test_posted_json_config_gives_the_briefing_pdf(page, server: str, tmp_path: Path) -> None:
    page = signed_in(page, server)
    answer = page.request.post(f"{server}/export/briefing.pdf", data=json.dumps(GOOD),
                               headers={"Content-Type": "application/json"}, timeout=120_000)
    assert answer.status == 200, answer.text()[:300]
    assert answer.headers["content-type"] == "application/pdf"
    pages, text = _pdf_text(answer.body(), tmp_path)
    assert pages == 1 + 2
    for expected in (TITLE, "人口压力", "常住人口", "2026-09-01", "2026-09-30", "数据截至"):
        assert expected in text, f"{expected!r} missing from the PDF text"


@pytest.fixture(scope="module")
def named_server(ui_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose GRIDCMD_HOME holds briefings/daily.yaml."""
    home = tmp_path_factory.mktemp("briefing-home")
    (home / "briefings").mkdir()
    (home / "briefings" / "daily.yaml").write_text(
        f"title: {TITLE}\ndays: 7\nlang: en\nviews:\n  - title: Town\n    layers: [town]\n",
        encoding="utf-8")
    with serve(ui_db_url, home / "serve.log", home=str(home)) as base:
        yield base


def _named_briefing(browser, server: str, config: str, folder: Path,
                    timeout_ms: int) -> tuple[int, str]:
    """Pages and text of GET /export/briefing.pdf?config=<config>, asked by a signed-in
    browser of its own; the PDF is left in folder/briefing.pdf."""
    context = browser.new_context()
    try:
        page = signed_in(context.new_page(), server)
        answer = page.request.get(f"{server}/export/briefing.pdf?config={config}",
                                  timeout=timeout_ms)
        assert answer.status == 200, answer.text()[:300]
        return _pdf_text(answer.body(), folder)
    finally:
        context.close()


def test_named_config_gives_the_briefing_pdf(browser, named_server: str,
                                             tmp_path: Path) -> None:
    pages, text = _named_briefing(browser, named_server, "daily", tmp_path, 120_000)
    assert pages == 2
    assert TITLE in text and "Data as of" in text and "Residents" in text


def test_default_config_without_a_file_is_the_example_briefing(browser, named_server: str,
                                                                tmp_path: Path) -> None:
    # The map's 下载每日简报 link asks for config=default; a fresh install has no such file.
    from tests.ui.pdf_pages import page_sizes

    pages, text = _named_briefing(browser, named_server, "default", tmp_path, 180_000)
    assert pages == 1 + 5
    assert "马驹桥镇每日简报" in text and "近两周病例" in text and "三无小区" in text
    assert all(width > height for width, height in page_sizes(tmp_path / "briefing.pdf"))
