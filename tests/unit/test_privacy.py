"""Masking of names, phones and ID numbers: the usual cases, the odd ones, and never an error."""

from __future__ import annotations

import pytest

from geo.privacy import mask_id_number, mask_name, mask_phone


def _stable_id(value: object) -> str:
    """A test id that is the same in every process (a bare object's repr carries its address)."""
    return "object()" if type(value) is object else repr(value)


ODD_VALUES = [None, "", "   ", 0, 12345, 3.5, b"\xff", [], {}, object(), "\u3000", "🙂🙂🙂"]


@pytest.mark.parametrize(("name", "masked"), [
    ("张三丰", "张*丰"), ("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("阿依古丽·买买提", "阿******提"),
    ("张", "*"), ("", ""), (None, ""), ("  王 小 明 ", "王*明"), ("John Smith", "J*******h"),
])
def test_mask_name_keeps_first_and_last_character_only(name, masked):
    assert mask_name(name) == masked


def test_a_two_character_name_keeps_only_the_surname():
    assert mask_name("李四") == "李*"
    assert "四" not in mask_name("李四")


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"), (13812345678, "138****5678"),
    ("138 1234 5678", "138****5678"), ("138-1234-5678", "138****5678"),
    ("+86 138 1234 5678", "138****5678"), ("008613812345678", "138****5678"),
    ("010-67891234", "010****1234"), ("0755-12345678", "075*****5678"),
    ("6789123", "*****23"), ("12345", "***45"),
    ("110", "***"), ("", ""), (None, ""), ("unknown", "*******"),
])
def test_mask_phone_keeps_three_and_four_digits_of_a_full_number(phone, masked):
    assert mask_phone(phone) == masked


def test_mask_phone_never_shows_the_middle_digits():
    assert "1234" not in mask_phone("13812345678")


@pytest.mark.parametrize(("number", "masked"), [
    ("110101199003071234", "110101********1234"), ("11010119900307123x", "110101********123X"),
    ("110101900307123", "110101*****7123"), (" 110101 19900307 1234 ", "110101********1234"),
    ("1101011234", "**********"), ("123", "***"), ("", ""), (None, ""),
])
def test_mask_id_number_keeps_the_first_six_and_last_four(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize("mask", [mask_name, mask_phone, mask_id_number])
@pytest.mark.parametrize("value", ODD_VALUES, ids=_stable_id)
def test_masking_is_total_and_returns_text(mask, value):
    assert isinstance(mask(value), str)


@pytest.mark.parametrize("mask", [mask_name, mask_phone, mask_id_number])
def test_masking_survives_a_value_whose_str_raises(mask):
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert mask(Broken()) == ""
