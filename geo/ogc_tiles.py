"""Mapbox vector tiles of the OGC collections (WebMercatorQuad), cut and encoded by ST_AsMVT."""

from __future__ import annotations

from functools import cache

import psycopg
from psycopg import sql

from geo.errors import BadParameter
from geo.ogc_collections import Collection
from geo.ogc_items import EARLIEST, LATEST, rows_sql
from geo.sqlfiles import read_sql

MAX_TILE_ZOOM = 22


@cache
def _tile_sql(collection: Collection) -> sql.Composed:
    return sql.SQL(read_sql("queries/ogc_tile.sql")).format(rows=sql.SQL(rows_sql(collection)))


def check_tile(z: int, y: int, x: int) -> None:
    """A WebMercatorQuad tile index: 0 <= z <= 22 and row, column within 0 .. 2^z - 1."""
    if not 0 <= z <= MAX_TILE_ZOOM:
        raise BadParameter("tileMatrix", f"must lie within 0..{MAX_TILE_ZOOM}")
    for name, value in (("tileRow", y), ("tileCol", x)):
        if not 0 <= value < 2 ** z:
            raise BadParameter(name, f"must lie within 0..{2 ** z - 1} at tileMatrix {z}")


def vector_tile(conn: psycopg.Connection, collection: Collection, z: int, y: int,
                x: int) -> bytes:
    """The MVT bytes of tile z/y/x (empty below the collection's tile zoom or with no rows)."""
    check_tile(z, y, x)
    if collection.tiles_min_zoom is None or z < collection.tiles_min_zoom:
        return b""
    row = conn.execute(_tile_sql(collection), {
        "z": z, "x": x, "y": y, "layer": collection.id, "after": "",
        "since": EARLIEST, "until": LATEST}).fetchone()
    return bytes(row[0]) if row and row[0] else b""
