"""The one catalogue of user-facing strings, zh-CN and English (layer titles live on layers).

Each area keeps its strings in its own module (map, auth, panel, export, wall, ops, zones);
they are merged here, and a key defined by two areas fails at import.
"""

from __future__ import annotations

from dashboard.i18n import auth, export, ops, panel, phone, tickets, wall, zones
from dashboard.i18n import map as map_page

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

AREAS = {"map": map_page, "auth": auth, "panel": panel, "export": export, "wall": wall,
         "ops": ops, "zones": zones, "phone": phone,
         "tickets": tickets}


def _merge() -> dict[str, dict[str, str]]:
    """All areas' strings in one dict; a key in two areas raises ValueError."""
    merged: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    for area, module in AREAS.items():
        for key, entry in module.STRINGS.items():
            if key in merged:
                raise ValueError(f"i18n key {key!r} is defined in both {owner[key]} and {area}")
            merged[key] = entry
            owner[key] = area
    return merged


STRINGS: dict[str, dict[str, str]] = _merge()


def normalise(lang: str | None) -> str:
    """'zh' or 'en' (anything else falls back to Chinese)."""
    if lang and lang.lower().startswith("en"):
        return "en"
    return DEFAULT_LANG


def t(key: str, lang: str | None, **values: object) -> str:
    """The string `key` in `lang`, with {placeholders} filled from `values`."""
    entry = STRINGS[key]
    text = entry[normalise(lang)]
    return text.format(**values) if values else text


def value_labels(field: str, lang: str | None) -> dict[str, str]:
    """Display names of the stored values of `field`, e.g. management → {'three_no': '三无'}."""
    prefix = f"value.{field}."
    return {key[len(prefix):]: t(key, lang) for key in STRINGS if key.startswith(prefix)}
