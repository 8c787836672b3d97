"""One synthetic town, stage by stage, as table-shaped frames ready for COPY."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import shapely

from geo.demo import activity, population, roster
from geo.demo.buildings import place_buildings
from geo.demo.compounds import place_compounds
from geo.demo.context import context_lines, keep_out
from geo.demo.frame import TownSpec, to_lnglat, xy_to_latlng
from geo.demo.shape import Shape, build_shape
from geo.h3cells import cells

DAY = np.timedelta64(86_400, "s")
STAGES = ["shape", "buildings", "compounds", "households", "persons", "units", "incidents",
          "cases", "resources", "staff"]
Stage = Callable[[str], None]


def codes(prefix: str, n: int, width: int, start: int = 1) -> np.ndarray:
    """Natural keys like 110112104-B000123, numbered from `start`."""
    nums = np.char.zfill(np.arange(start, start + n).astype(str), width)
    return np.char.add(prefix, nums).astype(object)


def _ewkb(spec: TownSpec, geoms: np.ndarray) -> np.ndarray:
    return shapely.to_wkb(to_lnglat(spec, np.asarray(geoms, dtype=object)), hex=True,
                          include_srid=True).astype(object)


def _points(spec: TownSpec, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(EWKB hex, H3 cell) of metric-frame points."""
    lat, lng = xy_to_latlng(spec, x, y)
    geom = shapely.to_wkb(shapely.set_srid(shapely.points(lng, lat), 4326), hex=True,
                          include_srid=True).astype(object)
    return geom, cells(lat, lng)


def _ages(rng: np.random.Generator, end: np.datetime64, lo: float, hi: float,
          n: int) -> np.ndarray:
    return end - (rng.uniform(lo, hi, n) * DAY).astype("timedelta64[s]")


def _addresses(spec: TownSpec, shape: Shape, b: pd.DataFrame, comp: pd.DataFrame,
               member: np.ndarray) -> list[str]:
    """Chinese addresses: 马驹桥镇辛屯村3巷12号, 新海南里二区5号楼, 辛屯产业园7号."""
    region = b["region"].to_numpy()
    lane = b["j"] - b.groupby("region")["j"].transform("min") + 1
    door = b["i"] - b.groupby("region")["i"].transform("min") + 1
    group = np.where(member >= 0, member + 10_000, np.where(b["park"] >= 0, b["park"] - 100,
                                                            region))
    rank = pd.Series(group).groupby(group).cumcount().to_numpy() + 1
    comp_names = comp["name"].to_numpy() if len(comp) else np.array([])
    out = []
    for k, (lat, j) in enumerate(zip(b["lattice"].to_numpy(), b["j"].to_numpy(), strict=True)):
        place = shape.region_name[region[k]]
        if lat == "shed":
            out.append(f"{spec.name}{place.removesuffix('村')}产业园{rank[k]}号")
        elif lat == "slab":
            estate = comp_names[member[k]] if member[k] >= 0 else place.removesuffix("社区")
            out.append(f"{estate}{rank[k]}号楼")
        elif j == 0:
            out.append(f"{spec.name}{place}大街{door.iat[k]}号")
        else:
            out.append(f"{spec.name}{place}{lane.iat[k]}巷{door.iat[k]}号")
    return out


