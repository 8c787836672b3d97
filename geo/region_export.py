"""Region data export: one row per building with household totals, as GeoJSON, GPKG, CSV or XLSX."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from psycopg.rows import dict_row

from geo.errors import BadParameter
from geo.regions import REGION_KINDS, Scope, UnknownRegion, region_keys
from geo.spreadsheet_cells import safe_frame
from geo.sqlfiles import read_composed, read_sql

if TYPE_CHECKING:  # pandas/geopandas load on the first export, not with every CLI start
    import pandas as pd

FORMATS: dict[str, str] = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",  # Flask appends "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Column order of every format; the tables (CSV/XLSX) relabel them through `headers`.
COLUMNS = ("code", "address", "use", "floors", "rooms", "grid_code", "compound_code",
           "households", "residents", "registered", "floating", "renters", "elderly", "children")
POINT_COLUMNS = ("lng", "lat")
LAYER = "buildings"


def check_request(kind: str, fmt: str) -> None:
    """Raise BadParameter for an unknown region kind or export format."""
    if kind not in REGION_KINDS:
        raise BadParameter("kind", f"must be one of {', '.join(REGION_KINDS)}")
    if fmt not in FORMATS:
        raise BadParameter("fmt", f"must be one of {', '.join(FORMATS)}")


def region_frame(conn: psycopg.Connection, kind: str, code: str,
                 communities: Scope = None) -> tuple[str, pd.DataFrame]:
    """(region name, one row per building with totals, centroid lng/lat and WKB geometry).

    `communities` (a community user's scope) keeps only the buildings of those communities.
    """
    keys = region_keys(kind, code, communities)
    outline = conn.execute(read_sql("queries/region_outline.sql"), keys).fetchone()
    if outline is None:
        raise UnknownRegion(f"no {kind} with code {code}")
    # Same membership as the drill-down panel, so the file matches what the panel counts.
    buildings = conn.execute(read_composed("queries/region_buildings.sql",
                                           members="region_members"), keys).fetchone()[0]
    rows = conn.cursor(row_factory=dict_row).execute(
        read_sql("queries/region_export.sql"), {"buildings": buildings}).fetchall()
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[*COLUMNS, *POINT_COLUMNS, "wkb"])
    return outline[0], frame


def to_bytes(frame: pd.DataFrame, fmt: str, headers: Mapping[str, str]) -> bytes:
    """The file contents of `frame` in `fmt`; `headers` label the CSV/XLSX columns."""
    if fmt in ("geojson", "gpkg"):
        return _spatial(frame, fmt)
    # An imported address like =HYPERLINK(…) must stay text in Excel (formula injection).
    table = safe_frame(frame[[*COLUMNS, *POINT_COLUMNS]].rename(columns=dict(headers)))
    if fmt == "csv":
        # The BOM lets Excel on Chinese Windows detect UTF-8 instead of guessing GBK.
        return table.to_csv(index=False).encode("utf-8-sig")
    buffer = io.BytesIO()
    import pandas as pd

    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, index=False, sheet_name=LAYER)
        writer.sheets[LAYER].freeze_panes = "A2"  # header stays visible while scrolling
    return buffer.getvalue()


def _spatial(frame: pd.DataFrame, fmt: str) -> bytes:
    import geopandas as gpd
    import shapely

    geometry = shapely.from_wkb([bytes(w) for w in frame["wkb"]])
    gdf = gpd.GeoDataFrame(frame[list(COLUMNS)], geometry=geometry, crs="EPSG:4326")
    if fmt == "geojson":
        return gdf.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")
    # GPKG is SQLite: the driver needs a real file, so it is written in a temp dir and read back.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "region.gpkg"
        gdf.to_file(path, layer=LAYER, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def filename(name: str, day: date, fmt: str) -> str:
    """Download name like 新海南里第1网格-2026-11-25.xlsx (no path separators)."""
    safe = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip()
    return f"{safe or 'region'}-{day.isoformat()}.{fmt}"
