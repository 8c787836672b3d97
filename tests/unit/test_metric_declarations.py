"""H3 metrics are declarations in layers/metrics.py: a registry that refuses duplicates, a
legend derived from the class breaks, and the OGC H3 collections agree with them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo.ogc_collections import COLLECTIONS
from geo.privacy import PRIVACY_MIN_COUNT
from layers.metrics import METRICS, Classes, DuplicateMetric, Metric, MetricRegistry

ROOT = Path(__file__).resolve().parents[2]


def _shops() -> Metric:
    return Metric("shops", "商铺", "Shops", query="h3_shops", unit_zh="家", unit_en="shops",
                  classes=Classes((5, 20), ("#eeeeee", "#999999", "#333333")))


def test_registering_a_metric_twice_is_refused_by_name() -> None:
    registry = MetricRegistry()
    registry.register(_shops())
    with pytest.raises(DuplicateMetric, match="'shops'"):
        registry.register(_shops())
    assert len(registry) == 1


@pytest.mark.parametrize("metric_id", list(METRICS))
def test_every_declared_metric_is_refused_a_second_time(metric_id: str) -> None:
    with pytest.raises(DuplicateMetric):
        METRICS.register(METRICS[metric_id])


def test_classes_need_one_colour_more_than_breaks_and_a_name_per_class() -> None:
    with pytest.raises(ValueError):
        Classes((1, 2), ("#000000", "#111111"))
    with pytest.raises(ValueError):
        Classes((1,), ("#000000", "#111111"), names=(("甲", "a"),))


def test_a_new_metric_is_one_declaration_with_a_derived_legend() -> None:
    shops = _shops()
    assert shops.classes.legend("en") == [("#eeeeee", "< 5"), ("#999999", "5–20"),
                                          ("#333333", "≥ 20")]
    assert shops.min_count == PRIVACY_MIN_COUNT and shops.title("zh") == "商铺"
    with pytest.raises(AttributeError):
        shops.id = "other"  # frozen


def test_ogc_h3_collections_agree_with_the_metric_declarations() -> None:
    h3 = [c for c in COLLECTIONS.values() if c.source == "h3"]
    assert h3
    for collection in h3:
        metric = METRICS[collection.metric]
        assert (collection.query, collection.value_kind) == (metric.query, metric.value_kind)
        assert (collection.temporal is not None) == metric.windowed
        assert metric.unit_zh in collection.description_zh
        assert metric.unit_en in collection.description_en


def test_geo_does_not_import_layers_or_dashboard() -> None:
    for path in (ROOT / "geo").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("layers", "dashboard", "dash")), (path, name)
