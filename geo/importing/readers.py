"""Reading a user's file into attribute text and (for vector formats) geometries."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS

from geo.errors import GridcmdError

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".shp"}
TABLE_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm"}
# How each cell of a template's notes row (row 2, under the headers) begins.
NOTE_MARKS = ("【必填】", "【选填】")


class ReadError(GridcmdError):
    """The input file cannot be read."""


@dataclass
class RawTable:
    """A file's rows as text, its geometries (vector files), and how users number its rows."""

    path: Path
    frame: pd.DataFrame  # cells as str ('' for empty); vector files keep numbers
    geometry: np.ndarray | None  # shapely geometries (None where a feature has none)
    first_row: int  # the number the user sees for frame row 0
    crs: str | None  # 'EPSG:n' declared by the file, if any


def _text_column(values: pd.Series) -> np.ndarray:
    """A column as stripped text; missing values become ''."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").to_numpy(dtype=object)
    cells = values.to_numpy(dtype=object)
    try:  # the usual case, text or None: plain Python is faster than pandas' .str here
        return np.array([v.strip() if v is not None else "" for v in cells], dtype=object)
    except AttributeError:  # numbers or NaN among the cells
        pass
    return values.astype(object).where(values.notna(), "").astype(str).str.strip().to_numpy(
        dtype=object)


def _as_text(frame: pd.DataFrame, keep_numbers: bool = False) -> pd.DataFrame:
    """Every cell as stripped text ('' for empty); numeric columns stay numbers if asked.

    A GeoPackage's integer and real columns are kept as numpy numbers (NaN = empty): turning a
    million counts into text only to parse them back was the slowest part of an import. Text
    columns are held as object arrays (pandas' own string dtype would convert them back and
    forth on every access).
    """
    out = {}
    for col in frame.columns:
        values = frame[col]
        numeric = pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
        cells = values.to_numpy() if keep_numbers and numeric else _text_column(values)
        out[str(col)] = pd.Series(cells, dtype=cells.dtype, copy=False)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)


def _read_csv(path: Path) -> pd.DataFrame:
    # Excel on Chinese Windows saves CSV as GBK; everything else is UTF-8 (often with a BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"file {path}: not UTF-8 nor GBK text; save it as UTF-8 CSV")


# Formats whose text is UTF-8 by definition: read through Arrow (GDAL's columnar interface),
# ~10x faster than feature by feature. Shapefiles keep the raw path (DBF encodings are guessed).
ARROW_SUFFIXES = {".gpkg", ".geojson", ".json"}


def _arrow_column(column) -> np.ndarray | None:
    """An Arrow column as the raw path gives it: numbers as numpy (NaN = empty), text
    stripped with '' for empty; None for a type the raw path must handle."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = pc.fill_null(pc.utf8_trim_whitespace(column), "")
        return text.to_numpy(zero_copy_only=False)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        if column.null_count:
            return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        return column.to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(kind) and not column.null_count:
        return column.to_numpy(zero_copy_only=False)
    return None


def _read_arrow(path: Path) -> tuple[pd.DataFrame, np.ndarray | None, str | None] | None:
    """A GeoPackage/GeoJSON through Arrow, or None to fall back to the raw reader (no
    pyarrow, or a column type it does not map the same way)."""
    try:
        import pyarrow  # noqa: F401 (only whether it is installed)
    except ImportError:
        return None
    try:
        meta, table = pyogrio.raw.read_arrow(str(path), datetime_as_string=True)
    except Exception:  # an older pyogrio, a driver without Arrow: the raw reader decides
        return None
    geometry = meta.get("geometry_name") or "wkb_geometry"
    columns = {}
    for name in table.column_names:
        if name == geometry:
            continue
        values = _arrow_column(table.column(name))
        if values is None:
            return None
        columns[str(name)] = pd.Series(values, dtype=values.dtype, copy=False)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), copy=False)
    geoms = None
    if geometry in table.column_names:
        geoms = shapely.from_wkb(table.column(geometry).to_numpy(zero_copy_only=False))
    return frame, geoms, meta.get("crs")


