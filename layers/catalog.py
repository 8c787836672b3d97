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
        LegendEntry.of("river", "河流水面", "River / water", paint="stroke"),
        LegendEntry.of("road", "道路", "Road", paint="stroke"),
        LegendEntry.of("rail", "铁路", "Railway", paint="stroke"),
        LegendEntry.of("park", "公园绿地", "Park", paint="stroke"),
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
        LegendEntry.of("community", "社区", "Urban community", paint="stroke"),
        LegendEntry.of("village", "村", "Village", paint="stroke"),
    ),
))

register(Layer(
    id="grids", title_zh="网格", title_en="Grids", kind="polygon",
    query="layer_grids", tooltip=("name", "code", "community_name"), detail_kind="grid",
    style={"base": {"color": "#7a6a8f", "weight": 1, "opacity": 0.8, "fillColor": "#ffffff",
                    "fillOpacity": 0.02}},
    legend=(LegendEntry.of("base", "网格边界", "Grid boundary", paint="stroke"),),
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
        LegendEntry.of("property", "物业", "Property company", paint="stroke"),
        LegendEntry.of("quasi", "准物业", "Quasi-property", paint="stroke"),
        LegendEntry.of("three_no", "三无小区", "Three-no (unmanaged)"),
        LegendEntry.of("caretaker_branch", "代管(临时党支部)", "Caretaker (temporary Party branch)",
                       paint="stroke"),
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
        LegendEntry.of("residential", "住宅", "Residential"),
        LegendEntry.of("rental", "出租房屋", "Rented rooms"),
        LegendEntry.of("mixed", "商住混合", "Mixed use"),
        LegendEntry.of("commercial", "商业", "Commercial"),
        LegendEntry.of("industrial", "工业", "Industrial"),
        LegendEntry.of("public", "公共设施", "Public"),
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
        LegendEntry.of("fresh", "30天内更新", "Updated < 30 days"),
        LegendEntry.of("recent", "30–90天", "30–90 days"),
        LegendEntry.of("aging", "90–180天", "90–180 days"),
        LegendEntry.of("stale", "超过180天", "Over 180 days"),
        LegendEntry.of("none", "无一户一表", "No household forms"),
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
        LegendEntry.of("good", "解决率 ≥ 95%", "Solved ≥ 95 %"),
        LegendEntry.of("fair", "85%–95%", "85–95 %"),
        LegendEntry.of("poor", "< 85%", "Below 85 %"),
        LegendEntry.of("none", "无诉求", "No tickets"),
    ),
))

# The 应急动员 gaps of the operations drawer on the map (off by default): grids without an
# on-duty grid worker loud, those only without a building head quieter.
register(Layer(
    id="worker_gaps", title_zh="无在岗网格员/楼门长的网格", title_en="Grids missing on-duty staff",
    kind="polygon", query="layer_worker_gaps", default_visible=False, detail_kind="grid",
    tooltip=("name", "workers_on_duty", "heads_on_duty"),
    style={
        "base": {"weight": 2.5, "opacity": 0.95, "fillOpacity": 0.35},
        "by": "gap",
        "classes": {
            "no_grid_worker": {"color": "#7f0000", "fillColor": "#d7301f"},
            "no_building_head": {"color": "#a05a00", "fillColor": "#fdae61", "fillOpacity": 0.2,
                                 "dashArray": "5 4"},
        },
    },
    legend=(
        LegendEntry.of("no_grid_worker", "无在岗网格员", "No grid worker on duty"),
        LegendEntry.of("no_building_head", "仅缺在岗楼门长", "Only no building head on duty"),
    ),
))

# Published containment zones (newest version of the town's plan); lifted zones turn grey.
register(Layer(
    id="zones", title_zh="封控管控区域", title_en="Containment zones", kind="polygon",
    query="layer_zones", default_visible=False, tooltip=("level", "residents", "status"),
    map_label=("{level} · {residents}人", "{level} · {residents} residents"),
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
        LegendEntry.of("containment", "封控区", "Containment zone"),
        LegendEntry.of("control", "管控区", "Control zone"),
        LegendEntry.of("prevention", "防范区", "Prevention zone"),
        # the dashed grey edge the map draws (the swatch used to be a third grey, #9e9e9e)
        LegendEntry.of("lifted", "已解封", "Lifted", paint="stroke"),
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
        LegendEntry.of("enterprise", "企业", "Enterprise"),
        LegendEntry.of("institution", "机关事业单位", "Institution"),
        LegendEntry.of("office_building", "商务楼宇", "Office building"),
        LegendEntry.of("industrial_park", "产业园区", "Industrial park"),
        LegendEntry.of("eatery", "餐饮", "Eatery"),
        LegendEntry.of("grocery", "便利店/超市", "Grocery"),
        LegendEntry.of("hair_beauty", "美容美发", "Hair / beauty"),
        LegendEntry.of("small_hotel", "小旅馆", "Small hotel"),
        LegendEntry.of("internet_cafe", "网吧", "Internet cafe"),
    ),
))

