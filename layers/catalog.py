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

# Grid choropleths for operations (off by default): base-data freshness and 接诉即办.
_GRID_FILL = {"color": "#37474f", "weight": 0.8, "opacity": 0.8, "fillOpacity": 0.55}

register(Layer(
    id="freshness", title_zh="基础数据新鲜度", title_en="Base-data freshness", kind="polygon",
    query="layer_freshness", default_visible=False, detail_kind="grid",
    tooltip=("name", "median_age_days", "households"),
    style={
        "base": _GRID_FILL, "by": "age_class",
        "classes": {
            "fresh": {"fillColor": "#1a9850"}, "recent": {"fillColor": "#a6d96a"},
            "aging": {"fillColor": "#fdae61"}, "stale": {"fillColor": "#d73027"},
            "none": {"fillColor": "#9e9e9e"},
        },
    },
    legend=(
        LegendEntry("30天内更新", "Updated < 30 days", "#1a9850"),
        LegendEntry("30–90天", "30–90 days", "#a6d96a"),
        LegendEntry("90–180天", "90–180 days", "#fdae61"),
        LegendEntry("超过180天", "Over 180 days", "#d73027"),
        LegendEntry("无一户一表", "No household forms", "#9e9e9e"),
    ),
))

register(Layer(
    id="hotline", title_zh="接诉即办解决率", title_en="12345 solve rate", kind="polygon",
    query="layer_hotline", default_visible=False, windowed=True, detail_kind="grid",
    tooltip=("name", "tickets", "solve_rate", "response_rate"),
    style={
        "base": _GRID_FILL, "by": "rate_class",
        "classes": {
            "good": {"fillColor": "#1a9850"}, "fair": {"fillColor": "#fee08b"},
            "poor": {"fillColor": "#d73027"}, "none": {"fillColor": "#e0e0e0"},
        },
    },
    legend=(
        LegendEntry("解决率 ≥ 95%", "Solved ≥ 95 %", "#1a9850"),
        LegendEntry("85%–95%", "85–95 %", "#fee08b"),
        LegendEntry("< 85%", "Below 85 %", "#d73027"),
        LegendEntry("无诉求", "No tickets", "#e0e0e0"),
    ),
))

# Published containment zones (newest version of the town's plan); lifted zones turn grey.
register(Layer(
    id="zones", title_zh="封控管控区域", title_en="Containment zones", kind="polygon",
    query="layer_zones", default_visible=False, tooltip=("level", "residents", "status"),
    style={
        "base": {"weight": 2, "opacity": 0.95, "fillOpacity": 0.3},
        "by": "zone_class",
        "classes": {
            "containment": {"color": "#b71c1c", "fillColor": "#e53935", "fillOpacity": 0.45},
            "control": {"color": "#e65100", "fillColor": "#fb8c00"},
            "prevention": {"color": "#c9a600", "fillColor": "#fdd835", "fillOpacity": 0.2},
            "lifted": {"color": "#757575", "fillColor": "#bdbdbd", "fillOpacity": 0.15,
                       "dashArray": "6 4"},
        },
    },
    legend=(
        LegendEntry("封控区", "Containment zone", "#e53935"),
        LegendEntry("管控区", "Control zone", "#fb8c00"),
        LegendEntry("防范区", "Prevention zone", "#fdd835"),
        LegendEntry("已解封", "Lifted", "#9e9e9e", dashed=True),
    ),
))

# Point layers lie above every polygon, so their markers stay hoverable. Markers are drawn by
# gridcmd.points.pointToLayer (assets/map_points.js) from the same plain-data style.
_DOT = {"radius": 5, "color": "#ffffff", "weight": 1, "opacity": 0.9, "fillOpacity": 0.9}

register(Layer(
    id="units", title_zh="驻区单位/五小门店", title_en="Units / small shops", kind="point",
    query="layer_units", min_zoom=14, default_visible=False,
    tooltip=("name", "kind", "shop_kind", "employees"),
    style={
        "base": {**_DOT, "radius": 4},
        "by": "class",  # the shop kind for 五小 shops, the unit kind otherwise
        "classes": {
            "enterprise": {"fillColor": "#1f77b4"},
            "institution": {"fillColor": "#17becf"},
            "office_building": {"fillColor": "#9467bd"},
            "industrial_park": {"fillColor": "#555555", "radius": 6},
            "other": {"fillColor": "#bcbd22"},
            "eatery": {"fillColor": "#ff7f0e"},
            "grocery": {"fillColor": "#2ca02c"},
            "hair_beauty": {"fillColor": "#e377c2"},
            "small_hotel": {"fillColor": "#8c564b"},
            "internet_cafe": {"fillColor": "#d62728"},
        },
    },
    legend=(
        LegendEntry("企业", "Enterprise", "#1f77b4"),
        LegendEntry("机关事业单位", "Institution", "#17becf"),
        LegendEntry("商务楼宇", "Office building", "#9467bd"),
        LegendEntry("产业园区", "Industrial park", "#555555"),
        LegendEntry("餐饮", "Eatery", "#ff7f0e"),
        LegendEntry("便利店/超市", "Grocery", "#2ca02c"),
        LegendEntry("美容美发", "Hair / beauty", "#e377c2"),
        LegendEntry("小旅馆", "Small hotel", "#8c564b"),
        LegendEntry("网吧", "Internet cafe", "#d62728"),
    ),
))

