"""The wall's view file: defaults without one, parsed views with one, clear errors otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.settings import Settings
from dashboard.wall.config import DEFAULT_VIEWS, View, WallConfigError, load_views
from geo.errors import GridcmdError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wall.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_default_rotation():
    views = load_views(None)
    assert views == DEFAULT_VIEWS
    assert [v.kind for v in views] == ["overview", "h3", "h3", "h3", "hottest_grid"]
    assert [v.metric for v in views[1:4]] == ["population", "cases", "coverage"]
    assert views[2].days == 14


def test_settings_read_refresh_and_view_file_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GRIDCMD_WALL_REFRESH", "2")
    monkeypatch.setenv("GRIDCMD_WALL_VIEWS", str(tmp_path / "v.toml"))
    settings = Settings()
    assert settings.wall_refresh == 2
    assert settings.wall_views == tmp_path / "v.toml"
    monkeypatch.delenv("GRIDCMD_WALL_REFRESH")
    monkeypatch.delenv("GRIDCMD_WALL_VIEWS")
    assert Settings().wall_refresh == 30 and Settings().wall_views is None


def test_file_views_keep_order_and_take_the_file_wide_seconds(tmp_path):
    path = _write(tmp_path, """
seconds = 15
[[views]]
kind = "overview"
title_zh = "全镇"
[[views]]
id = "tickets"
kind = "h3"
metric = "tickets"
days = 7
seconds = 40
""")
    views = load_views(path)
    assert views == (
        View("overview-1", "overview", seconds=15, title_zh="全镇"),
        View("tickets", "h3", metric="tickets", days=7, seconds=40),
    )


@pytest.mark.parametrize(("text", "key"), [
    ("[[views]]\nkind = 'h3'\nmetric = 'crime'\n", "views[0].metric"),
    ("[[views]]\nkind = 'spin'\n", "views[0].kind"),
    ("[[views]]\nkind = 'overview'\nseconds = 1\n", "views[0].seconds"),
    ("[[views]]\nkind = 'overview'\nseconds = 'long'\n", "views[0].seconds"),
    ("[[views]]\nkind = 'overview'\ncolour = 'red'\n", "views[0].colour"),
    ("[[views]]\nkind = 'overview'\nmetric = 'cases'\n", "views[0].metric"),
    ("[[views]]\nkind = 'h3'\nmetric = 'cases'\ndays = 0\n", "views[0].days"),
    ("[[views]]\nkind = 'overview'\n[[views]]\nkind = 'hottest_grid'\ntitle_en = ''\n",
     "views[1].title_en"),
    ("[[views]]\nid = 'a'\nkind = 'overview'\n[[views]]\nid = 'a'\nkind = 'overview'\n",
     "views.id"),
    ("seconds = 20\n", "'views'"),
    ("view = 1\n[[views]]\nkind = 'overview'\n", "'view'"),
])
def test_bad_file_names_the_file_and_the_key(tmp_path, text, key):
    path = _write(tmp_path, text)
    with pytest.raises(WallConfigError) as caught:
        load_views(path)
    message = str(caught.value)
    assert str(path) in message
    assert key in message
    assert isinstance(caught.value, GridcmdError)


def test_unreadable_or_invalid_toml_is_a_gridcmd_error(tmp_path):
    with pytest.raises(GridcmdError, match="missing.toml"):
        load_views(tmp_path / "missing.toml")
    path = _write(tmp_path, "[[views]\nkind =")
    with pytest.raises(GridcmdError, match="not valid TOML"):
        load_views(path)