register(Layer(
    id="tickets", title_zh="12345诉求", title_en="12345 tickets", kind="point",
    query="layer_tickets", windowed=True, cluster=True, in_snapshots=True,
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
        LegendEntry.of("overdue", "已超时", "Overdue"),
        LegendEntry.of("soon", "2小时内到期", "Due within 2 h"),
        LegendEntry.of("waiting", "待派遣", "Awaiting dispatch"),
        LegendEntry.of("working", "办理中", "In hand"),
        LegendEntry.of("closed", "已办结", "Closed"),
        # Cluster bubbles (assets/map_clusters.js) take the colour of the worst ticket inside;
        # their colours live in assets/style.css (.cluster-*), not in the style.
        LegendEntry("聚合·含未响应/超时", "Cluster · unanswered / overdue", "#c62828"),
        LegendEntry("聚合·含在办", "Cluster · some open", "#f0a030"),
        LegendEntry("聚合·全部办结", "Cluster · all solved", "#9aa5b1"),
    ),
))

register(Layer(
    id="cases", title_zh="病例", title_en="Epidemic cases", kind="point",
    query="layer_cases", windowed=True, tooltip=("category", "reported", "grid_code"),
    # A case drawn at its building is health data about the people living there: no-store.
    personal_data=True,
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
        LegendEntry.of("confirmed", "确诊", "Confirmed"),
        LegendEntry.of("asymptomatic", "无症状", "Asymptomatic"),
        LegendEntry.of("close_contact", "密接", "Close contact"),
        LegendEntry.of("secondary_contact", "次密接", "Secondary contact"),
    ),
))

register(Layer(
    id="resources", title_zh="应急资源", title_en="Emergency resources", kind="point",
    query="layer_resources", min_zoom=14, tooltip=("name", "kind", "capacity", "reach_m"),
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
        LegendEntry.of("depot", "物资储备点", "Supply depot"),
        LegendEntry.of("clinic", "医疗点", "Clinic"),
        LegendEntry.of("checkpoint", "卡口", "Checkpoint"),
        LegendEntry.of("team", "应急队伍", "Response team"),
        LegendEntry.of("device", "智能设备", "Smart device"),
        LegendEntry.of("shelter", "避难场所", "Shelter"),
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
        LegendEntry.of("grid_worker", "网格员", "Grid worker"),
        LegendEntry.of("building_head", "楼门长", "Building head"),
        LegendEntry.of("street_head", "街巷长", "Street head"),
        LegendEntry.of("party_member", "党员", "Party member"),
        LegendEntry.of("volunteer", "志愿者", "Volunteer"),
    ),
))

# The boundary goes last: an unfilled, non-interactive outline drawn over everything.
register(Layer(
    id="town", title_zh="镇界", title_en="Town boundary", kind="polygon",
    query="layer_town", interactive=False, tooltip=("name",),
    style={"base": {"color": "#263238", "weight": 3.5, "opacity": 0.9, "fill": False,
                    "dashArray": "10 6 2 6"}},
    legend=(LegendEntry.of("base", "镇界", "Town boundary", paint="stroke"),),
))

# Place names last, above everything (the H3 colours and the markers too: a name half hidden by a
# ticket bubble is no name): text with a light halo, never clickable. One label point
# per feature comes from SQL (with the zoom it starts at); assets/map_labels.js drops the
# lower-priority labels that would overlap. Snapshots draw them too (real text in PDFs).
register(Layer(
    id="labels", title_zh="地名标注", title_en="Place names", kind="point",
    query="layer_labels", min_zoom=12, interactive=False, tooltip=(), romanise=("name",),
    in_snapshots=True, thinned_by_zoom=True,
    # The label text colours live in assets/style.css (.gc-label-*), not in the style.
    legend=(
        LegendEntry("社区/村、网格名称", "Community, village, grid names", "#24457a"),
        LegendEntry("道路、河流名称", "Road and river names", "#1f5f9a"),
    ),
    style={"marker": "label", "by": "kind"},
))
