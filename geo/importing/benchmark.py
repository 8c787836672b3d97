"""Import throughput: district-scale demo data written to GeoPackages, imported into a scratch
database (created and dropped here), rows per second per kind."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.bootstrap import ensure_database
from geo.database import drop_database, server_url
from geo.importing.fields import KINDS
from geo.importing.pipeline import ImportFailed, run_import
from geo.settings import GeoSettings

DEFAULT_KINDS = ("buildings", "households", "incidents", "cases")
SCRATCH_PREFIX = "gridcmd_bench_import_"  # scratch databases: always dropped afterwards
# Parents first: a kind's rows name codes of the kinds before it.
ORDER = ("towns", "communities", "grids", "compounds", "buildings", "households", "persons",
         "units", "incidents", "cases", "resources", "staff", "context")
_NEEDS: dict[str, tuple[str, ...]] = {
    "buildings": ("compounds",), "households": ("buildings",), "persons": ("households",),
    "units": ("buildings",), "incidents": ("buildings",), "cases": ("buildings",),
}
_BASE = ("towns", "communities", "grids", "compounds")


@dataclass(frozen=True)
class Figure:
    """One timed import."""

    kind: str
    rows: int
    seconds: float
    geometry: str  # point | polygon | none
    timed: bool  # False for parents imported only so that the timed kinds' codes resolve
    stages: dict[str, float] = field(default_factory=dict)  # reading, validating, … seconds

    @property
    def per_second(self) -> float:
        """Rows imported per second."""
        return self.rows / self.seconds if self.seconds else 0.0


def kinds_to_load(kinds: list[str]) -> list[str]:
    """The kinds to import, parents included, in dependency order."""
    wanted = set(kinds) | set(_BASE)
    for kind in list(wanted):
        stack = list(_NEEDS.get(kind, ()))
        while stack:
            parent = stack.pop()
            if parent not in wanted:
                wanted.add(parent)
                stack.extend(_NEEDS.get(parent, ()))
    return [k for k in ORDER if k in wanted]


def _file_frame(frame: pd.DataFrame) -> pd.DataFrame | gpd.GeoDataFrame:
    """A generated table as a town office's file would hold it (no h3_cell, no updated_at)."""
    out = frame.drop(columns=["h3_cell", "updated_at"], errors="ignore")
    for col in out.columns:
        if col.endswith("_at"):  # UTC instants, written with their offset
            stamps = pd.to_datetime(out[col]).dt.tz_localize("UTC")
            out[col] = stamps.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").astype(object)
        elif col == "skills":  # COPY's '{a,b}' array text → a plain list as a ledger writes it
            out[col] = out[col].astype(str).str.strip("{}").str.replace('"', "")
    if "geom" not in out:
        return out
    geoms = shapely.from_wkb(out.pop("geom").to_numpy())
    return gpd.GeoDataFrame(out, geometry=geoms, crs="EPSG:4326")


def export_demo(folder: Path, kinds: list[str], rows: int | None = None,
                scale: str = "district", seed: int = 0,
                step: Callable[[str], None] = lambda _: None) -> dict[str, Path]:
    """Generate the demo (district: ten towns) and write one GeoPackage per kind; `rows` caps
    the timed kinds (children keep only rows whose parents were kept)."""
    from geo.demo import DEFAULT_SEED, generate

    load = kinds_to_load(kinds)
    tables = {KINDS[k].table: k for k in load}
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in load}
    for town, generated in generate(scale, seed or DEFAULT_SEED):
        step(f"generating {town}")
        for table, kind in tables.items():
            parts[kind].append(generated[table])
    paths: dict[str, Path] = {}
    kept: dict[str, set[str]] = {}
    for kind in load:
        frame = pd.concat(parts.pop(kind), ignore_index=True)
        for column, parent_table in KINDS[kind].foreign_keys.items():
            parent = next((k for k in load if KINDS[k].table == parent_table), None)
            if parent in kept and column in frame:
                frame = frame[frame[column].isna() | frame[column].isin(kept[parent])]
        if rows and kind in kinds:
            frame = frame.head(rows)
        kept[kind] = set(frame["code"])
        step(f"writing {kind}.gpkg ({len(frame):,} rows)")
        path = folder / f"{kind}.gpkg"
        pyogrio.write_dataframe(_file_frame(frame.reset_index(drop=True)), path)
        paths[kind] = path
    return paths


def _geometry(kind: str) -> str:
    geometry = KINDS[kind].geometry
    if geometry is None:
        return "none"
    return "point" if geometry == "point" else "polygon"


def run_benchmark(settings: GeoSettings, kinds: list[str], rows: int | None = None,
                  scale: str = "district", step: Callable[[str], None] = lambda _: None
                  ) -> list[Figure]:
    """Export, then import every file into a scratch database; the database is dropped after."""
    name = f"{SCRATCH_PREFIX}{os.getpid()}"
    admin = server_url(settings, "postgres")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="gridcmd-bench-import-") as folder:
        paths = export_demo(Path(folder), kinds, rows, scale, step=step)
        drop_database(admin, name)
        url = ensure_database(settings, name)
        try:
            for kind, path in paths.items():
                step(f"importing {kind}")
                marks: list[tuple[str, float]] = []
                started = time.perf_counter()
                result = run_import(url, kind, path, town_code=settings.town_code,
                                    step=lambda what, marks=marks: marks.append(
                                        (what, time.perf_counter())))
                seconds = time.perf_counter() - started
                ends = [t for _, t in marks[1:]] + [started + seconds]
                stages = {what.split(" ")[0]: end - begin
                          for (what, begin), end in zip(marks, ends, strict=True)}
                if result.problems:
                    first = result.problems[0]
                    raise ImportFailed(f"benchmark {kind}: {len(result.problems)} problem(s), "
                                       f"first row {first.row} {first.field}: {first.reason}")
                figures.append(Figure(kind, result.rows, seconds, _geometry(kind),
                                      kind in kinds, stages))
        finally:
            drop_database(admin, name)
    return figures


def totals(figures: list[Figure]) -> dict[str, float]:
    """Points/s and polygons/s over the timed kinds of each geometry."""
    out = {}
    for geometry in ("point", "polygon", "none"):
        chosen = [f for f in figures if f.timed and f.geometry == geometry]
        seconds = sum(f.seconds for f in chosen)
        if chosen and seconds:
            out[geometry] = float(np.sum([f.rows for f in chosen]) / seconds)
    return out
