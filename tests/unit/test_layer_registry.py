"""The layer registry and catalog: unique ids, complete declarations, existing queries."""

from __future__ import annotations

from importlib import resources

import pytest

from layers import REGISTRY, DuplicateLayer, Layer, LegendEntry, Registry, UnknownLayer


def _layer(layer_id: str = "x") -> Layer:
    return Layer(id=layer_id, title_zh="测试", title_en="Test", kind="polygon",
                 query="layer_grids", legend=(LegendEntry("测试", "Test", "#000000"),))


def test_register_refuses_a_duplicate_id() -> None:
    registry = Registry()
    registry.register(_layer("a"))
    with pytest.raises(DuplicateLayer, match="'a'"):
        registry.register(_layer("a"))
    assert len(registry) == 1


def test_get_unknown_id_raises_unknown_layer_which_is_a_key_error() -> None:
    with pytest.raises(UnknownLayer) as info:
        Registry().get("nosuch")
    assert isinstance(info.value, KeyError)
    assert "nosuch" in str(info.value)


def test_all_keeps_declaration_order() -> None:
    registry = Registry()
    for layer_id in ("c", "a", "b"):
        registry.register(_layer(layer_id))
    assert [layer.id for layer in registry.all()] == ["c", "a", "b"]


def test_layer_refuses_a_bad_zoom_range_or_kind() -> None:
    with pytest.raises(ValueError, match="zoom"):
        Layer(id="z", title_zh="z", title_en="z", kind="polygon", query="q", legend=(),
              min_zoom=16, max_zoom=12)
    with pytest.raises(ValueError, match="kind"):
        Layer(id="k", title_zh="k", title_en="k", kind="blob", query="q", legend=())  # type: ignore[arg-type]


def test_the_catalog_refuses_a_second_declaration_of_its_layers() -> None:
    ids = [layer.id for layer in REGISTRY.all()]
    assert {"town", "communities", "grids", "compounds", "buildings", "context"} <= set(ids)
    copy = Registry()
    for layer in REGISTRY.all():
        copy.register(layer)
    for layer in REGISTRY.all():  # declaring any catalog layer again is refused, by name
        with pytest.raises(DuplicateLayer, match=repr(layer.id)):
            copy.register(layer)
    assert len(copy) == len(REGISTRY)


@pytest.mark.parametrize("layer", REGISTRY.all(), ids=lambda layer: layer.id)
def test_every_layer_has_titles_legend_and_an_existing_query(layer: Layer) -> None:
    assert layer.title_zh and layer.title_en
    assert layer.legend
    for entry in layer.legend:
        assert entry.label_zh and entry.label_en and entry.colour.startswith("#")
    sql = resources.files("geo").joinpath("sql", "queries", f"{layer.query}.sql")
    assert sql.is_file(), f"{layer.id}: missing geo/sql/queries/{layer.query}.sql"
    text = sql.read_text(encoding="utf-8")
    assert "%(west)s" in text
    # Polygons and lines are simplified per zoom; points have nothing to simplify.
    assert "%(tolerance)s" in text or layer.kind == "point"
    # A windowed layer must actually filter by the window it is given.
    assert ("%(since)s" in text and "%(until)s" in text) == layer.windowed


def test_buildings_appear_only_from_zoom_15() -> None:
    buildings = REGISTRY.get("buildings")
    assert not buildings.visible_at(14)
    assert buildings.visible_at(15)


def test_three_no_compounds_are_strongly_marked() -> None:
    style = REGISTRY.get("compounds").style
    three_no = style["classes"]["three_no"]
    assert three_no["weight"] > style["base"]["weight"]
    assert style["flags"]["caretaker_branch"]["dashArray"]
