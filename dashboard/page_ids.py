"""The command map page's shared component ids: the parts every feature's callbacks read or
write (the map, the language switch, the time window, the selected region, the layers).

They sit below the feature packages so that zones, ops, tickets and export wire themselves to
the page without importing from map/ (tests/unit/test_package_rooms.py holds that rule);
dashboard/map/ids.py keeps the ids of the map's own parts.
"""

MAP = "map"
LANG_SWITCH = "lang-switch"
LAYER_TOGGLE = "layer-toggle"

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

# The H3 overlay's metric selector (dashboard/map/h3_view.py).
H3_SELECT = "h3-select"
# The containment-zones proposal drawn on the map (dashboard/zones/panel.py): the legend shows
# the zones' rows while it holds zones, whether or not the published zones layer is ticked.
ZONE_PROPOSAL = "zones-proposal"
ZONES_LAYER = "zones"  # the registry's published zones layer (layers/catalog.py), styled alike
