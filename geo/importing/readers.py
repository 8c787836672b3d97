"""Reading a user's file into attribute text and (for vector formats) geometries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from geo.errors import GridcmdError

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".shp"}
TABLE_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm"}


class ReadError(GridcmdError):
    """The input file cannot be read."""


@dataclass
class RawTable:
    """A file's rows as text, its geometries (vector files), and how users number its rows."""

    path: Path
    frame: pd.DataFrame  # every cell as str ('' for empty)
    geometry: np.ndarray | None  # shapely geometries (None where a feature has none)
    first_row: int  # the number the user sees for frame row 0
    crs: str | None  # 'EPSG:n' declared by the file, if any


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as stripped text; missing values become ''."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        else:
            text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        out[str(col)] = text.to_numpy(dtype=object)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _read_csv(path: Path) -> pd.DataFrame:
    # Excel on Chinese Windows saves CSV as GBK; everything else is UTF-8 (often with a BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"file {path}: not UTF-8 nor GBK text; save it as UTF-8 CSV")


def _read_vector(path: Path) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    source = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
    if path.suffix.lower() == ".zip":
        layers = pyogrio.list_layers(source)
        if len(layers) == 0:
            raise ReadError(f"file {path}: the zip holds no Shapefile; zip the .shp, .shx, "
                            ".dbf and .prj together")
    try:
        crs = pyogrio.read_info(source).get("crs")
        table = pyogrio.read_dataframe(source, fid_as_index=False)
    except UnicodeDecodeError:
        # A DBF without a .cpg written on Chinese Windows is GBK; GB 18030 is its superset.
        crs = pyogrio.read_info(source, encoding="gb18030").get("crs")
        table = pyogrio.read_dataframe(source, fid_as_index=False, encoding="gb18030")
    geoms = np.asarray(table.geometry.array, dtype=object) if "geometry" in table else None
    frame = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
    return frame, geoms, crs


def read(path: Path) -> RawTable:
    """Read GeoJSON, GeoPackage, zipped Shapefile, CSV or XLSX; ReadError says what to do."""
    path = Path(path)
    if not path.is_file():
        raise ReadError(f"file {path}: not found; check the path")
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_SUFFIXES:
            if suffix.startswith(".xls"):
                frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
            else:
                frame = _read_csv(path)
            # Spreadsheet row numbers: the header is row 1, so data row 0 is row 2.
            return RawTable(path, _as_text(frame), None, 2, None)
        if suffix in VECTOR_SUFFIXES:
            frame, geoms, crs = _read_vector(path)
            return RawTable(path, _as_text(frame), geoms, 1, _epsg(crs))
    except ReadError:
        raise
    except Exception as exc:  # pyogrio, openpyxl and pandas each raise their own types
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ReadError(f"file {path}: cannot read it ({first}); check that it opens in "
                        "QGIS or Excel") from exc
    raise ReadError(f"file {path}: unknown format {suffix or '(none)'}; use .geojson, .gpkg, "
                    ".zip (Shapefile), .csv or .xlsx")


def _epsg(crs: str | None) -> str | None:
    """'EPSG:n' of a CRS string, None when absent or not an EPSG code."""
    if not crs:
        return None
    try:
        code = CRS.from_user_input(crs).to_epsg()
    except Exception:  # an unparseable .prj is treated as "no CRS declared"
        return None
    return f"EPSG:{code}" if code else None
