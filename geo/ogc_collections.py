"""The OGC API – Features collections: which rows each serves, declared once, never personal.

A table collection names geo/sql/queries/<query>.sql, a rows query (id, geometry, properties)
filtered by the standard parameters (bbox, window, after); an H3 collection runs one H3 metric's
query (the metric declared in layers/metrics.py; tests check they agree) at one resolution, with
the "<5" rule. Department tokens name these ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["table", "h3"]


@dataclass(frozen=True)
class Collection:
    """One OGC collection: id, zh/en title and description, where its rows come from."""

    id: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    query: str                      # geo/sql/queries/<query>.sql
    source: Source = "table"
    table: str = ""                 # the table whose extent is the collection's extent
    temporal: str | None = None     # the timestamp column `datetime` filters (None: ignored)
    temporal_table: str = "incidents"  # the table holding that column
    metric: str | None = None       # H3 collections: a layers.metrics metric id
    value_kind: str = ""            # H3 collections: the value of a query computing several
    res: int | None = None          # H3 collections: the resolution
    # Vector tiles (ST_AsMVT) from this zoom on; None: no tiles (H3 cells are few and light).
    tiles_min_zoom: int | None = None


class DuplicateCollection(ValueError):
    """A collection with this id is already declared."""


COLLECTIONS: dict[str, Collection] = {}


def declare(collection: Collection) -> Collection:
    """Add a collection; a second one with the same id is refused."""
    if collection.id in COLLECTIONS:
        raise DuplicateCollection(f"OGC collection {collection.id!r} is already declared")
    COLLECTIONS[collection.id] = collection
    return collection


def unknown_collections(names: tuple[str, ...] | list[str]) -> list[str]:
    """The names that are no declared collection, in the order given."""
    return [name for name in names if name not in COLLECTIONS]


# Dense layers tile from a zoom where a tile holds a few thousand features at most (a z12 tile of
# buildings is ~1 MB and ~1 s of SQL): below it their tiles are empty (204).
_TILES_FROM = {"buildings": 14, "units": 13, "shops": 13, "tickets": 13}

for _id, _zh, _en, _dzh, _den, _table, _temporal in (
    ("communities", "社区/村", "Communities / villages", "社区和行政村边界",
     "Boundaries of urban communities and administrative villages", "communities", None),
    ("grids", "网格", "Grids", "网格边界（不含网格员信息）",
     "Grid boundaries (no grid-worker data)", "grids", None),
    ("compounds", "小区", "Compounds", "小区边界及管理类型（物业/准物业/三无）、代管、户数",
     "Compound outlines with management type (property / quasi / three-no), caretaker "
     "branch and households", "compounds", None),
    ("buildings", "建筑", "Buildings", "楼栋轮廓、地址、用途、层数、房间数",
     "Building footprints: address, use, floors, rooms", "buildings", None),
    ("units", "驻区单位", "Units", "驻区单位及五小门店（名称、类型、从业人数）",
     "Enterprises, institutions and small shops: name, kind, employees", "units", None),
    ("shops", "五小门店", "Small shops", "五小门店（餐饮、便利店、美容美发、小旅馆、网吧）",
     "The five kinds of small shops", "units", None),
    ("context", "河流道路", "Rivers and roads", "河流、道路、铁路、公园、水面",
     "Rivers, roads, railways, parks and water", "context_features", None),
    ("tickets", "12345诉求", "12345 tickets",
     "接诉即办诉求点位：来源、类别、状态、时间（不含来电人和地址）",
     "Hotline / patrol / device tickets: source, category, status, times (no caller, no "
     "address)", "incidents", "received_at"),
):
    declare(Collection(_id, _zh, _en, _dzh, _den, query=f"ogc_{_id}", table=_table,
                       temporal=_temporal, tiles_min_zoom=_TILES_FROM.get(_id, 0)))

# metric id: titles, its query and value kind, whether it is windowed, its unit (zh, en)
_H3 = {
    "population": ("人口密度", "Population density", "h3_population", "density", False,
                   "人/平方公里", "residents/km²"),
    "floating_ratio": ("流动/户籍人口比", "Floating / registered ratio", "h3_population",
                       "ratio", False, "流动/户籍", "floating/registered"),
    "tickets": ("12345诉求数", "12345 tickets", "h3_tickets", "", True, "件", "tickets"),
    "coverage": ("应急资源覆盖率", "Resource coverage", "h3_coverage", "", False, "覆盖率",
                 "share covered"),
}
OGC_H3_RESOLUTIONS = (7, 8, 9)

for _metric, (_zh, _en, _query, _kind, _windowed, _uzh, _uen) in _H3.items():
    for _res in OGC_H3_RESOLUTIONS:
        declare(Collection(
            f"h3_{_metric}_r{_res}", f"H3 {_zh}（{_res}级）", f"H3 {_en} (res {_res})",
            f"H3 六边形聚合，单位：{_uzh}；少于5的计数显示为“<5”",
            f"H3 cells, value in {_uen}; counts under 5 show as \"<5\"",
            query=_query, source="h3", table="h3_cells",
            temporal="received_at" if _windowed else None, metric=_metric, value_kind=_kind,
            res=_res))
