"""`gridcmd import` without the screen: read, validate, write (or not) in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import psycopg

from geo.chinacrs import normalise_crs
from geo.database import connect
from geo.errors import GridcmdError
from geo.importing import readers
from geo.importing.fields import KINDS, load_mapping
from geo.importing.problems import Problem
from geo.importing.upsert import Counts, upsert
from geo.importing.validate import validate
from geo.rollups import refresh_derived


class ImportFailed(GridcmdError):
    """The import could not be carried out; nothing was written."""


@dataclass
class ImportResult:
    """The outcome: problems found, rows written (or that would be), where rejects went."""

    kind: str
    rows: int
    problems: list[Problem]
    counts: Counts = field(default_factory=Counts)
    written: bool = False
    rejected: int = 0
    rejects_path: Path | None = None
    ignored: list[str] = field(default_factory=list)
    crs: str = "wgs84"


def kind_names() -> list[str]:
    """The KIND values `gridcmd import` accepts."""
    return list(KINDS)


def rejects_path(path: Path) -> Path:
    """Where --skip-invalid puts the refused rows: beside the input, '<name>.rejects.csv'."""
    return path.with_name(f"{path.stem}.rejects.csv")


def _write_rejects(prepared, path: Path) -> None:
    """The refused rows as the user gave them, with their row number and the reasons."""
    reasons: dict[int, list[str]] = {}
    for p in prepared.problems:
        if p.row is not None:
            reasons.setdefault(p.row, []).append(f"{p.field}: {p.reason}")
    bad = prepared.bad
    frame = prepared.raw.frame[bad].copy()
    if prepared.raw.geometry is not None:
        frame["wkt"] = [g.wkt if g is not None else "" for g in prepared.raw.geometry[bad]]
    rows = prepared.rows[bad]
    frame.insert(0, "row", rows)
    frame["problems"] = ["; ".join(reasons.get(int(r), [])) for r in rows]
    pd.DataFrame(frame).to_csv(path, index=False, encoding="utf-8-sig")


def run_import(url: str, kind: str, path: Path, crs: str | None = None,
               mapping: Path | None = None, dry_run: bool = False, skip_invalid: bool = False,
               town_code: str = "", step: Callable[[str], None] = lambda _: None
               ) -> ImportResult:
    """Import one file of `kind`; a file with problems writes nothing unless skip_invalid."""
    if kind not in KINDS:
        raise ImportFailed(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    spec = KINDS[kind]
    headers = load_mapping(mapping)
    step("reading")
    raw = readers.read(Path(path))
    # A declared projected CRS (a Gauss–Krüger .prj) is used unless the user says otherwise;
    # GeoJSON always claims WGS84, so Gaode/Baidu data needs --crs gcj02/bd09.
    declared = raw.crs if raw.crs not in (None, "EPSG:4326") else None
    used = normalise_crs(crs or declared or "wgs84")
    conn = connect(url)
    try:
        conn.execute("SET statement_timeout = 0")
        step("validating")
        prepared = validate(conn, spec, raw, used, headers, town_code)
        result = ImportResult(kind, len(raw.frame), prepared.problems, ignored=prepared.ignored,
                              crs=used)
        if prepared.problems and (not skip_invalid or prepared.file_level):
            conn.rollback()
            return result
        keep = ~prepared.bad
        if prepared.bad.any():
            result.rejected = int(prepared.bad.sum())
            result.rejects_path = rejects_path(Path(path))
            if not dry_run:
                _write_rejects(prepared, result.rejects_path)
        step("writing")
        with conn.transaction() as tx:
            result.counts = upsert(conn, spec.table, prepared.columns, keep)
            if dry_run:
                raise psycopg.Rollback(tx)
            if result.counts.inserted or result.counts.updated:
                step("refreshing H3 rollups")
                refresh_derived(conn)
        conn.commit()
        result.written = not dry_run and bool(keep.any())
        return result
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ImportFailed(f"file {Path(path).name}: the database refused the rows, nothing "
                           f"was written ({first}); fix the file and import it again") from exc
    finally:
        conn.close()

