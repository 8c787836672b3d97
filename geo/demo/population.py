"""Households (一户一表) per building and one person row per resident, hitting census totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.demo import names as nm
from geo.demo.frame import TownSpec

DAY = np.timedelta64(86_400, "s")


def _counts(rng: np.random.Generator, b: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per building: owner households (registered) and rented-room households (floating)."""
    n = len(b)
    use, lattice = b["use"].to_numpy(), b["lattice"].to_numpy()
    rooms, floors = b["rooms"].to_numpy(), b["floors"].to_numpy()
    court = lattice == "courtyard"
    p_owner = np.select([use == "residential", use == "rental", use == "mixed"], [0.95, 0.6, 0.7],
                        0.0)
    owner = (court & (rng.random(n) < p_owner)).astype(int)
    free_rooms = np.maximum(rooms - 2 * owner, 0)
    rented = np.select(
        [court & (use == "rental"), court & (use == "mixed"), court & (use == "residential")],
        [rng.binomial(free_rooms, 0.5), rng.binomial(np.maximum(free_rooms - 1, 0), 0.45),
         rng.binomial(free_rooms, 0.08)], 0)
    slab = (lattice == "slab") & (use == "residential")
    flats = rng.binomial(floors * 6, 0.9) * slab
    slab_rented = rng.binomial(flats, 0.3)
    owner = owner + (flats - slab_rented)
    dorm = (lattice == "shed") & (use == "industrial") & (rng.random(n) < 0.2)
    rented = rented + slab_rented + dorm * rng.integers(1, 5, n)
    return owner, rented


def _room_labels(b: pd.DataFrame, building: np.ndarray, owner_flag: np.ndarray,
                 seq: np.ndarray) -> list[str]:
    lattice = b["lattice"].to_numpy()[building]
    labels = []
    for lat, own, k in zip(lattice, owner_flag, seq, strict=True):
        if lat == "slab":
            floor, rest = divmod(int(k), 6)
            labels.append(f"{rest // 2 + 1}单元{floor + 1}{rest % 2 + 1:02d}")
        elif lat == "shed":
            labels.append(f"宿舍{k + 1}")
        else:
            labels.append("正房" if own else f"{k}号房")
    return labels


def _hit_total(rng: np.random.Generator, values: np.ndarray, eligible: np.ndarray,
               target: int, floor: np.ndarray) -> np.ndarray:
    """Add or remove single people (never below `floor`) until the column sums to `target`."""
    values = values.copy()
    while (diff := target - int(values.sum())) != 0:
        pool = np.flatnonzero(eligible & ((values > floor) if diff < 0 else True))
        if len(pool) == 0:
            raise ValueError("cannot reach the population target")
        take = rng.choice(pool, min(abs(diff), len(pool)), replace=False)
        values[take] += 1 if diff > 0 else -1
    return values


def make_households(rng: np.random.Generator, spec: TownSpec, b: pd.DataFrame,
                    grid_age_days: np.ndarray, end: np.datetime64) -> pd.DataFrame:
    """One row per household, with registered + floating adding up exactly to the targets."""
    owner, rented = _counts(rng, b)
    per_building = owner + rented
    building = np.repeat(np.arange(len(b)), per_building)
    first = np.repeat(np.cumsum(per_building) - per_building, per_building)
    seq = np.arange(len(building)) - first
    is_owner = seq < owner[building]
    renter_seq = np.where(is_owner, seq, seq - owner[building] + 1)
    n = len(building)
    registered = np.where(is_owner, 1 + rng.binomial(4, 0.38, n), 0)
    floating = np.where(is_owner, rng.binomial(1, 0.08, n), 1 + rng.binomial(3, 0.2, n))
    registered = _hit_total(rng, registered, is_owner, spec.registered, np.ones(n, int))
    floating = _hit_total(rng, floating, ~is_owner, spec.residents - spec.registered,
                          np.where(is_owner, 0, 1))
    members = registered + floating
    elderly = rng.binomial(registered, 0.2) + rng.binomial(floating, 0.03)
    children = rng.binomial(members - elderly, 0.16)
    vulnerable = np.minimum(rng.binomial(elderly, 0.3) + rng.binomial(members - elderly, 0.02),
                            members)
    slab = b["lattice"].to_numpy()[building] == "slab"
    age = grid_age_days[b["grid"].to_numpy()[building]] + rng.uniform(0, 30, n)
    updated = end - (age * DAY).astype("timedelta64[s]")
    return pd.DataFrame({
        "building": building, "room": _room_labels(b, building, is_owner & ~slab,
                                                   np.where(slab, seq, renter_seq)),
        "members": members, "registered": registered, "floating": floating,
        "renters": ~is_owner, "elderly": elderly, "children": children,
        "vulnerable": vulnerable, "updated_at": updated,
    })


def _id_numbers(rng: np.random.Generator, areas: np.ndarray, birth: np.ndarray) -> np.ndarray:
    """18-digit resident ID numbers with a correct ISO 7064 MOD 11-2 check character."""
    days = birth.astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    # 17 digits fit an int64: area (6) + birth date (8) + sequence (3); no string slicing needed.
    body = (areas.astype(np.int64) * 10**11 + (year * 10_000 + month * 100 + day) * 1000
            + rng.integers(0, 1000, len(areas)))
    digits = body[:, None] // 10 ** np.arange(16, -1, -1, dtype=np.int64) % 10
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = np.array(list("10X98765432"))[(digits * weights).sum(1) % 11]
    return np.char.add(body.astype("U17"), check).astype(object)


def make_persons(rng: np.random.Generator, hh: pd.DataFrame, end: np.datetime64) -> pd.DataFrame:
    """One row per resident: synthetic name, ID number, phone, registered flag."""
    members = hh["members"].to_numpy()
    household = np.repeat(np.arange(len(hh)), members)
    rank = np.arange(len(household)) - np.repeat(np.cumsum(members) - members, members)
    registered = rank < hh["registered"].to_numpy()[household]
    elderly = rank < hh["elderly"].to_numpy()[household]
    child = ~elderly & (rank < (hh["elderly"] + hh["children"]).to_numpy()[household])
    n = len(household)
    age_years = np.select([elderly, child], [rng.uniform(60, 92, n), rng.uniform(0, 15, n)],
                          rng.uniform(18, 60, n))
    birth = end - (age_years * 365.25 * DAY).astype("timedelta64[s]")
    float_area = rng.choice(np.array(nm.FLOATING_AREAS), n, p=nm.FLOATING_AREA_WEIGHTS)
    areas = np.where(registered, nm.REGISTERED_AREA, float_area)
    # Family members mostly share the household's surname (spouses keep their own).
    family = rng.choice(len(nm.SURNAMES), len(hh), p=nm.SURNAME_WEIGHTS)[household]
    own = rng.choice(len(nm.SURNAMES), n, p=nm.SURNAME_WEIGHTS)
    surname = np.where(rng.random(n) < 0.75, family, own)
    prefix = np.array(nm.PHONE_PREFIXES)[rng.integers(0, len(nm.PHONE_PREFIXES), n)]
    phone = np.char.add(prefix, np.char.zfill(rng.integers(0, 10**8, n).astype("U8"), 8))
    phone = np.where(child | (age_years > 85), None, phone.astype(object))
    return pd.DataFrame({
        "household": household, "name": nm.person_names(rng, surname),
        "id_number": _id_numbers(rng, areas, birth), "phone": phone, "registered": registered,
    })
