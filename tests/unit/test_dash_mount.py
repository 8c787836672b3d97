"""One helper mounts every Dash page (map, /print/, /wall/): language on <html>, the prefix
without its slash redirected with its query, bad prefixes refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dash import html
from flask import Flask

from dashboard.dash_mount import MAP_ONLY, NOT_DASH, mount_dash
from dashboard.i18n import t

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def test_a_page_at_a_prefix_speaks_its_language_and_redirects_the_bare_path():
    server = Flask("mount_test")
    mount_dash(server, "/board/", "board", ASSETS, "en", html.Div("x"),
               title_key="wall.title", html_class="gc-wall-html")
    client = server.test_client()
    page = client.get("/board/").get_data(as_text=True)
    assert '<html lang="en" class="gc-wall-html">' in page
    assert f"<title>{t('wall.title', 'en')}</title>" in page
    bare = client.get("/board?lang=en&x=1")
    assert bare.status_code == 308 and bare.headers["Location"] == "/board/?lang=en&x=1"
    # a hostile query stays a query on this server
    evil = client.get("/board?next=//evil.example/&a=%0d%0aSet-Cookie:x")
    assert evil.status_code == 308 and evil.headers["Location"].startswith("/board/?")
    assert "\r" not in evil.headers["Location"] and "\n" not in evil.headers["Location"]


def test_chinese_is_zh_cn_and_the_root_app_has_no_redirect():
    server = Flask("mount_root")
    app = mount_dash(server, "/", "root", ASSETS, "fr", html.Div("x"))
    assert '<html lang="zh-CN">' in app.index_string  # any other language falls back
    assert server.test_client().get("/").status_code == 200


@pytest.mark.parametrize("prefix", ["board", "/board", "board/", ""])
def test_a_prefix_without_both_slashes_is_refused(prefix):
    with pytest.raises(ValueError, match="starts and ends with '/'"):
        mount_dash(Flask("bad"), prefix, "bad", ASSETS, "zh", html.Div())


def test_a_page_links_only_its_own_assets_and_the_others_are_still_served():
    server = Flask("mount_assets")
    app = mount_dash(server, "/board/", "board", ASSETS, "zh", html.Div("x"),
                     skip_assets=("print.js", "print.css", "wall.js"))
    client = server.test_client()
    page = client.get("/board/").get_data(as_text=True)
    linked = set(re.findall(r"/assets/([\w.-]+)\?", page))
    assert {"style.css", "map_labels.js", "wall.css"} <= linked
    # skipped by this page, and the files no Dash page links (sign-in, printable call list)
    assert not linked & {"print.js", "print.css", "wall.js", *NOT_DASH}
    # a name is matched whole: a file that merely contains a skipped name stays
    assert re.search(app.config.assets_ignore, "print.js.map") is None
    # left out of the page, not out of the server
    assert client.get("/board/assets/print.js").status_code == 200
    assert set(MAP_ONLY) <= {p.name for p in ASSETS.iterdir()}  # no stale names
