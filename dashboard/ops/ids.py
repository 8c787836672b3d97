"""Component ids of the operations drawer (dashboard/ops/), defined once."""

OPS_BUTTON = "ops-button"
OPS_OPEN = "ops-open"  # store: bool, the drawer is open
OPS_DRAWER = "ops-drawer"
OPS_TITLE = "ops-title"
OPS_CLOSE = "ops-close"
OPS_TABS = "ops-tabs"
OPS_TAB_RANKING = "ops-tab-ranking"
OPS_TAB_FRESHNESS = "ops-tab-freshness"
OPS_TAB_MOBILISATION = "ops-tab-mobilisation"
OPS_AREA_LEVEL = "ops-area-level"  # community | grid ranking
OPS_RANKING = "ops-ranking"
OPS_FRESHNESS = "ops-freshness"
OPS_GAPS = "ops-gaps"
OPS_MOBILISATION_LEVEL = "ops-mobilisation-level"  # I | II | III
OPS_MOBILISATION_TOTALS = "ops-mobilisation-totals"
OPS_PRINT_LINK = "ops-print-link"