def _base_tables(spec: TownSpec, rng: np.random.Generator, shape: Shape, b: pd.DataFrame,
                 comp: pd.DataFrame, member: np.ndarray, hh_per_b: np.ndarray,
                 worker_codes: np.ndarray, end: np.datetime64, grid_age: np.ndarray) -> dict:
    t = spec.code
    n_r, n_g = len(shape.region_geom), len(shape.grid_geom)
    com_codes = np.array([f"{t}{k + 1:03d}" for k in range(spec.communities)]
                         + [f"{t}{201 + k:03d}" for k in range(spec.villages)], dtype=object)
    grid_codes = codes(f"{t}-G", n_g, 4)
    comp_codes = codes(f"{t}-Q", len(comp), 4)
    b_codes = codes(f"{t}-B", len(b), 6)
    ordinal = pd.Series(shape.grid_region).groupby(shape.grid_region).cumcount().to_numpy() + 1
    grid_names = [f"{shape.region_name[r].removesuffix('社区')}第{k}网格"
                  for r, k in zip(shape.grid_region, ordinal, strict=True)]
    comp_hh = np.bincount(member[member >= 0], weights=hh_per_b[member >= 0],
                          minlength=len(comp)).astype(int)
    lat, lng = xy_to_latlng(spec, b["cx"].to_numpy(), b["cy"].to_numpy())
    return {
        "towns": pd.DataFrame({
            "code": [t], "town_code": [t], "name": [spec.name], "name_en": [spec.name_en],
            "district": ["通州区"], "resident_population": [spec.residents],
            "registered_population": [spec.registered],
            "geom": _ewkb(spec, np.array([shapely.MultiPolygon([shape.boundary])], dtype=object)),
            "updated_at": [end - DAY]}),
        "communities": pd.DataFrame({
            "code": com_codes, "town_code": t, "name": shape.region_name,
            "kind": shape.region_kind,
            "committee_phone": [f"010-{int(x):08d}" for x in rng.integers(6050_0000, 6059_9999,
                                                                          n_r)],
            "geom": _ewkb(spec, shapely.multipolygons(shape.region_geom[:, None])),
            "updated_at": _ages(rng, end, 1, 30, n_r)}),
        "grids": pd.DataFrame({
            "code": grid_codes, "town_code": t, "name": grid_names,
            "community_code": com_codes[shape.grid_region], "worker_code": worker_codes,
            "geom": _ewkb(spec, shape.grid_geom),
            "updated_at": end - (grid_age * DAY).astype("timedelta64[s]")}),
        "compounds": pd.DataFrame({
            "code": comp_codes, "town_code": t, "name": comp.get("name", []),
            "community_code": com_codes[comp["region"].to_numpy(int)] if len(comp) else [],
            "grid_code": grid_codes[comp["grid"].to_numpy(int)] if len(comp) else [],
            "management": comp.get("management", []),
            "caretaker_branch": comp.get("caretaker", []), "households": comp_hh,
            "geom": _ewkb(spec, comp.get("geom", np.array([], dtype=object))),
            "updated_at": _ages(rng, end, 0, 120, len(comp))}),
        "buildings": pd.DataFrame({
            "code": b_codes, "town_code": t, "address": _addresses(spec, shape, b, comp, member),
            "grid_code": grid_codes[b["grid"].to_numpy()],
            "compound_code": np.where(member >= 0, comp_codes[np.maximum(member, 0)]
                                      if len(comp) else None, None),
            "use": b["use"].to_numpy(), "floors": b["floors"].to_numpy(),
            "rooms": b["rooms"].to_numpy(), "h3_cell": cells(lat, lng),
            "geom": _ewkb(spec, b["geom"].to_numpy()),
            "updated_at": end - ((grid_age[b["grid"].to_numpy()] + rng.uniform(0, 60, len(b)))
                                 * DAY).astype("timedelta64[s]")}),
    }


def _point_rows(spec: TownSpec, rng: np.random.Generator, frame: pd.DataFrame, letter: str,
                grid: np.ndarray, grid_codes: np.ndarray, b_codes: np.ndarray | None,
                end: np.datetime64, width: int = 5) -> pd.DataFrame:
    """Code, town, building, grid, H3 cell, point and freshness around a frame's own columns."""
    geom, h3 = _points(spec, frame["x"].to_numpy(), frame["y"].to_numpy())
    out = frame.drop(columns=["x", "y", "building", "grid"], errors="ignore").reset_index(drop=True)
    out.insert(0, "code", codes(f"{spec.code}-{letter}", len(frame), width))
    out.insert(1, "town_code", spec.code)
    if b_codes is not None:
        out["building_code"] = b_codes[frame["building"].to_numpy()]
    out["grid_code"] = np.where(grid >= 0, grid_codes[np.maximum(grid, 0)], None)
    out["h3_cell"] = h3
    out["geom"] = geom
    if "updated_at" not in out:
        out["updated_at"] = _ages(rng, end, 0, 90, len(frame))
    return out


def _locate(shape: Shape, b: pd.DataFrame, df: pd.DataFrame) -> np.ndarray:
    """Grid of each free-standing point; points in no grid move to their anchor building."""
    tree = shapely.STRtree(shape.grid_geom)
    src, grid = tree.query(shapely.points(df["x"], df["y"]), predicate="within")
    found = np.full(len(df), -1)
    found[src[::-1]] = grid[::-1]
    lost = (found < 0) & (df["building"].to_numpy() >= 0)
    bi = df["building"].to_numpy()[lost]
    df.loc[lost, "x"] = b["cx"].to_numpy()[bi]
    df.loc[lost, "y"] = b["cy"].to_numpy()[bi]
    found[lost] = b["grid"].to_numpy()[bi]
    return found


def _context(spec: TownSpec, features: list, end: np.datetime64) -> pd.DataFrame:
    kinds, names, ranks, geoms = zip(*features, strict=True)
    return pd.DataFrame({
        "code": codes(f"{spec.code}-F", len(features), 3), "town_code": spec.code,
        "kind": kinds, "name": names, "rank": ranks,
        "geom": _ewkb(spec, np.array(geoms, dtype=object)),
        "updated_at": end - 400 * DAY})

