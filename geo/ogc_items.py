"""OGC API – Features items read in SQL: parameter checks, keyset pages, one feature, extents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql

from geo.errors import BadParameter
from geo.ogc_collections import Collection
from geo.params import Bbox, four_numbers
from geo.privacy import PRIVACY_MIN_COUNT
from geo.sqlfiles import read_sql

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
WORLD: Bbox = (-180.0, -90.0, 180.0, 90.0)
# "Open" ends of a datetime interval, as concrete bounds (the H3 query does arithmetic on them).
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
TOWN_TZ = ZoneInfo("Asia/Shanghai")  # a date without a time is the town's local day
_OPEN = ("", "..")


@dataclass(frozen=True)
class ItemsQuery:
    """The checked parameters of one items request."""

    bbox: Bbox | None = None
    window: tuple[datetime, datetime] | None = None  # closed interval [since, until]
    after: str = ""   # keyset cursor: the last id of the previous page
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class Page:
    """One page of features: the JSON array text, how many, how many match, the next cursor."""

    features: str
    returned: int
    matched: int | None
    last_id: str | None


def parse_limit(text: str | None) -> int:
    """`limit`: an integer 1..10000, default 100."""
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not re.fullmatch(r"\d{1,6}", text.strip()):
        raise BadParameter("limit", f"must be an integer 1..{MAX_LIMIT}, got {text[:20]!r}")
    value = int(text)
    if not 1 <= value <= MAX_LIMIT:
        raise BadParameter("limit", f"must lie within 1..{MAX_LIMIT}")
    return value


def parse_ogc_bbox(text: str | None) -> Bbox | None:
    """`bbox` in CRS84: minLon,minLat,maxLon,maxLat (or the 6-number 3D form, heights ignored)."""
    if text is None or text == "":
        return None
    parts = text.split(",")
    if len(parts) == 6:
        parts = [parts[0], parts[1], parts[3], parts[4]]
    if len(parts) != 4:
        raise BadParameter("bbox", "needs 4 numbers minLon,minLat,maxLon,maxLat (CRS84)")
    west, south, east, north = four_numbers(text, parts)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise BadParameter("bbox", "longitudes within -180..180, latitudes within -90..90,"
                           " south <= north")
    if west > east:
        raise BadParameter("bbox", "boxes crossing the antimeridian are not supported")
    return west, south, east, north


def _instant(text: str, end: bool) -> datetime:
    """An RFC 3339 date-time (with offset or Z), or a date: the town's local day."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, TOWN_TZ)
            return moment + timedelta(days=1, microseconds=-1) if end else moment
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise BadParameter("datetime", f"not an RFC 3339 date-time: {text[:40]!r}") from None
    if moment.tzinfo is None:
        raise BadParameter("datetime", f"{text[:40]!r} needs a time zone (Z or +08:00)")
    return moment


def parse_datetime(text: str | None) -> tuple[datetime, datetime] | None:
    """`datetime`: an instant, or an interval start/end with open ends as '..' (or empty)."""
    if text is None or text == "":
        return None
    if "/" not in text:
        return _instant(text, end=False), _instant(text, end=True)
    start, _, end = text.partition("/")
    if start in _OPEN and end in _OPEN:
        raise BadParameter("datetime", "an interval needs at least one end")
    since = EARLIEST if start in _OPEN else _instant(start, end=False)
    until = LATEST if end in _OPEN else _instant(end, end=True)
    if since > until:
        raise BadParameter("datetime", "the interval's start is after its end")
    return since, until


def rows_sql(collection: Collection) -> str:
    """The rows query of a collection (id, geometry, properties; table rows also geom)."""
    rows = read_sql(f"queries/{collection.query}.sql").strip().rstrip(";")
    if collection.source == "h3":
        # The aggregate answers whole cells; the keyset filter goes around it.
        rows = f"SELECT h.* FROM ({rows}) AS h WHERE h.id > %(after)s"
    return rows


@cache
def _wrapped(collection: Collection, wrapper: str, bbox: bool = False) -> sql.Composed:
    """`wrapper` around the collection's rows; with the bbox filter only when one is asked."""
    # H3 rows take the bbox themselves (whole cells); table rows are filtered on their geom.
    where = "\n" + read_sql("queries/ogc_bbox.sql").strip() + "\n" \
        if bbox and collection.source == "table" else ""
    return sql.SQL(read_sql(f"queries/{wrapper}.sql")).format(
        rows=sql.SQL(rows_sql(collection)), bbox=sql.SQL(where))


def _params(collection: Collection, query: ItemsQuery) -> dict[str, object]:
    west, south, east, north = query.bbox or WORLD
    since, until = query.window or (EARLIEST, LATEST)
    if collection.temporal is None:
        since, until = EARLIEST, LATEST  # no time of its own: the filter does not apply
    params: dict[str, object] = {
        "west": west, "south": south, "east": east, "north": north,
        "since": since, "until": until, "after": query.after, "limit": query.limit,
    }
    if collection.source == "h3":
        # The aggregate counts [since, until); one microsecond more makes the interval closed.
        params.update({"res": collection.res, "min_count": PRIVACY_MIN_COUNT,
                       "value_kind": collection.value_kind,
                       "until": until + timedelta(microseconds=1)})
    return params


def items_page(conn: psycopg.Connection, collection: Collection, query: ItemsQuery,
               count: bool = True) -> Page:
    """One page of `collection` after the cursor, ordered by id, and (if asked) the match count.

    Without `count` (later pages: clients read numberMatched from the first) matched is None.
    """
    params = _params(collection, query)
    boxed = query.bbox is not None
    features, returned, last_id = conn.execute(_wrapped(collection, "ogc_page", boxed),
                                               params).fetchone()
    matched = None
    if count:
        params["after"] = ""
        matched = conn.execute(_wrapped(collection, "ogc_count", boxed), params).fetchone()[0]
    return Page(features, returned, matched, last_id)


def item(conn: psycopg.Connection, collection: Collection, feature_id: str) -> str | None:
    """The GeoJSON Feature text with this id, or None."""
    params = _params(collection, ItemsQuery())
    params["id"] = feature_id
    row = conn.execute(_wrapped(collection, "ogc_item"), params).fetchone()
    return row[0] if row else None


def spatial_extent(conn: psycopg.Connection, table: str) -> list[float] | None:
    """[west, south, east, north] of every geometry of `table` (a declared collection's)."""
    row = conn.execute(sql.SQL(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)"
        " FROM (SELECT ST_Extent(geom) AS e FROM {}) AS x").format(sql.Identifier(table))
    ).fetchone()
    return None if row is None or row[0] is None else [float(v) for v in row]


def temporal_extent(conn: psycopg.Connection, collection: Collection) -> list[str | None] | None:
    """[first, last] of the collection's timestamp column as RFC 3339 text (None: no time)."""
    if collection.temporal is None:
        return None
    row = conn.execute(sql.SQL("SELECT min({c}), max({c}) FROM {t}").format(
        c=sql.Identifier(collection.temporal), t=sql.Identifier(collection.temporal_table))
    ).fetchone()
    return [v.astimezone(UTC).isoformat().replace("+00:00", "Z") if v else None for v in row]
