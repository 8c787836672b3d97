"""Legend rows name a key of their layer's style instead of repeating its colour.

tests/unit/data/legends.json was written from the catalogue before the legends were converted
(every layer's `(label_zh, label_en, colour, dashed, glyph)`): the resolved legends must equal it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from layers import REGISTRY, Layer, LegendEntry, Registry

ROOT = Path(__file__).resolve().parents[2]
ORACLE = json.loads((Path(__file__).parent / "data" / "legends.json").read_text("utf-8"))
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def _rows(layer: Layer) -> list[list[Any]]:
    return [[e.label_zh, e.label_en, e.colour, e.dashed, list(e.glyph) if e.glyph else None]
            for e in layer.legend]


def _style_colours(value: Any) -> set[str]:
    """Every colour literal anywhere in a style (base, classes, flags, nested options)."""
    if isinstance(value, dict):
        return set().union(*(_style_colours(v) for v in value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*(_style_colours(v) for v in value)) if value else set()
    if isinstance(value, str):
        return {c.lower() for c in COLOUR.findall(value)}
    return set()


def _layer(legend: tuple[LegendEntry, ...], style: dict[str, Any]) -> Layer:
    return Layer(id="shops", title_zh="商铺", title_en="Shops", kind="point", query="layer_units",
                 legend=legend, style=style)


def test_the_catalogue_has_exactly_the_layers_of_the_oracle() -> None:
    assert [layer.id for layer in REGISTRY.all()] == list(ORACLE)


@pytest.mark.parametrize("layer", REGISTRY.all(), ids=lambda layer: layer.id)
def test_resolved_legend_equals_the_legend_before_conversion(layer: Layer) -> None:
    assert _rows(layer) == ORACLE[layer.id]
    # And what GET /api/layers sends is built from the resolved entries.
    described = layer.describe()["legend"]
    assert [[d["label"]["zh"], d["label"]["en"], d["colour"], d["dashed"], d["glyph"]]
            for d in described] == ORACLE[layer.id]


@pytest.mark.parametrize("layer", REGISTRY.all(), ids=lambda layer: layer.id)
def test_no_literal_legend_colour_repeats_a_colour_of_the_style(layer: Layer) -> None:
    colours = _style_colours(layer.style)
    for entry in layer.legend:
        if entry.key is None:
            assert entry.colour.lower() not in colours, (
                f"{layer.id}: {entry.label_en!r} repeats {entry.colour}; name its style key")


def test_an_unknown_class_key_is_refused_naming_layer_and_key() -> None:
    style = {"base": {"color": "#ffffff"}, "by": "kind",
             "classes": {"shop": {"fillColor": "#8e44ad"}}, "flags": {"closed": {"color": "#000"}}}
    with pytest.raises(ValueError, match=r"layer shops: .*'Shoop'.*'shoop'") as info:
        _layer((LegendEntry.of("shoop", "商铺", "Shoop"),), style)
    assert "known: base, shop, closed" in str(info.value)
    for hostile in ("", "__class__", "classes", "Shop", "shop ", "by", "fillColor"):
        with pytest.raises(ValueError, match=f"layer shops: .*{re.escape(repr(hostile))}"):
            _layer((LegendEntry.of(hostile, "商铺", "Shop"),), style)


def test_an_unknown_key_in_the_catalogue_stops_its_registration() -> None:
    context = REGISTRY.get("context")
    registry = Registry()
    with pytest.raises(ValueError, match=r"layer context: .*'canal'"):
        registry.register(Layer(
            id=context.id, title_zh=context.title_zh, title_en=context.title_en, kind="line",
            query=context.query, style=context.style,
            legend=(LegendEntry.of("canal", "运河", "Canal", paint="stroke"),)))
    assert len(registry) == 0


def test_base_without_a_base_style_and_a_missing_colour_are_refused() -> None:
    with pytest.raises(ValueError, match=r"layer shops: .*'base'"):
        _layer((LegendEntry.of("base", "商铺", "Shop"),), {"classes": {"a": {"color": "#111"}}})
    # The class has no fillColor (and the base none to fall back to): say which is missing.
    with pytest.raises(ValueError, match=r"layer shops: .*'a' has no fillColor"):
        _layer((LegendEntry.of("a", "商铺", "Shop"),), {"classes": {"a": {"color": "#111"}}})
    with pytest.raises(ValueError, match=r"'a' has no color"):
        _layer((LegendEntry.of("a", "商铺", "Shop", paint="stroke"),),
               {"classes": {"a": {"fillColor": "#111"}}})


def test_an_entry_needs_a_colour_or_a_key_and_a_known_paint() -> None:
    with pytest.raises(ValueError, match="needs a colour or a style key"):
        LegendEntry("商铺", "Shop")
    with pytest.raises(ValueError, match="paint"):
        LegendEntry.of("base", "商铺", "Shop", paint="glow")  # type: ignore[arg-type]


def test_a_key_both_class_and_flag_is_refused() -> None:
    style = {"classes": {"x": {"color": "#111"}}, "flags": {"x": {"color": "#222"}}}
    with pytest.raises(ValueError, match=r"layer shops: legend key 'x' is both"):
        _layer((LegendEntry.of("x", "商铺", "Shop", paint="stroke"),), style)


def test_resolution_follows_the_style_as_the_map_draws_it() -> None:
    style = {
        "base": {"color": "#555555", "fillColor": "#eeeeee", "dashArray": ""},
        "classes": {
            "plain": {"fillColor": "#8da0cb"},
            "dashed": {"color": "#a05a00", "dashArray": "5 4"},
            "badge": {"fillColor": "#8c510a", "glyph": {"zh": "储", "en": "D"}},
        },
        "flags": {"caretaker": {"color": "#6a1b9a", "dashArray": "6 4"}},
    }
    layer = _layer((
        LegendEntry.of("plain", "a", "A"),
        LegendEntry.of("plain", "b", "B", paint="stroke"),  # no own color: the base's
        LegendEntry.of("dashed", "c", "C", paint="stroke"),
        LegendEntry.of("dashed", "d", "D"),  # no own fillColor: the base's
        LegendEntry.of("badge", "e", "E"),
        LegendEntry.of("caretaker", "f", "F", paint="stroke"),
        LegendEntry.of("base", "g", "G"),
        LegendEntry("h", "H", "#123456", dashed=True),
    ), style)
    assert _rows(layer) == [
        ["a", "A", "#8da0cb", False, None],
        ["b", "B", "#555555", False, None],
        ["c", "C", "#a05a00", True, None],
        ["d", "D", "#eeeeee", True, None],
        ["e", "E", "#8c510a", False, ["储", "D"]],
        ["f", "F", "#6a1b9a", True, None],
        ["g", "G", "#eeeeee", False, None],
        ["h", "H", "#123456", True, None],
    ]


def test_the_architecture_example_layer_is_true() -> None:
    # The shops example of ARCHITECTURE.md, run as written against a fresh registry.
    text = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
    block = re.search(r"```python\n# layers/catalog.py\n(register\(Layer\(.*?\n\)\))\n", text,
                      re.DOTALL)
    assert block, "ARCHITECTURE.md lost its shops layer example"
    registry = Registry()
    exec(block.group(1), {"register": registry.register, "Layer": Layer,  # noqa: S102
                          "LegendEntry": LegendEntry})
    shops = registry.get("shops")
    assert _rows(shops) == [["商铺", "Shop", "#8e44ad", False, None]]
    assert "#8e44ad" not in re.search(r"legend=\(.*\),\)", block.group(1)).group(0)
