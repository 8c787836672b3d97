"""Masking of personal data (PIPL): names, phones and ID numbers shown to roles without the right.

Every function is total: it accepts anything (None, numbers, odd strings) and returns a str,
never raising, so a caller can mask a whole row without guarding each field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MASK = "*"
# Aggregate counts under this are shown as "<5" to every role (H3 cells, the wall, OGC).
PRIVACY_MIN_COUNT = 5
_MOBILE_DIGITS = 11
_ID_KEEP_HEAD, _ID_KEEP_TAIL = 6, 4


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        return str(value).strip()
    except Exception:  # a broken __str__ must not stop a whole call list from printing
        return ""


def mask_name(value: object) -> str:
    """张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜; a one-character name is fully masked."""
    name = "".join(_text(value).split())  # inner spaces would leak the length of each part
    if len(name) <= 1:
        return MASK * len(name)
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def _national_digits(text: str) -> str:
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    # +86 / 0086 before a mobile number: the country code is not part of what is masked.
    for prefix in ("0086", "86"):
        rest = digits[len(prefix):]
        if digits.startswith(prefix) and len(rest) == _MOBILE_DIGITS and rest.startswith("1"):
            return rest
    return digits


def mask_phone(value: object) -> str:
    """13812345678 → 138****5678 (first 3 and last 4 kept from 8 digits on; shorter: last 2)."""
    text = _text(value)
    digits = _national_digits(text)
    if not digits:
        return MASK * min(len(text), _MOBILE_DIGITS)
    if len(digits) >= 8:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    if len(digits) >= 5:
        return MASK * (len(digits) - 2) + digits[-2:]
    return MASK * len(digits)


def mask_id_number(value: object) -> str:
    """110101199003071234 → 110101********1234: region code and last 4 kept; short ones hidden."""
    text = "".join(_text(value).split()).upper()
    if len(text) <= _ID_KEEP_HEAD + _ID_KEEP_TAIL:
        return MASK * len(text)  # keeping 6 + 4 would reveal (almost) everything
    return (text[:_ID_KEEP_HEAD] + MASK * (len(text) - _ID_KEEP_HEAD - _ID_KEEP_TAIL)
            + text[-_ID_KEEP_TAIL:])


_MASKS = {"name": mask_name, "phone": mask_phone, "id_number": mask_id_number}


def mask_person(row: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a row about a person with its name, phone and ID number masked (empty and
    missing values stay as they are); the one row-level mask every caller uses."""
    return {key: _MASKS[key](value) if key in _MASKS and value else value
            for key, value in row.items()}
