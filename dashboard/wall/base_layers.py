"""The wall's static layers (rivers and roads, town, communities, grids), embedded in its page.

The wall must show its map even when the database is down at the moment the page opens: each
layout build reads the layers afresh and keeps the answer in the process, and falls back to
that last good copy when the database does not answer. Dash builds the layout once on the
server's first request (any route), and `gridcmd serve` starts only with its database up, so
the copy is there in practice; without one the browser fetches the layers by URL.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import psycopg
from flask import has_app_context
from psycopg_pool import PoolTimeout

from dashboard.map.viewport import TOWN_CENTRE, TOWN_ZOOM, bbox_around
from dashboard.state import read_connection
from geo.features import feature_collection
from layers.registry import Registry

log = logging.getLogger(__name__)

BASE_LAYERS = ("context", "communities", "grids", "town")  # they change with imports only
# Wider than any wall at town zoom, so the static layers load whole once.
BASE_BBOX = bbox_around(TOWN_CENTRE, TOWN_ZOOM - 1, (3840, 2160))
READ_WAIT_S = 2.0  # a page opened during an outage must not wait long for its layout

_last_good: dict[str, dict[str, Any]] = {}  # layer id -> FeatureCollection, per process


def base_layer_data(registry: Registry) -> dict[str, dict[str, Any] | None]:
    """Each base layer's FeatureCollection: fresh, else the last good copy, else None."""
    if not has_app_context():  # Dash checks the layout once at startup, outside a request
        return {layer_id: _last_good.get(layer_id) for layer_id in BASE_LAYERS}
    try:
        with read_connection(READ_WAIT_S) as conn:  # read-only: the replica when one serves
            for layer_id in BASE_LAYERS:
                layer = registry.get(layer_id)
                text = feature_collection(conn, layer.query, BASE_BBOX, TOWN_ZOOM, None)
                _last_good[layer_id] = json.loads(text)
    except (PoolTimeout, psycopg.Error, OSError) as exc:
        log.warning("wall layout: database unreachable, using the last good base layers: %s",
                    exc)
    return {layer_id: _last_good.get(layer_id) for layer_id in BASE_LAYERS}
