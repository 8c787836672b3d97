"""The catalogue is split by area (dashboard/i18n/<area>.py) and merged without silent overrides."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from dashboard import i18n


def test_every_area_is_merged_and_stays_small():
    for area, module in i18n.AREAS.items():  # every key of every area reaches the catalogue
        for key, entry in module.STRINGS.items():
            assert i18n.STRINGS[key] is entry, f"{area}: {key}"
    for module in i18n.AREAS.values():
        assert len(Path(module.__file__).read_text(encoding="utf-8").splitlines()) < 200


def test_a_key_in_two_areas_fails(monkeypatch):
    twin = SimpleNamespace(STRINGS={"title": {"zh": "另一个标题", "en": "Another title"}})
    monkeypatch.setitem(i18n.AREAS, "twin", twin)
    with pytest.raises(ValueError, match="'title' is defined in both map and twin"):
        i18n._merge()