def _read_vector(path: Path) -> tuple[pd.DataFrame, np.ndarray | None, str | None]:
    """Attributes as numpy columns and geometries from WKB (no per-feature Python objects)."""
    source = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
    if path.suffix.lower() == ".zip":
        layers = pyogrio.list_layers(source)
        if len(layers) == 0:
            raise ReadError(f"file {path}: the zip holds no Shapefile; zip the .shp, .shx, "
                            ".dbf and .prj together")
    # Dates as ISO text keep their UTC offset (if any) for values.parse to honour.
    try:
        meta, _, wkb, data = pyogrio.raw.read(source, datetime_as_string=True)
    except UnicodeDecodeError:
        # A DBF without a .cpg written on Chinese Windows is GBK; GB 18030 is its superset.
        meta, _, wkb, data = pyogrio.raw.read(source, datetime_as_string=True,
                                              encoding="gb18030")
    guessed = _dbf_encoding(meta, data)
    if guessed:  # decoded here: GDAL given the encoding trips over names cut mid-character
        meta["fields"] = [_recode(str(n), guessed) for n in meta["fields"]]
        data = [np.array([_recode(v, guessed) if isinstance(v, str) else v for v in values],
                         dtype=object) if values.dtype == object else values for values in data]
    n = len(data[0]) if len(data) else (0 if wkb is None else len(wkb))
    frame = pd.DataFrame({str(name): pd.Series(values, dtype=values.dtype, copy=False)
                          for name, values in zip(meta["fields"], data, strict=True)},
                         index=pd.RangeIndex(n), copy=False)
    geoms = shapely.from_wkb(wkb) if wkb is not None else None
    return frame, geoms, meta.get("crs")


def _recode(text: str, encoding: str) -> str:
    """Text GDAL decoded as Latin-1, decoded again from its original bytes."""
    return text.encode("latin-1", errors="replace").decode(encoding, errors="ignore")


def _dbf_encoding(meta: dict, data: list[np.ndarray], sample: int = 200) -> str | None:
    """The real encoding of a Shapefile DBF that GDAL read as Latin-1 (no .cpg), or None.

    Chinese text read as Latin-1 comes out as accented letters ('¹¤µ¥±àºÅ' for 工单编号):
    their bytes are the original ones, so whichever of UTF-8 and GB 18030 decodes them all
    is the file's encoding.
    """
    if str(meta.get("encoding", "")).upper() not in ("ISO-8859-1", "LATIN1"):
        return None
    texts = [str(n) for n in meta["fields"]]
    for values in data:
        if values.dtype == object:
            texts += [v for v in values[:sample] if isinstance(v, str)]
    chunks = [t.encode("latin-1", errors="replace") for t in texts]
    if all(c.isascii() for c in chunks):
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            for chunk in chunks:
                # final=False: a DBF cuts names to 10 bytes, often inside a character.
                codecs.getincrementaldecoder(encoding)().decode(chunk, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


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
            return _without_notes(RawTable(path, _as_text(frame), None, 2, None))
        if suffix in ARROW_SUFFIXES and (read := _read_arrow(path)) is not None:
            frame, geoms, crs = read  # text already stripped, numbers kept
            return RawTable(path, frame, geoms, 1, _epsg(crs))
        if suffix in VECTOR_SUFFIXES:
            frame, geoms, crs = _read_vector(path)
            return RawTable(path, _as_text(frame, keep_numbers=True), geoms, 1, _epsg(crs))
    except ReadError:
        raise
    except Exception as exc:  # pyogrio, openpyxl and pandas each raise their own types
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ReadError(f"file {path}: cannot read it ({first}); check that it opens in "
                        "QGIS or Excel") from exc
    raise ReadError(f"file {path}: unknown format {suffix or '(none)'}; use .geojson, .gpkg, "
                    ".zip (Shapefile), .csv or .xlsx")


def _without_notes(raw: RawTable) -> RawTable:
    """The table without a template's notes row (gridcmd template writes one under the
    headers); data then starts at spreadsheet row 3."""
    if len(raw.frame) == 0:
        return raw
    first = [str(v) for v in raw.frame.iloc[0] if str(v)]
    if not first or not all(v.startswith(NOTE_MARKS) for v in first):
        return raw
    frame = raw.frame.iloc[1:].reset_index(drop=True)
    return RawTable(raw.path, frame, None, raw.first_row + 1, None)


def _epsg(crs: str | None) -> str | None:
    """'EPSG:n' of a CRS string, None when absent or not an EPSG code."""
    if not crs:
        return None
    try:
        code = CRS.from_user_input(crs).to_epsg()
    except Exception:  # an unparseable .prj is treated as "no CRS declared"
        return None
    return f"EPSG:{code}" if code else None
