"""Component ids of the map's own parts, defined once (layouts and callbacks both import them
from here). The page-wide ids other features wire to live in dashboard/page_ids.py and are
named here too, so the map's modules take every id from one place."""

from dashboard.page_ids import (  # noqa: F401  (re-exported for the map's own modules)
    H3_SELECT,
    LANG_SWITCH,
    LAYER_GEOJSON,
    LAYER_TOGGLE,
    MAP,
    REGION_GEOJSON,
    SELECTED_REGION,
    TIME_WINDOW,
    layer_geojson,
    layer_pane,
)

TITLE = "title"
LAYERS_HEADING = "layers-heading"
LEGEND = "legend"
ZOOM_NOTE = "zoom-note"

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
H3_LEGEND = "h3-legend"

# Persistent highlight of the selection or a KPI tile's places (dashboard/map/selection.py).
SELECTION = "selection-geojson"
# Legend collapse button (dashboard/map/legend.py).
LEGEND_TOGGLE = "legend-toggle"
LEGEND_BOX = "legend-box"
