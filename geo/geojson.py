"""GeoJSON FeatureCollections built in SQL: every map answer (layers, H3 cells) ends in
`run_collection`, which wraps a named query's feature rows and enforces the feature budget."""

from __future__ import annotations

from datetime import datetime
from functools import cache

import psycopg
from psycopg import sql

from geo.errors import BadParameter, OverBudget
from geo.params import Bbox, digits_for_zoom, tolerance_for_zoom
from geo.place_names import with_english_names
from geo.sqlfiles import read_sql

COORD_DIGITS = 6  # 1e-6 degree is ~0.1 m: finer than any survey we hold, and ~40 % less JSON
FEATURES_SLOT = "{features}"  # where feature_collection.sql takes the feature query
EMPTY_COLLECTION = '{"type": "FeatureCollection", "features": []}'
# One answer holds at most MAX_FEATURES features (a whole town's 20 k buildings fit; at
# district scale a z15 box over three towns answered 68 MB before this limit): a larger answer
# is refused, never truncated silently.
MAX_FEATURES = 25_000


@cache
def collection_sql(query: str) -> sql.SQL:
    """The FeatureCollection wrapper around the feature rows of geo/sql/queries/<query>.sql."""
    return wrapped_features(read_sql(f"queries/{query}.sql"))


def wrapped_features(features: str) -> sql.SQL:
    """The FeatureCollection wrapper (queries/feature_collection.sql) around the text of a
    trusted feature query. The wrapper writes JSON braces, so its one `{features}` is
    replaced as text, not by str.format-style composition."""
    wrapper = read_sql("queries/feature_collection.sql")
    if wrapper.count(FEATURES_SLOT) != 1:
        raise ValueError(f"feature_collection.sql must hold {FEATURES_SLOT} once")
    return sql.SQL(wrapper.replace(FEATURES_SLOT, features.strip().rstrip(";")))


def run_collection(conn: psycopg.Connection, query: str, params: dict[str, object],
                   max_features: int | None, prepare: bool | None = None) -> str:
    """GeoJSON text of `query` with `params`, refused (OverBudget) past `max_features`.

    `prepare=False` plans the query for its own values every time (psycopg otherwise
    prepares a query run five times on a connection, and PostgreSQL may then keep one
    generic plan for every box and resolution)."""
    params = {**params, "max_rows": None if max_features is None else max_features + 1}
    row = conn.execute(collection_sql(query), params, prepare=prepare).fetchone()
    if max_features is not None and row and row[1] > max_features:
        raise OverBudget("bbox", f"holds more than {max_features:,} features, the limit of one "
                                 "request: zoom in or ask for a smaller bbox")
    return row[0] if row and row[0] else EMPTY_COLLECTION


def feature_collection(conn: psycopg.Connection, query: str, bbox: Bbox, zoom: float,
                       window: tuple[datetime, datetime] | None = None,
                       max_features: int | None = None,
                       romanise: tuple[str, ...] = ()) -> str:
    """GeoJSON text of the layer query `query` (geo/sql/queries/<query>.sql) in a viewport.

    Windowed queries (tickets, cases) also read `since` and `until` from `window`; queries
    that thin by zoom (labels) read `zoom`. With `max_features` an answer holding more
    features is refused (OverBudget, parameter bbox). `romanise` names text properties that
    also get an English `<name>_en` (the only case where the database's JSON is parsed again).
    """
    west, south, east, north = bbox
    params: dict[str, object] = {
        "west": west, "south": south, "east": east, "north": north,
        "tolerance": tolerance_for_zoom(zoom), "digits": COORD_DIGITS, "zoom": zoom,
        # outlines are refetched at every zoom (dashboard/map/viewport.py still_serves):
        # they carry the decimals that zoom can show; points keep every decimal (reused
        # when zooming in)
        "outline_digits": digits_for_zoom(zoom),
    }
    if window is not None:
        params["since"], params["until"] = window
    text = run_collection(conn, query, params, max_features)
    return with_english_names(text, romanise) if romanise else text


def h3_collection(conn: psycopg.Connection, query: str, res: int, bbox: Bbox,
                  window: tuple[datetime, datetime] | None = None, *, windowed: bool = False,
                  value_kind: str = "", min_count: int = 0,
                  max_cells: int | None = None) -> str:
    """GeoJSON text of the H3 query `query` (geo/sql/queries/<query>.sql) per cell at `res`
    inside `bbox`; cells counting fewer than `min_count` carry a null value ("<5").

    A `windowed` query also reads since/until from `window`; `value_kind` picks the value of a
    query that computes several (density or ratio). With `max_cells` an answer holding more
    cells is refused (OverBudget, parameter bbox).
    """
    west, south, east, north = bbox
    params: dict[str, object] = {
        "res": res, "west": west, "south": south, "east": east, "north": north,
        "min_count": min_count, "value_kind": value_kind,
    }
    if windowed:
        if window is None:
            raise BadParameter("since", "this metric needs a time window")
        params["since"], params["until"] = window
    # Planned per request: a generic plan of h3_tickets (a small box's cell ranges, chosen by
    # the number of cells) took ~575 ms where the plan for the values takes ~5 ms (district,
    # scripts/bench/h3_tickets_compare.py); planning costs ~1-2 ms.
    return run_collection(conn, query, params, max_cells, prepare=False)
