"""Component ids, defined once (layouts and callbacks both import them from here)."""

MAP = "map"
TITLE = "title"
LANG_SWITCH = "lang-switch"
LAYERS_HEADING = "layers-heading"
LAYER_TOGGLE = "layer-toggle"
LEGEND = "legend"
ZOOM_NOTE = "zoom-note"

# Pattern-matching id type of each layer's dl.GeoJSON: {"type": LAYER_GEOJSON, "layer": <id>}.
LAYER_GEOJSON = "layer-geojson"


def layer_geojson(layer_id: str) -> dict[str, str]:
    """The id of the GeoJSON component drawing layer `layer_id`."""
    return {"type": LAYER_GEOJSON, "layer": layer_id}


def layer_pane(layer_id: str) -> str:
    """Leaflet pane name of a layer (Leaflet gives the pane the class leaflet-<name>-pane)."""
    return f"gc-{layer_id}"

# Shared state between page parts (contracts between the time bar, the layers and the panel):
# TIME_WINDOW holds {"since": "YYYY-MM-DD" | None, "until": "YYYY-MM-DD" | None}; None, None
# means the default window (the last 30 days). SELECTED_REGION holds {"kind", "code"} or None.
TIME_WINDOW = "time-window"
SELECTED_REGION = "selected-region"

# Any GeoJSON that is not a registry layer but whose features are regions (the H3 overlay)
# takes the id {"type": REGION_GEOJSON, "kind": <region kind, e.g. "h3">}; a click on one of
# its features selects the region whose code is the feature's `code`, `cell` or id.
REGION_GEOJSON = "region-geojson"

# Drill-down side panel (dashboard/map/panel.py).
PANEL = "drill-panel"
PANEL_BODY = "drill-panel-body"
PANEL_CLOSE = "drill-panel-close"
PANEL_UNMASK = "drill-panel-unmask"  # officials only: personal data in clear (audited)
PANEL_CRUMB = "drill-crumb"  # pattern: {"type": PANEL_CRUMB, "kind": …, "code": …}

# KPI bar (dashboard/map/kpibar.py); pattern ids {"type": …, "kpi": <figure name>}.
KPI_BAR = "kpi-bar"
KPI_TILE = "kpi-tile"
KPI_VALUE = "kpi-value"
KPI_LABEL = "kpi-label"

# Search box (dashboard/map/search_box.py).
SEARCH_HEADING = "search-heading"
SEARCH_INPUT = "search-input"
SEARCH_RESULTS = "search-results"
SEARCH_HITS = "search-hits"  # store of the last answer: [{kind, code, label, bounds}]
SEARCH_HIT = "search-hit"  # pattern: {"type": SEARCH_HIT, "index": n}

# Time bar (dashboard/map/timebar.py): it alone writes TIME_WINDOW.
TIME_BAR = "time-bar"
TIME_PRESET = "time-preset"
TIME_RANGE = "time-range"
TIME_PLAY = "time-play"
TIME_TICK = "time-tick"
TIME_PLAY_DAY = "time-play-day"
TIME_LABEL = "time-label"
TIME_SPEED = "time-speed"
TIME_SLIDER = "time-slider"
TIME_HISTOGRAM = "time-histogram"

# H3 overlay (dashboard/map/h3_view.py); its GeoJSON is {"type": REGION_GEOJSON, "kind": "h3"}.
H3_HEADING = "h3-heading"
H3_SELECT = "h3-select"
H3_LEGEND = "h3-legend"

# Persistent highlight of the selection or a KPI tile's places (dashboard/map/selection.py).
SELECTION = "selection-geojson"
# Legend collapse button (dashboard/map/legend.py).
LEGEND_TOGGLE = "legend-toggle"
LEGEND_BOX = "legend-box"
