"""Emergency resources (depots, clinics, checkpoints, …) and the mobilisation roster (staff)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import shapely

from geo.demo.activity import inside_points
from geo.demo.names import PHONE_PREFIXES, SKILLS, SURNAME_WEIGHTS, SURNAMES, person_names
from geo.demo.shape import Shape

_REACH = {"depot": 500, "clinic": 1000, "checkpoint": 300, "team": 1500, "device": 100,
          "shelter": 2000}


def _stock(rng: np.random.Generator, big: bool) -> str:
    k = 3 if big else 1
    return json.dumps({"masks": int(rng.integers(5, 25)) * 1000 * k,
                       "suits": int(rng.integers(2, 8)) * 100 * k,
                       "disinfectant_l": int(rng.integers(3, 10)) * 100 * k,
                       "food_kits": int(rng.integers(1, 5)) * 100 * k}, ensure_ascii=False)


def make_resources(rng: np.random.Generator, shape: Shape, b: pd.DataFrame,
                   compounds: pd.DataFrame) -> pd.DataFrame:
    """About 500 resources; points are inside buildings, at village edges or compound gates."""
    rows: list[tuple] = []  # (kind, name, capacity, stock, building or -1, x, y)
    region, use = b["region"].to_numpy(), b["use"].to_numpy()
    cx, cy = b["cx"].to_numpy(), b["cy"].to_numpy()
    public = b.index[use == "public"].to_numpy()

    def at(kind: str, name: str, bi: int, capacity: int, stock: str = "{}") -> None:
        x, y = inside_points(rng, b, np.array([bi]), 0.2)
        rows.append((kind, name, capacity, stock, bi, float(x[0]), float(y[0])))

    for r, rname in enumerate(shape.region_name):
        own = public[region[public] == r]
        if len(own) == 0:
            own = b.index[region == r].to_numpy()[:1]
        if len(own) == 0:
            continue
        is_com = shape.region_kind[r] == "community"
        if is_com or r % 5 == 0:
            at("depot", f"{rname}应急物资储备点", own[0], 5000, _stock(rng, r == 0))
        clinic = "社区卫生服务站" if is_com else "卫生室"
        at("clinic", f"{rname}{clinic}", own[min(1, len(own) - 1)], int(rng.integers(5, 40)))
        at("team", f"{rname}应急小分队", own[0], int(rng.integers(8, 30)))
        if is_com:
            at("team", f"{rname}志愿服务队", own[-1], int(rng.integers(20, 60)))
        if len(own) > 2 and rng.random() < 0.35:
            at("shelter", f"{rname}应急避难场所", own[2], int(rng.integers(200, 1000)))
        if is_com:
            continue
        # Checkpoints (卡口) at the village entrances: the outermost house in three directions,
        # 20 m further out along the road.
        houses = np.flatnonzero((region == r) & (b["lattice"].to_numpy() == "courtyard"))
        if len(houses) == 0:
            continue
        base = rng.uniform(0, 2 * np.pi)
        for k in range(3):
            d = np.array([np.cos(base + k * 2.1), np.sin(base + k * 2.1)])
            proj = (cx[houses] - shape.region_core[r][0]) * d[0] + (
                cy[houses] - shape.region_core[r][1]) * d[1]
            edge = houses[int(np.argmax(proj))]
            px, py = cx[edge] + 20 * d[0], cy[edge] + 20 * d[1]
            # The edge house is the fallback anchor should the point fall outside every grid.
            rows.append(("checkpoint", f"{rname}{'东南西北'[k % 4]}口卡口", 0, "{}", edge, px, py))
            if k == 0:
                rows.append(("device", f"{rname}测温摄像头", 0, "{}", edge, px + 3, py + 3))
    for row in compounds.itertuples():
        if row.management == "quasi":
            continue
        gate = shapely.line_interpolate_point(row.geom.exterior, rng.random(), normalized=True)
        rows.append(("checkpoint", f"{row.name}门岗", 0, "{}", -1, gate.x, gate.y))
        rows.append(("device", f"{row.name}人脸识别门禁", 0, "{}", -1, gate.x, gate.y))
    df = pd.DataFrame(rows, columns=["kind", "name", "capacity", "stock", "building", "x", "y"])
    df["reach_m"] = df["kind"].map(_REACH)
    return df


def make_staff(rng: np.random.Generator, shape: Shape, b: pd.DataFrame,
               hh_per_building: np.ndarray) -> pd.DataFrame:
    """One grid worker per grid, building and street heads, party members and volunteers."""
    grid = b["grid"].to_numpy()
    use, lattice = b["use"].to_numpy(), b["lattice"].to_numpy()
    n_grids = len(shape.grid_geom)
    # The grid worker lives in the grid's most populous building (or at the grid seed).
    best = pd.Series(hh_per_building).groupby(grid).idxmax()
    worker_b = best.reindex(range(n_grids), fill_value=-1).to_numpy()
    heads = np.flatnonzero(((lattice == "slab") & (use == "residential"))
                           | ((use == "rental") & (rng.random(len(b)) < 0.03)))
    lanes = b[lattice == "courtyard"].groupby(["region", "j"]).head(1).index.to_numpy()
    streets = lanes[rng.random(len(lanes)) < 0.3]
    p = hh_per_building / hh_per_building.sum()
    party = rng.choice(len(b), 420, p=p)
    volunteers = rng.choice(len(b), 520, p=p)
    bidx = np.concatenate([worker_b, heads, streets, party, volunteers])
    role = np.repeat(["grid_worker", "building_head", "street_head", "party_member", "volunteer"],
                     [n_grids, len(heads), len(streets), len(party), len(volunteers)])
    n = len(bidx)
    has_b = bidx >= 0
    x, y = inside_points(rng, b, np.where(has_b, bidx, 0))
    seeds = shape.grid_seed[np.arange(n_grids)]
    x[:n_grids] = np.where(has_b[:n_grids], x[:n_grids], seeds[:, 0])
    y[:n_grids] = np.where(has_b[:n_grids], y[:n_grids], seeds[:, 1])
    staff_grid = np.where(has_b, grid[np.maximum(bidx, 0)], -1)
    staff_grid[:n_grids] = np.arange(n_grids)
    k = rng.integers(1, 4, n)
    picks = rng.random((n, len(SKILLS))).argsort(1)[:, :3]
    skills = ["{" + ",".join(SKILLS[s] for s in row[:m]) + "}"
              for row, m in zip(picks, k, strict=True)]
    phone = [PHONE_PREFIXES[a] + f"{d:08d}" for a, d in
             zip(rng.integers(0, len(PHONE_PREFIXES), n), rng.integers(0, 10**8, n), strict=True)]
    return pd.DataFrame({
        "name": person_names(rng, rng.choice(len(SURNAMES), n, p=SURNAME_WEIGHTS)),
        "role": role, "phone": phone, "grid": staff_grid, "skills": skills,
        "on_duty": rng.random(n) < np.where(role == "grid_worker", 0.9, 0.3),
        "x": x, "y": y,
    })