def generate_town(spec: TownSpec, end: np.datetime64, stage: Stage = lambda _: None
                  ) -> dict[str, pd.DataFrame]:
    """Every table of one town, deterministic in (spec.seed, end)."""
    rng = np.random.default_rng(spec.seed)
    stage("shape")
    shape = build_shape(spec, rng)
    features = context_lines(spec, rng, shape.boundary)
    stage("buildings")
    b = place_buildings(rng, shape, keep_out(features))
    stage("compounds")
    comp, member = place_compounds(rng, shape, b)
    stage("households")
    grid_age = np.where(rng.random(len(shape.grid_geom)) < 0.15,
                        rng.uniform(120, 400, len(shape.grid_geom)),
                        rng.uniform(0, 60, len(shape.grid_geom)))
    hh = population.make_households(rng, spec, b, grid_age, end)
    hh_per_b = np.bincount(hh["building"], minlength=len(b))
    floating_b = np.bincount(hh["building"], weights=hh["floating"], minlength=len(b))
    stage("persons")
    people = population.make_persons(rng, hh, end)
    stage("units")
    units = activity.make_units(rng, b, shape.region_name, shape.park_core)
    stage("incidents")
    three_no = np.zeros(len(b), dtype=bool)
    if len(comp):
        bad = np.flatnonzero(comp["management"].to_numpy() == "three_no")
        three_no = np.isin(member, bad)
    cls = activity.place_class(b, three_no)
    tickets = activity.make_incidents(rng, b, hh_per_b, cls, spec.incidents, end)
    stage("cases")
    cases = activity.make_cases(rng, b, floating_b, end)
    stage("resources")
    res = roster.make_resources(rng, shape, b, comp)
    staff = roster.make_staff(rng, shape, b, hh_per_b)

    t, n_g = spec.code, len(shape.grid_geom)
    staff_codes = codes(f"{t}-S", len(staff), 5)
    worker = staff_codes[:n_g]  # make_staff lists one grid worker per grid first, in grid order
    tables = _base_tables(spec, rng, shape, b, comp, member, hh_per_b, worker, end, grid_age)
    b_codes = tables["buildings"]["code"].to_numpy()
    b_addr = tables["buildings"]["address"].to_numpy()
    grid_codes = tables["grids"]["code"].to_numpy()
    b_grid = b["grid"].to_numpy()
    hh_codes = codes(f"{t}-H", len(hh), 7)
    tables["households"] = pd.DataFrame({
        "code": hh_codes, "town_code": t, "building_code": b_codes[hh["building"]],
        **{k: hh[k].to_numpy() for k in ("room", "members", "registered", "floating", "renters",
                                         "elderly", "children", "vulnerable", "updated_at")}})
    tables["persons"] = pd.DataFrame({
        "code": codes(f"{t}-P", len(people), 7), "town_code": t,
        "household_code": hh_codes[people["household"]], "name": people["name"].to_numpy(),
        "id_number": people["id_number"].to_numpy(), "phone": people["phone"].to_numpy(),
        "registered": people["registered"].to_numpy(),
        "updated_at": hh["updated_at"].to_numpy()[people["household"]]})
    b_cx, b_cy = b["cx"].to_numpy(), b["cy"].to_numpy()
    tables["units"] = _point_rows(spec, rng, units, "U", b_grid[units["building"]], grid_codes,
                                  b_codes, end)
    tickets["address"] = b_addr[tickets["building"]]
    tables["incidents"] = _point_rows(spec, rng, tickets, "I", b_grid[tickets["building"]],
                                      grid_codes, b_codes, end, width=6)
    t_grid = b_grid[tickets["building"].to_numpy()]
    tables["incidents"]["assignee"] = np.where(
        (t_grid >= 0) & (tables["incidents"]["status"].to_numpy() != "received"),
        worker[np.maximum(t_grid, 0)], None)
    tables["ticket_events"] = activity.ticket_history(tables["incidents"], end)
    # A case is drawn at its building's centroid (the unit of containment).
    cases["x"], cases["y"] = b_cx[cases["building"]], b_cy[cases["building"]]
    tables["cases"] = _point_rows(spec, rng, cases, "E", b_grid[cases["building"]], grid_codes,
                                  b_codes, end)
    res_grid = _locate(shape, b, res)
    tables["resources"] = _point_rows(spec, rng, res, "R", res_grid, grid_codes, None, end, 4)
    staff_frame = _point_rows(spec, rng, staff, "S", staff["grid"].to_numpy(), grid_codes, None,
                              end)
    tables["staff"] = staff_frame
    tables["context_features"] = _context(spec, features, end)
    return tables
