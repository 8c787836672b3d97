"""Component ids of the wall display (its layout and callbacks both import them from here)."""

ROOT = "wall-root"
MAP = "wall-map"
CLOCK = "wall-clock"
CLOCK_TICK = "wall-clock-tick"
AS_OF = "wall-as-of"
BANNER = "wall-banner"
VIEW_NAME = "wall-view-name"
VIEW_LEGEND = "wall-view-legend"
KPIS = "wall-kpis"
KPI_VALUE = "wall-kpi-value"  # pattern: {"type": KPI_VALUE, "kpi": <figure name>}
KPI_TILE = "wall-kpi-tile"  # pattern: {"type": KPI_TILE, "kpi": <figure name>}
TICKER = "wall-ticker"
REFRESH = "wall-refresh"
ROTATE = "wall-rotate"
MEMORY = "wall-memory"  # last good refresh, held alerts, town and hottest-grid extents
CASES = "wall-cases"
OVERDUE = "wall-overdue"
OVERLAY = "wall-h3"
OUTLINE = "wall-hottest-outline"
LOCATION = "wall-location"  # its search carries ?lang=zh|en (and the lead's ?token=)
LANG = "wall-lang"  # the page's language: GRIDCMD_LANG unless the URL names one
TITLE = "wall-title"
TICKER_HEAD = "wall-ticker-head"
KPI_LABEL = "wall-kpi-label"  # pattern: {"type": KPI_LABEL, "kpi": <figure name>}
AREAS = "wall-case-areas"  # the cases view: case counts per community/village ("<5" below 5)
AREA_LABELS = "wall-case-area-labels"  # their counts as text on the map
