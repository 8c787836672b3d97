"""The town's shape: a convex boundary, its communities and villages, their grids and parks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity

from geo.demo.frame import TownSpec, spread_points, voronoi_tiles
from geo.demo.names import MAJUQIAO_COMMUNITIES, MAJUQIAO_VILLAGES, place_names

SEAT_XY = (-2600.0, 2000.0)  # the town seat sits in the NW, toward Yizhuang
COURTYARD_CELL_M2 = 28.0 * 34.0
SLAB_CELL_M2 = 80.0 * 45.0
SHED_CELL_M2 = 95.0 * 55.0
PARKS = 10


@dataclass
class Shape:
    """Boundary, regions (communities first, then villages), grids and industrial parks."""

    boundary: shapely.Polygon
    region_kind: np.ndarray  # 'community' | 'village'
    region_name: np.ndarray
    region_core: np.ndarray  # (n, 2) settlement centre = Voronoi seed
    region_geom: np.ndarray
    region_radius: np.ndarray  # settlement radius, metres
    region_size: np.ndarray  # planned buildings of the settlement (courtyards or slabs)
    park_region: np.ndarray  # region index of each industrial park
    park_core: np.ndarray  # (p, 2)
    park_radius: np.ndarray
    park_size: np.ndarray  # planned sheds
    grid_region: np.ndarray
    grid_seed: np.ndarray  # (g, 2)
    grid_geom: np.ndarray


def town_boundary(spec: TownSpec, rng: np.random.Generator) -> shapely.Polygon:
    """Convex hull of a gently perturbed ellipse, scaled to the target area exactly."""
    theta = np.linspace(0.0, 2 * np.pi, 96, endpoint=False)
    wobble = np.zeros_like(theta)
    for k in (2, 3, 5):
        wobble += rng.uniform(0.01, 0.035) * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
    x = 5500.0 * np.cos(theta) * (1 + wobble)
    y = 4750.0 * np.sin(theta) * (1 + wobble)
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
    factor = np.sqrt(spec.area_m2 / hull.area)
    return affinity.scale(hull, factor, factor, origin=(0, 0))


def _region_names(spec: TownSpec, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    if spec.real_names:
        return MAJUQIAO_COMMUNITIES[: spec.communities], MAJUQIAO_VILLAGES[: spec.villages]
    taken: set[str] = set()
    return (place_names(rng, spec.communities, "社区", taken),
            place_names(rng, spec.villages, "村", taken))


def _parks(rng: np.random.Generator, geoms: np.ndarray, cores: np.ndarray,
           radius: np.ndarray, villages: np.ndarray) -> tuple[list[int], list, list, list]:
    """Industrial parks in the villages nearest the seat, away from each village's houses."""
    order = villages[np.argsort(np.hypot(*(cores[villages] - SEAT_XY).T))]
    regions, centres, radii, sizes = [], [], [], []
    for r in order:
        if len(regions) == PARKS:
            break
        size = int(rng.integers(90, 150))
        park_r = np.sqrt(size * SHED_CELL_M2 / np.pi) * 1.25
        room = geoms[r].buffer(-park_r * 0.5)
        if room.is_empty or room.area < 1e4:
            continue
        cand = spread_points(rng, room, 12)
        dist = np.hypot(*(cand - cores[r]).T)
        best = int(np.argmax(dist))
        # Sheds stay out of the village's own disc (buildings.py), so a partial overlap is fine.
        if dist[best] < radius[r] + park_r * 0.3:
            continue
        regions.append(int(r))
        centres.append(cand[best])
        radii.append(park_r)
        sizes.append(size)
    return regions, centres, radii, sizes


def _grid_counts(weights: np.ndarray, total: int) -> np.ndarray:
    """Largest-remainder allocation of `total` grids by weight, at least one per region."""
    share = weights / weights.sum() * (total - len(weights))
    counts = np.floor(share).astype(int) + 1
    rest = total - counts.sum()
    counts[np.argsort(-(share - np.floor(share)), kind="stable")[:rest]] += 1
    return counts


