"""dl.GeoJSON options that make a point layer draw markers (and clusters) in the browser."""

from __future__ import annotations

from typing import Any

from layers.model import Layer

# Defined in assets/map_points.js; dash-leaflet resolves them from `window`.
POINT_TO_LAYER_FN = {"variable": "gridcmd.points.pointToLayer"}
# assets/map_clusters.js: bubbles coloured by the worst status inside, sized by count.
CLUSTER_TO_LAYER_FN = {"variable": "gridcmd.clusters.clusterToLayer"}
# supercluster settings: clusters break up fully from zoom 16, where single tickets are legible
# and a click on a cluster zooms to its bounds.
CLUSTER_OPTIONS = {"radius": 80, "maxZoom": 15}


def point_options(layer: Layer) -> dict[str, Any]:
    """Extra dl.GeoJSON props for a point layer; empty for polygons and lines."""
    if layer.kind != "point":
        return {}
    options: dict[str, Any] = {"pointToLayer": POINT_TO_LAYER_FN}
    if layer.cluster:
        options.update(cluster=True, zoomToBoundsOnClick=True,
                       superClusterOptions=CLUSTER_OPTIONS, clusterToLayer=CLUSTER_TO_LAYER_FN)
    return options
