"""Compounds (小区): estates in communities, rental yards and resettlement blocks in villages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.demo.shape import Shape

_CN_DIGITS = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    """Chinese numeral for 1..99, as in 新海南里三区."""
    if n <= 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _hull_in_grid(geoms: np.ndarray, grid: shapely.Polygon, pad: float) -> shapely.Polygon:
    # Convex hull, mitred pad, cut by the (convex) grid shrunk by 0.5 m: a convex polygon that
    # lies strictly inside the grid.
    hull = shapely.convex_hull(shapely.union_all(geoms)).buffer(pad, join_style="mitre")
    return shapely.intersection(hull, grid.buffer(-0.5, join_style="mitre"))


def place_compounds(rng: np.random.Generator, shape: Shape,
                    buildings: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Compounds (at most one per grid) and, per building, the index of its compound or -1."""
    member = np.full(len(buildings), -1)
    rows: list[dict] = []
    by_grid = buildings.groupby("grid").indices
    geoms = buildings["geom"].to_numpy()
    use = buildings["use"].to_numpy()
    region_of = shape.grid_region

    def add(grid: int, picked: np.ndarray, pad: float, **fields) -> None:
        poly = _hull_in_grid(geoms[picked], shape.grid_geom[grid], pad)
        if poly.is_empty or shapely.get_type_id(poly) != 3:
            return
        inside = by_grid[grid][shapely.within(geoms[by_grid[grid]], poly)]
        inside = inside[member[inside] < 0]
        if len(inside) == 0:
            return
        member[inside] = len(rows)
        rows.append({"grid": grid, "region": int(region_of[grid]), "geom": poly, **fields})

    # Communities: every grid's apartment slabs form one estate, mostly with a property company.
    counters: dict[int, int] = {}
    for grid in np.flatnonzero(shape.region_kind[region_of] == "community"):
        idx = by_grid.get(grid)
        if idx is None:
            continue
        slabs = idx[use[idx] == "residential"]
        if len(slabs) < 2:
            continue
        r = int(region_of[grid])
        counters[r] = counters.get(r, 0) + 1
        management = rng.choice(["property", "quasi", "three_no"], p=[0.72, 0.2, 0.08])
        add(grid, slabs, 8.0, region_kind="community", number=counters[r],
            management=str(management),
            caretaker=bool(management == "three_no" and rng.random() < 0.5))

    # Villages: rental yards (three-no, the hardest to manage) and resettlement blocks (quasi).
    village_grids = [g for g in np.flatnonzero(shape.region_kind[region_of] == "village")
                     if g in by_grid and len(by_grid[g]) >= 8]
    n_village = min(len(village_grids), int(rng.integers(82, 96)))
    chosen = rng.choice(village_grids, n_village, replace=False)
    three_no = set(rng.choice(n_village, int(rng.integers(28, 36)), replace=False).tolist())
    centres = np.column_stack([buildings["cx"].to_numpy(), buildings["cy"].to_numpy()])
    for k, grid in enumerate(chosen):
        idx = by_grid[grid]
        housing = idx[np.isin(use[idx], ["rental", "residential", "mixed"])]
        if len(housing) < 4:
            continue
        seed = housing[rng.integers(len(housing))]
        size = min(len(housing), int(rng.integers(5, 22)))
        near = housing[np.argsort(np.hypot(*(centres[housing] - centres[seed]).T))[:size]]
        r = int(region_of[grid])
        counters[r] = counters.get(r, 0) + 1
        is_three_no = k in three_no
        add(grid, near, 3.0, region_kind="village", number=counters[r],
            management="three_no" if is_three_no else "quasi",
            caretaker=bool(is_three_no and rng.random() < 0.45))

    compounds = pd.DataFrame(rows)
    names = []
    for row in compounds.itertuples():
        base = shape.region_name[row.region]
        if row.region_kind == "community":
            names.append(f"{base.removesuffix('社区')}{_cn(row.number)}区")
        elif row.management == "three_no":
            names.append(f"{base.removesuffix('村')}{row.number}号出租大院")
        else:
            names.append(f"{base.removesuffix('村')}家园{_cn(row.number)}区")
    compounds["name"] = names
    return compounds, member
