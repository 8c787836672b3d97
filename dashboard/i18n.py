"""The one catalogue of user-facing strings, zh-CN and English (layer titles live on layers)."""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

STRINGS: dict[str, dict[str, str]] = {
    "title": {"zh": "马驹桥镇 基层治理指挥地图",
              "en": "Majuqiao Town · Grassroots Governance Command Map"},
    "layers": {"zh": "图层", "en": "Layers"},
    "legend": {"zh": "图例", "en": "Legend"},
    "language": {"zh": "语言", "en": "Language"},
    "zoom_in_for": {"zh": "放大至{zoom}级显示", "en": "zoom in to {zoom}+"},
    "zoom_now": {"zh": "当前缩放级别 {zoom}", "en": "Zoom level {zoom}"},
    # Tooltip field labels.
    "field.name": {"zh": "名称", "en": "Name"},
    "field.code": {"zh": "编码", "en": "Code"},
    "field.kind": {"zh": "类型", "en": "Type"},
    "field.community_name": {"zh": "所属社区/村", "en": "Community"},
    "field.management": {"zh": "管理方式", "en": "Management"},
    "field.households": {"zh": "户数", "en": "Households"},
    "field.address": {"zh": "地址", "en": "Address"},
    "field.use": {"zh": "用途", "en": "Use"},
    "field.floors": {"zh": "层数", "en": "Floors"},
    # Tooltip values (value.<field>.<stored value>).
    "value.kind.community": {"zh": "社区", "en": "Urban community"},
    "value.kind.village": {"zh": "村", "en": "Village"},
    "value.management.property": {"zh": "物业", "en": "Property company"},
    "value.management.quasi": {"zh": "准物业", "en": "Quasi-property"},
    "value.management.three_no": {"zh": "三无", "en": "Three-no (unmanaged)"},
    "value.use.residential": {"zh": "住宅", "en": "Residential"},
    "value.use.rental": {"zh": "出租房屋", "en": "Rented rooms"},
    "value.use.mixed": {"zh": "商住混合", "en": "Mixed use"},
    "value.use.commercial": {"zh": "商业", "en": "Commercial"},
    "value.use.industrial": {"zh": "工业", "en": "Industrial"},
    "value.use.public": {"zh": "公共设施", "en": "Public"},
    "caretaker": {"zh": "代管(临时党支部)", "en": "Caretaker branch (代管)"},
}


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
