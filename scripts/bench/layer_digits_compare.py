"""Outline layers (polygons, lines) as `main` answered them (every coordinate at 6 decimals,
json_build_object's spaced envelope: the query files and wrapper read from git) and now (the
decimals their zoom can show, geo/params.py digits_for_zoom; a compact envelope), interleaved
on a benchmark database: bytes (raw and gzip) and time per layer at zoom 11 (the whole
extent), 13 and 15 (a 1920x1080 screen at the busiest grid); asserts the same features (ids,
properties) in both.

    .venv/bin/python scripts/bench/layer_digits_compare.py district|city RUNS [BASE]
"""

from __future__ import annotations

import gzip
import json
import statistics
import subprocess
import sys
from pathlib import Path

from psycopg import sql
from rounds import time_in_turns  # scripts/bench/rounds.py

from dashboard.bench_targets import place_of
from dashboard.map.viewport import bbox_around
from dashboard.settings import get_settings
from geo.bootstrap import ensure_database
from geo.database import connect
from geo.geojson import collection_sql
from geo.params import digits_for_zoom, tolerance_for_zoom
from geo.sqlfiles import read_sql
from layers.catalog import REGISTRY


def outline_layers():
    return [layer for layer in REGISTRY.all()
            if "outline_digits" in read_sql(f"queries/{layer.query}.sql")]


def _features(text: str) -> list[tuple]:
    return [(f["id"], json.dumps(f["properties"], sort_keys=True))
            for f in json.loads(text)["features"]]


def _at(base: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{base}:{path}"], cwd=Path(__file__).parents[2],
                          check=True, capture_output=True, text=True).stdout


def main(scale: str, runs: int, base: str = "main") -> None:
    wrapper = _at(base, "geo/sql/queries/feature_collection.sql")
    old_sql = {layer.query: sql.SQL(wrapper).format(features=sql.SQL(
        _at(base, f"geo/sql/queries/{layer.query}.sql").strip().rstrip(";")))
        for layer in outline_layers()}
    settings = get_settings()
    url = ensure_database(settings, f"{settings.database_name}_bench_{scale}")
    with connect(url, settings) as conn:
        conn.execute("SET statement_timeout = 0")
        place = place_of(conn).params
        whole = (place["west"], place["south"], place["east"], place["north"])
        centre = (place["lat"], place["lng"])
        print(f"{'layer':12s} {'zoom':>4s} {'features':>8s} {'old KB':>9s} {'new KB':>9s} "
              f"{'old gz KB':>9s} {'new gz KB':>9s} {'old ms':>8s} {'new ms':>8s}")
        for zoom in (11, 13, 15):
            bbox = whole if zoom == 11 else bbox_around(centre, zoom)
            base = {"west": bbox[0], "south": bbox[1], "east": bbox[2], "north": bbox[3],
                    "tolerance": tolerance_for_zoom(zoom), "digits": 6, "zoom": zoom,
                    "since": place["since"], "until": place["until"], "max_rows": None}
            for layer in outline_layers():
                old = {**base, "outline_digits": 6}
                new = {**base, "outline_digits": digits_for_zoom(zoom)}
                now_sql = collection_sql(layer.query)
                jobs = {"old": lambda p=old, q=old_sql[layer.query]: conn.execute(
                            q, p, prepare=False).fetchone()[0],
                        "new": lambda p=new, q=now_sql: conn.execute(
                            q, p, prepare=False).fetchone()[0]}
                before, after = jobs["old"](), jobs["new"]()
                assert _features(before) == _features(after), layer.id
                times = time_in_turns(jobs, runs)
                print(f"{layer.id:12s} {zoom:4d} {len(_features(after)):8d} "
                      f"{len(before) / 1024:9.1f} {len(after) / 1024:9.1f} "
                      f"{_gz(before):9.1f} {_gz(after):9.1f} "
                      f"{statistics.median(times['old']):8.1f} "
                      f"{statistics.median(times['new']):8.1f}")


def _gz(text: str) -> float:
    """KB of `text` gzipped at level 6 (flask-compress's default)."""
    return len(gzip.compress(text.encode(), 6)) / 1024


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
