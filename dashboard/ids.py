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
