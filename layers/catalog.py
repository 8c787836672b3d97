"""Every layer of the command map, declared once. Declaration order is drawing order."""

from __future__ import annotations

from layers.model import Layer, LegendEntry
from layers.registry import Registry

REGISTRY = Registry()
register = REGISTRY.register

# Context first, so rivers and roads lie under the administrative polygons' light fills.
register(Layer(
    id="context", title_zh="河流道路", title_en="Rivers and roads", kind="line",
    query="layer_context", interactive=False, tooltip=("name",),
    style={
        "base": {"color": "#b8ae9c", "weight": 2, "opacity": 0.9, "fillOpacity": 0},
        "by": "kind",
        "classes": {
            "river": {"color": "#5b9bd5", "weight": 4},
            "water": {"color": "#5b9bd5", "weight": 1, "fillColor": "#a9cbeb", "fillOpacity": 0.7},
            "road": {"color": "#c9b99a"},
            "rail": {"color": "#666666", "weight": 2, "dashArray": "8 4"},
            "park": {"color": "#8bc48a", "weight": 1, "fillColor": "#c8e6c9",
                     "fillOpacity": 0.6},
        },
        # Expressways and the ring road (rank 1) read as main roads even without a basemap.
        "scale": {"property": "rank", "classes": ["road"],
                  "options": {"weight": {"1": 5, "2": 3, "3": 1.5}}},
    },
    legend=(
        LegendEntry("河流水面", "River / water", "#5b9bd5"),
        LegendEntry("道路", "Road", "#c9b99a"),
        LegendEntry("铁路", "Railway", "#666666", dashed=True),
        LegendEntry("公园绿地", "Park", "#8bc48a"),
    ),
))

register(Layer(
    id="communities", title_zh="社区/村", title_en="Communities / villages", kind="polygon",
    query="layer_communities", tooltip=("name", "kind", "code"), detail_kind="community",
    style={
        "base": {"weight": 2, "opacity": 0.9, "fillOpacity": 0.10},
        "by": "kind",
        "classes": {
            "community": {"color": "#3f6fb5", "fillColor": "#6f9bd8"},
            "village": {"color": "#5a9a4e", "fillColor": "#9fd08f"},
        },
    },
    legend=(
        LegendEntry("社区", "Urban community", "#3f6fb5"),
        LegendEntry("村", "Village", "#5a9a4e"),
    ),
))

register(Layer(
    id="grids", title_zh="网格", title_en="Grids", kind="polygon",
    query="layer_grids", tooltip=("name", "code", "community_name"), detail_kind="grid",
    style={"base": {"color": "#7a6a8f", "weight": 1, "opacity": 0.8, "fillColor": "#ffffff",
                    "fillOpacity": 0.02}},
    legend=(LegendEntry("网格边界", "Grid boundary", "#7a6a8f"),),
))

register(Layer(
    id="compounds", title_zh="小区", title_en="Compounds", kind="polygon",
    query="layer_compounds", tooltip=("name", "management", "households", "code"),
    detail_kind="compound",
    style={
        "base": {"weight": 1.5, "opacity": 1, "fillOpacity": 0.35},
        "by": "management",
        "classes": {
            "property": {"color": "#2e7d32", "fillColor": "#66bb6a"},
            "quasi": {"color": "#c77c02", "fillColor": "#ffca28"},
            # 三无 compounds are what the command hall looks for first: loud red, thick edge.
            "three_no": {"color": "#b71c1c", "fillColor": "#e53935", "weight": 3.5,
                         "fillOpacity": 0.55},
        },
        "flags": {
            # 代管: a three-no compound under a temporary party branch keeps its red fill but
            # gets a dashed purple edge, so "managed for now" is visible at a glance.
            "caretaker_branch": {"color": "#6a1b9a", "dashArray": "6 4", "weight": 3.5},
        },
    },
    legend=(
        LegendEntry("物业", "Property company", "#2e7d32"),
        LegendEntry("准物业", "Quasi-property", "#c77c02"),
        LegendEntry("三无小区", "Three-no (unmanaged)", "#e53935"),
        LegendEntry("代管(临时党支部)", "Caretaker branch (代管)", "#6a1b9a", dashed=True),
    ),
))

register(Layer(
    id="buildings", title_zh="建筑", title_en="Buildings", kind="polygon",
    query="layer_buildings", min_zoom=15, tooltip=("address", "use", "floors", "code"),
    detail_kind="building",
    style={
        "base": {"color": "#555555", "weight": 0.6, "opacity": 0.9, "fillOpacity": 0.75},
        "by": "use",
        "classes": {
            "residential": {"fillColor": "#8da0cb"},
            "rental": {"fillColor": "#fc8d62"},
            "mixed": {"fillColor": "#e78ac3"},
            "commercial": {"fillColor": "#ffd92f"},
            "industrial": {"fillColor": "#a6a6a6"},
            "public": {"fillColor": "#66c2a5"},
        },
    },
    legend=(
        LegendEntry("住宅", "Residential", "#8da0cb"),
        LegendEntry("出租房屋", "Rented rooms", "#fc8d62"),
        LegendEntry("商住混合", "Mixed use", "#e78ac3"),
        LegendEntry("商业", "Commercial", "#ffd92f"),
        LegendEntry("工业", "Industrial", "#a6a6a6"),
        LegendEntry("公共设施", "Public", "#66c2a5"),
    ),
))

# The boundary goes last: an unfilled, non-interactive outline drawn over everything.
register(Layer(
    id="town", title_zh="镇界", title_en="Town boundary", kind="polygon",
    query="layer_town", interactive=False, tooltip=("name",),
    style={"base": {"color": "#263238", "weight": 3.5, "opacity": 0.9, "fill": False,
                    "dashArray": "10 6 2 6"}},
    legend=(LegendEntry("镇界", "Town boundary", "#263238", dashed=True),),
))
