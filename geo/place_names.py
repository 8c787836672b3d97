"""English forms of Chinese place names (pinyin plus a translated generic part) for map labels.

The demo town and most imported files have Chinese names only; the English view still needs
names a visitor can read aloud and match to road signs, which are in pinyin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache

# Generic endings, tried in order (longer ones first, so 减河 is a canal and not a river).
_GENERIC = (
    ("减河", "Canal"), ("社区", "Community"), ("网格", "Grid"), ("高速", "Expressway"),
    ("公路", "Highway"), ("国道", "National Road"), ("环路", "Ring Road"), ("铁路", "Railway"),
    ("公园", "Park"), ("镇", "Town"), ("村", "Village"), ("河", "River"), ("路", "Road"),
    ("街", "Street"),
)
_GRID_NUMBER = re.compile(r"^(.*?)第\s*(\d+)\s*网格$")  # '第3网格', '一街村第3网格'
_BRACKETS = re.compile(r"[（(]([^)）]*)[)）]")
_NUMBERS = {"六": "6th", "五": "5th", "四": "4th"}


@lru_cache(maxsize=4096)
def english_name(name: str) -> str:
    """'新海南里社区' → 'Xinhainanli Community'; '第3网格' → 'Grid 3'; '一街村第3网格' →
    'Yijie Village Grid 3'; non-Chinese unchanged."""
    name = name.strip()
    grid = _GRID_NUMBER.match(name)
    if grid:
        place = grid.group(1).strip()
        return f"{english_name(place)} Grid {grid.group(2)}" if place else f"Grid {grid.group(2)}"
    if not re.search(r"[\u4e00-\u9fff]", name):
        return name
    bracket = _BRACKETS.search(name)
    if bracket:
        inner = english_name(bracket.group(1))
        return f"{english_name(_BRACKETS.sub('', name))} ({inner})"
    for chinese, english in _GENERIC:
        if name.endswith(chinese) and len(name) > len(chinese):
            core = name[: -len(chinese)]
            if english == "Ring Road" and core in _NUMBERS:
                return f"{_NUMBERS[core]} Ring Road"
            return f"{_pinyin(core)} {english}"
    return _pinyin(name)


def shown_name(name: str | None, lang: str) -> str:
    """A place's name as the page in `lang` shows it: the English form in English (as the map's
    labels), the stored Chinese name otherwise."""
    if not name:
        return name or ""
    return english_name(name) if lang == "en" else name


def _pinyin(text: str) -> str:
    # One word per place name, as on Beijing's road signs ("Majuqiao", not "Ma Ju Qiao").
    # pypinyin loads its dictionaries on import (~0.2 s): only when a name is turned, so a
    # cold `gridcmd export snapshot` or CLI start does not pay for it.
    from pypinyin import lazy_pinyin

    parts = lazy_pinyin(text)
    word = "".join(p.strip() for p in parts)
    return word[:1].upper() + word[1:]


def preload() -> None:
    """Load pypinyin's dictionaries now (~0.3 s of CPU, over a second on a busy machine), e.g.
    in a background thread while a one-off export waits for Chromium: the print view's place
    names are turned into English on the first request for them, which waited for the load."""
    import pypinyin  # noqa: F401


def with_english_names(collection: str, fields: Iterable[str]) -> str:
    """A GeoJSON FeatureCollection text with `<field>_en` added to each feature for `fields`."""
    fields = tuple(fields)
    if not fields:
        return collection
    data = json.loads(collection)
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        for field in fields:
            value = props.get(field)
            if isinstance(value, str) and f"{field}_en" not in props:
                props[f"{field}_en"] = english_name(value)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
