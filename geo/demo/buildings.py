"""Buildings: courtyards, apartment slabs and sheds on jittered lattices, each inside one grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.demo.frame import rectangles
from geo.demo.shape import Shape

# (cell along, cell across, width range, depth range, jitter) in metres, per lattice kind.
_LATTICES = {
    "courtyard": (28.0, 34.0, (14.0, 20.0), (16.0, 24.0), 1.5),
    "slab": (80.0, 45.0, (50.0, 64.0), (11.0, 14.0), 3.0),
    "shed": (95.0, 55.0, (60.0, 82.0), (30.0, 42.0), 3.0),
}


def _lattice(rng: np.random.Generator, core: np.ndarray, radius: float, kind: str,
             angle: float) -> dict[str, np.ndarray]:
    """Jittered, rotated lattice cells within `radius` of `core`, with their row/column."""
    dx, dy, wr, hr, jit = _LATTICES[kind]
    ni, nj = int(radius // dx) + 1, int(radius // dy) + 1
    i, j = np.meshgrid(np.arange(-ni, ni + 1), np.arange(-nj, nj + 1))
    i, j = i.ravel(), j.ravel()
    u, v = i * dx, j * dy
    keep = np.hypot(u, v) <= radius
    i, j, u, v = i[keep], j[keep], u[keep], v[keep]
    n = len(i)
    u = u + rng.uniform(-jit, jit, n)
    v = v + rng.uniform(-jit, jit, n)
    c, s = np.cos(angle), np.sin(angle)
    return {
        "cx": core[0] + u * c - v * s, "cy": core[1] + u * s + v * c,
        "w": rng.uniform(*wr, n), "h": rng.uniform(*hr, n),
        "angle": np.full(n, angle) + rng.normal(0, 0.01, n),
        "i": i, "j": j, "dist": np.hypot(u, v), "lattice": np.full(n, kind),
    }


def _fit(cand: pd.DataFrame, shape: Shape, shrunk: np.ndarray, tree: shapely.STRtree,
         keep_out: shapely.STRtree) -> pd.DataFrame:
    """Candidates whose rectangle lies inside a grid of their own region and off corridors."""
    rects = rectangles(*(cand[k].to_numpy() for k in ("cx", "cy", "w", "h", "angle")))
    pts = shapely.points(cand["cx"].to_numpy(), cand["cy"].to_numpy())
    src, grid = tree.query(pts, predicate="within")
    ok = shapely.within(rects[src], shrunk[grid])
    ok &= shape.grid_region[grid] == cand["region"].to_numpy()[src]
    src, grid = src[ok], grid[ok]
    blocked = np.unique(keep_out.query(rects[src], predicate="intersects")[0])
    mask = np.ones(len(src), dtype=bool)
    mask[blocked] = False
    out = cand.iloc[src[mask]].copy()
    out["grid"] = grid[mask]
    out["geom"] = rects[src[mask]]
    return out


def _first_per_region(df: pd.DataFrame, limit: np.ndarray) -> pd.DataFrame:
    """The `limit[region]` candidates nearest each settlement core."""
    df = df.sort_values(["region", "dist"], kind="stable")
    rank = df.groupby("region").cumcount().to_numpy()
    return df[rank < limit[df["region"].to_numpy()]]


def _settlements(rng: np.random.Generator, shape: Shape, fit) -> pd.DataFrame:
    parts = []
    for r, kind in enumerate(shape.region_kind):
        lattice = "courtyard" if kind == "village" else "slab"
        angle = rng.uniform(-0.35, 0.35)
        cells = _lattice(rng, shape.region_core[r], shape.region_radius[r], lattice, angle)
        parts.append(pd.DataFrame(cells).assign(region=r, park=-1))
    built = fit(pd.concat(parts, ignore_index=True))
    return _first_per_region(built, shape.region_size)


def _parks(rng: np.random.Generator, shape: Shape, fit, houses: pd.DataFrame) -> pd.DataFrame:
    parts = []
    reach = houses.groupby("region")["dist"].max()
    for p, r in enumerate(shape.park_region):
        # 1.5x the planned radius: sheds on grid borders and corridors are dropped.
        cells = pd.DataFrame(_lattice(rng, shape.park_core[p], shape.park_radius[p] * 1.5, "shed",
                                      rng.uniform(-0.5, 0.5)))
        # Sheds keep clear of the village's houses: the village disc plus a 70 m margin.
        to_core = np.hypot(cells["cx"] - shape.region_core[r][0],
                           cells["cy"] - shape.region_core[r][1])
        cells = cells[to_core > reach.get(r, 0.0) + 70.0]
        parts.append(cells.assign(region=r, park=p))
    if not parts:
        return houses.iloc[:0]
    sheds = fit(pd.concat(parts, ignore_index=True))
    limit = np.zeros(len(shape.region_kind), dtype=int)
    out = []
    for p, r in enumerate(shape.park_region):
        limit[r] = shape.park_size[p]
        out.append(_first_per_region(sheds[sheds["park"] == p], limit))
    return pd.concat(out)


def _uses(rng: np.random.Generator, df: pd.DataFrame) -> pd.DataFrame:
    """Use, floors and rooms by lattice and position (main street, near the core, …)."""
    n = len(df)
    lattice = df["lattice"].to_numpy()
    near_rank = df.groupby("region").cumcount().to_numpy()  # 0 = nearest the core
    village = lattice == "courtyard"
    use = np.where(village, np.where(rng.random(n) < 0.72, "rental", "residential"),
                   np.where(lattice == "slab", "residential", "industrial")).astype(object)
    use[village & (df["j"].to_numpy() == 0)] = "mixed"  # the main street: shops below rooms
    street_side = village & (np.abs(df["j"].to_numpy()) == 1) & (rng.random(n) < 0.12)
    use[street_side] = "commercial"
    use[(lattice == "slab") & (rng.random(n) < 0.12)] = "commercial"
    use[(lattice != "shed") & (near_rank < 4)] = "public"  # committee, school, clinic
    use[(lattice == "shed") & (rng.random(n) < 0.04)] = "commercial"  # logistics offices

    floors = np.select(
        [lattice == "slab", lattice == "shed"],
        [rng.choice([6, 6, 7, 9, 11, 12, 14, 16, 18], n), rng.integers(1, 3, n)],
        rng.choice([1, 1, 2, 2, 3], n))
    rooms = np.select(
        [lattice == "slab", lattice == "shed"],
        [floors * 6, rng.integers(0, 5, n)],
        np.clip(floors * rng.integers(4, 9, n), 4, 20))
    small = (use == "public") | (use == "commercial")
    floors = np.where(small & (lattice == "slab"), rng.integers(2, 12, n), floors)
    rooms = np.where(small, rng.integers(4, 40, n), rooms)
    residential_court = village & (use == "residential")
    rooms = np.where(residential_court, rng.integers(4, 9, n), rooms)
    return df.assign(use=use, floors=floors.astype(int), rooms=rooms.astype(int))


def place_buildings(rng: np.random.Generator, shape: Shape,
                    keep_out: shapely.STRtree) -> pd.DataFrame:
    """All buildings of the town in the metric frame, each fully inside its grid."""
    # 1.5 m inside the grid, so that no rounding in the degree mapping can touch a border.
    shrunk = shapely.buffer(shape.grid_geom, -1.5, join_style="mitre")
    tree = shapely.STRtree(shape.grid_geom)

    def fit(cand: pd.DataFrame) -> pd.DataFrame:
        return _fit(cand, shape, shrunk, tree, keep_out)

    houses = _settlements(rng, shape, fit)
    sheds = _parks(rng, shape, fit, houses)
    df = pd.concat([houses, sheds], ignore_index=True)
    df = df.sort_values(["region", "park", "dist"], kind="stable").reset_index(drop=True)
    return _uses(rng, df)
