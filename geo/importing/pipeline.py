"""`gridcmd import` without the screen: read, validate, write (or not) in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg

from geo import audit
from geo.chinacrs import normalise_crs
from geo.database import connect
from geo.errors import GridcmdError
from geo.importing import readers
from geo.importing.fields import KINDS, load_mapping
from geo.importing.problems import Problem
from geo.importing.upsert import STAGE, Counts, drop_rows, locks_parents, stage, upsert
from geo.importing.validate import Prepared, check_references, validate
from geo.rollups import refresh_after_import
from geo.spreadsheet_cells import safe_frame


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
    warnings: list[str] = field(default_factory=list)  # e.g. a suspected GCJ-02 offset
    filled: list[str] = field(default_factory=list)  # fields set by a default or --set


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
    # the rows are the user's own cells: one starting with = must not run when opened
    safe_frame(pd.DataFrame(frame)).to_csv(path, index=False, encoding="utf-8-sig")


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Whole-file problems first, then by row (Python and SQL checks find them apart)."""
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))


def commit_import(conn: psycopg.Connection, prepared: Prepared, dry_run: bool = False,
                  step: Callable[[str], None] = lambda _: None,
                  audit_as: tuple[str, str] | None = None) -> Counts:
    """The one place an import writes: upsert the staged good rows, refresh, commit.

    Runs in the connection's open transaction (the staged rows live there); a dry run rolls
    it all back and only counts. `audit_as` (who, what) adds the audit row to the same commit.
    """
    table = prepared.kind.table
    drop_rows(conn, np.flatnonzero(prepared.bad))
    step("writing")
    with conn.transaction() as tx:
        counts = upsert(conn, table, list(prepared.columns),
                        references_checked=locks_parents(len(prepared.bad)),
                        may_rebuild=not dry_run)
        if dry_run:
            raise psycopg.Rollback(tx)
        if counts.inserted or counts.updated:
            step("refreshing H3 rollups")
            refresh_after_import(conn, table, STAGE)
        if audit_as is not None:
            who, target = audit_as
            audit.record(conn, who, "admin", "import", target,
                         {"inserted": counts.inserted, "updated": counts.updated,
                          "unchanged": counts.unchanged, "rejected": int(prepared.bad.sum())})
    conn.commit()
    return counts


def run_import(url: str, kind: str, path: Path, crs: str | None = None,
               mapping: Path | None = None, dry_run: bool = False, skip_invalid: bool = False,
               town_code: str = "", step: Callable[[str], None] = lambda _: None,
               audit_by: str | None = None,
               fixed: Mapping[str, str] | None = None) -> ImportResult:
    """Import one file of `kind`; a file with problems writes nothing unless skip_invalid.

    `audit_by` names who imports (the audit trail gets a row with the counts when written);
    `fixed` ({field: value}, --set) fills a field the file lacks or leaves empty.
    """
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
        prepared = validate(conn, spec, raw, used, headers, town_code, fixed)
        if not prepared.file_level:
            stage(conn, spec.table, prepared.columns)
            check_references(conn, prepared)
        result = ImportResult(kind, len(raw.frame), _sorted(prepared.problems),
                              ignored=prepared.ignored, crs=used, warnings=prepared.warnings,
                              filled=prepared.filled)
        if prepared.problems and (not skip_invalid or prepared.file_level):
            conn.rollback()
            return result
        if prepared.bad.any():
            result.rejected = int(prepared.bad.sum())
            result.rejects_path = rejects_path(Path(path))
            if not dry_run:
                _write_rejects(prepared, result.rejects_path)
        result.counts = commit_import(
            conn, prepared, dry_run, step,
            (audit_by, f"{kind}:{Path(path).name}") if audit_by else None)
        result.written = not dry_run and bool((~prepared.bad).any())
        return result
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ImportFailed(f"file {Path(path).name}: the database refused the rows, nothing "
                           f"was written ({first}); fix the file and import it again") from exc
    finally:
        conn.close()