register(Layer(
    id="tickets", title_zh="12345诉求", title_en="12345 tickets", kind="point",
    query="layer_tickets", windowed=True, cluster=True,
    tooltip=("category", "status", "source", "received", "due", "grid_code"),
    style={
        # Open tickets are what the hall chases (接诉即办): overdue ones loudest (a thick dark
        # ring), due-soon ones next; closed ones recede. map_state is computed at query time.
        "base": {**_DOT, "radius": 5},
        "by": "map_state",
        "classes": {
            "overdue": {"fillColor": "#d7191c", "radius": 8, "color": "#3b0000", "weight": 3},
            "soon": {"fillColor": "#ff7f00", "radius": 7, "color": "#5a2d00", "weight": 2},
            "waiting": {"fillColor": "#e7298a", "radius": 6},
            "working": {"fillColor": "#fdd835", "radius": 6},
            "closed": {"fillColor": "#2b83ba", "fillOpacity": 0.6},
        },
    },
    legend=(
        LegendEntry("已超时", "Overdue", "#d7191c"),
        LegendEntry("2小时内到期", "Due within 2 h", "#ff7f00"),
        LegendEntry("待派遣", "Awaiting dispatch", "#e7298a"),
        LegendEntry("办理中", "In hand", "#fdd835"),
        LegendEntry("已办结", "Closed", "#2b83ba"),
    ),
))

register(Layer(
    id="cases", title_zh="病例", title_en="Epidemic cases", kind="point",
    query="layer_cases", windowed=True, tooltip=("category", "reported", "grid_code"),
    # The wall (aggregates only) gets one point per res-8 cell and category, "<5" under five.
    aggregate_query="layer_cases_cells",
    style={
        "base": {**_DOT, "radius": 6, "color": "#3b0d0d"},
        "by": "category",
        "classes": {
            "confirmed": {"fillColor": "#b2182b", "radius": 7},
            "asymptomatic": {"fillColor": "#f46d43"},
            "close_contact": {"fillColor": "#7b3294", "radius": 5},
            "secondary_contact": {"fillColor": "#c2a5cf", "radius": 4},
        },
        # The window's latest cases full strength, its oldest faint (recency 1 → 0).
        "fade": {"property": "recency", "min": 0.25},
    },
    legend=(
        LegendEntry("确诊", "Confirmed", "#b2182b"),
        LegendEntry("无症状", "Asymptomatic", "#f46d43"),
        LegendEntry("密接", "Close contact", "#7b3294"),
        LegendEntry("次密接", "Secondary contact", "#c2a5cf"),
    ),
))

register(Layer(
    id="resources", title_zh="应急资源", title_en="Emergency resources", kind="point",
    query="layer_resources", min_zoom=12, tooltip=("name", "kind", "capacity", "reach_m"),
    style={
        # A square badge with one character per kind: legible in black and white print too.
        # Checkpoints and devices are many and minor: smaller badges (size in px).
        "marker": "glyph",
        "by": "kind",
        "classes": {
            "depot": {"fillColor": "#8c510a", "glyph": {"zh": "储", "en": "D"}},
            "clinic": {"fillColor": "#d7301f", "glyph": {"zh": "医", "en": "C"}},
            "checkpoint": {"fillColor": "#4d4d4d", "glyph": {"zh": "卡", "en": "K"}, "size": 13},
            "team": {"fillColor": "#1a9850", "glyph": {"zh": "队", "en": "T"}},
            "device": {"fillColor": "#4575b4", "glyph": {"zh": "设", "en": "E"}, "size": 13},
            "shelter": {"fillColor": "#762a83", "glyph": {"zh": "避", "en": "S"}},
        },
    },
    legend=(
        LegendEntry("物资储备点", "Supply depot", "#8c510a", glyph=("储", "D")),
        LegendEntry("医疗点", "Clinic", "#d7301f", glyph=("医", "C")),
        LegendEntry("卡口", "Checkpoint", "#4d4d4d", glyph=("卡", "K")),
        LegendEntry("应急队伍", "Response team", "#1a9850", glyph=("队", "T")),
        LegendEntry("智能设备", "Smart device", "#4575b4", glyph=("设", "E")),
        LegendEntry("避难场所", "Shelter", "#762a83", glyph=("避", "S")),
    ),
))

register(Layer(
    id="staff", title_zh="在岗力量", title_en="Staff on duty", kind="point",
    query="layer_staff", min_zoom=14, default_visible=False, tooltip=("role", "grid_name"),
    style={
        "base": {**_DOT, "radius": 4, "color": "#222222"},
        "by": "role",
        "classes": {
            "grid_worker": {"fillColor": "#1b9e77", "radius": 5},
            "building_head": {"fillColor": "#d95f02"},
            "street_head": {"fillColor": "#7570b3"},
            "party_member": {"fillColor": "#c00000"},
            "volunteer": {"fillColor": "#e6ab02"},
        },
    },
    legend=(
        LegendEntry("网格员", "Grid worker", "#1b9e77"),
        LegendEntry("楼门长", "Building head", "#d95f02"),
        LegendEntry("街巷长", "Street head", "#7570b3"),
        LegendEntry("党员", "Party member", "#c00000"),
        LegendEntry("志愿者", "Volunteer", "#e6ab02"),
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
