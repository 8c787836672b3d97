"""The briefing's TOML config: checked up front, every error naming the file and the key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.export.briefing import BriefingConfigError, load_config
from layers import REGISTRY

TODAY = date(2026, 11, 25)


def _load(tmp_path: Path, text: str):
    path = tmp_path / "daily.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, REGISTRY, today=TODAY)


def test_days_lists_and_size_are_read(tmp_path: Path) -> None:
    brief = _load(tmp_path, 'days = 7\nsize = "1280x720"\n[[views]]\ntitle = "甲"\n'
                            'layers = ["compounds", "town"]\nbbox = [116.5, 39.72, 116.62, 39.8]\n')
    assert (brief.since, brief.until) == ("2026-11-19", "2026-11-25")
    assert brief.title == "每日简报" and brief.size == (1280, 720)
    (view,) = brief.views
    assert view.layers == ("compounds", "town") and view.title == "甲"
    assert view.bbox == (116.5, 39.72, 116.62, 39.8) and view.since == "2026-11-19"


@pytest.mark.parametrize(("text", "key"), [
    ('[[views]]\ntitle = "甲"\nlayers = "compounds"\n[[views]]\ntitle = "乙"\nlayers = "foo"\n',
     "views[2].layers: unknown layer 'foo'"),
    ('title = "x"\n', "views: required"),
    ('[[views]]\nlayers = "compounds"\n', "views[1].title: required"),
    ('[[views]]\ntitle = "甲"\n', "views[1].layers: required"),
    ('[[views]]\ntitle = "甲"\nlayers = "compounds"\nzoom = 3\n', "views[1].zoom: unknown key"),
    ('days = 0\n[[views]]\ntitle = "甲"\nlayers = "compounds"\n', "days: must be"),
    ('days = 3\nsince = 2026-01-01\n[[views]]\ntitle = "甲"\nlayers = "town"\n', "days: give"),
    ('size = "10x10"\n[[views]]\ntitle = "甲"\nlayers = "town"\n', "size: must lie"),
    ('since = "2026-13-01"\n[[views]]\ntitle = "甲"\nlayers = "town"\n', "since:"),
    ('colour = "red"\n', "colour: unknown key"),
    ('title = \n', "not valid TOML"),
])
def test_bad_config_names_the_file_and_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(BriefingConfigError) as caught:
        _load(tmp_path, text)
    assert str(caught.value).startswith("daily.toml: ")
    assert key in str(caught.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(BriefingConfigError, match="cannot read"):
        load_config(tmp_path / "none.toml", REGISTRY)