def _node(tiles: np.ndarray) -> np.ndarray:
    """Insert each neighbour's vertices into every tile's edges (a noded coverage).

    Tiles of different regions meet along a region edge, each with its own split points; a
    geodesic area then sees hair-thin slivers between them. Snapping at 1 µm adds the missing
    vertices, so both sides of every shared edge have the very same vertex list.
    """
    left, right = shapely.STRtree(tiles).query(tiles, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    coords = [shapely.get_coordinates(t) for t in tiles]
    refs = np.empty(len(tiles), dtype=object)
    for k in range(len(tiles)):
        near = right[left == k]
        refs[k] = shapely.multipoints(np.vstack([coords[j] for j in near])) if len(near) else None
    return np.where(refs != None, shapely.snap(tiles, refs, 1e-6), tiles)  # noqa: E711


def build_shape(spec: TownSpec, rng: np.random.Generator) -> Shape:
    """Boundary, Voronoi regions and Voronoi grids, all convex and gap-free."""
    boundary = town_boundary(spec, rng)
    seat = shapely.Point(SEAT_XY).buffer(1300.0)
    com_seeds = spread_points(rng, seat.intersection(boundary.buffer(-400)), spec.communities)
    village_room = boundary.buffer(-350).difference(shapely.Point(SEAT_XY).buffer(1900.0))
    vil_seeds = spread_points(rng, village_room, spec.villages, existing=com_seeds)
    cores = np.vstack([com_seeds, vil_seeds])
    geoms = voronoi_tiles(boundary, cores)
    kinds = np.array(["community"] * spec.communities + ["village"] * spec.villages)
    com_names, vil_names = _region_names(spec, rng)
    names = np.array(com_names + vil_names, dtype=object)

    is_village = kinds == "village"
    size = np.where(is_village, np.clip(rng.lognormal(np.log(375), 0.3, len(kinds)), 120, 700),
                    rng.integers(30, 46, len(kinds))).astype(int)
    cell = np.where(is_village, COURTYARD_CELL_M2, SLAB_CELL_M2)
    radius = np.sqrt(size * cell / np.pi) * np.where(is_village, 1.3, 1.8)
    p_reg, p_core, p_rad, p_size = _parks(rng, geoms, cores, radius, np.flatnonzero(is_village))

    # Grids follow households: ~4.4 per courtyard, ~55 per apartment slab, a few per park.
    weights = np.where(is_village, size * 4.4, size * 55.0)
    for r in p_reg:
        weights[r] += 400.0
    counts = _grid_counts(weights, spec.grids)
    g_region, g_seed, g_geom = [], [], []
    for r, n in enumerate(counts):
        core_disc = shapely.Point(cores[r]).buffer(radius[r] * 0.9)
        room = geoms[r].buffer(-40).intersection(core_disc)
        has_park = r in p_reg
        n_core = n - 1 if has_park and n > 1 else n
        seeds = spread_points(rng, room if room.area > 1e4 else geoms[r].buffer(-40), n_core)
        if has_park and n > 1:
            seeds = np.vstack([seeds, p_core[p_reg.index(r)]])
        g_region += [r] * n
        g_seed.append(seeds)
        g_geom.append(voronoi_tiles(geoms[r], seeds))
    # Rebuild regions and the town from their tiles so that shared edges carry the very same
    # vertices: geodesic (geography) areas then see no slivers between a region and its grids.
    g_region = np.array(g_region)
    g_geom = _node(np.concatenate(g_geom))
    geoms = np.array([shapely.union_all(g_geom[g_region == r]) for r in range(len(geoms))],
                     dtype=object)
    boundary = shapely.union_all(geoms)
    if shapely.get_type_id(boundary) != 3 or (shapely.get_type_id(geoms) != 3).any():
        raise ValueError("the town or a region is not a single polygon")
    return Shape(
        boundary=boundary, region_kind=kinds, region_name=names, region_core=cores,
        region_geom=geoms, region_radius=radius, region_size=size,
        park_region=np.array(p_reg, dtype=int), park_core=np.array(p_core).reshape(-1, 2),
        park_radius=np.array(p_rad), park_size=np.array(p_size, dtype=int),
        grid_region=g_region, grid_seed=np.vstack(g_seed), grid_geom=g_geom,
    )
