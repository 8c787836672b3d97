"""What happens in the town: units and shops, a year of 12345 tickets, a 60-day outbreak."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.demo.names import SURNAMES

DAY = np.timedelta64(86_400, "s")
HOUR = np.timedelta64(3_600, "s")

CATEGORIES = ["noise", "sanitation", "illegal_construction", "heating", "parking",
              "property_management", "rental_housing", "wage_dispute", "water_supply",
              "epidemic_control", "road", "other"]
# Ticket mix per kind of place: village rentals, community estates, three-no compounds, work.
_CATEGORY_WEIGHTS = np.array([
    [6, 14, 8, 6, 3, 2, 16, 4, 6, 4, 5, 6],
    [10, 6, 2, 10, 10, 16, 3, 2, 5, 4, 4, 8],
    [6, 14, 6, 6, 5, 16, 14, 3, 6, 4, 3, 5],
    [5, 6, 4, 1, 6, 1, 2, 16, 3, 3, 8, 7],
], dtype=float)
_SATISFIED = np.array([0.86, 0.91, 0.74, 0.85])
_HOUR_WEIGHTS = np.array([1, 0.5, 0.3, 0.3, 0.3, 0.6, 2, 5, 8, 9, 9, 8, 6, 7, 8, 8, 8, 7, 7, 7,
                          6, 5, 3, 2], dtype=float)
_SHOP_KINDS = ["eatery", "grocery", "hair_beauty", "small_hotel", "internet_cafe"]
_SHOP_WORDS = {"eatery": ["家常菜", "拉面馆", "包子铺", "麻辣烫", "烧烤店", "饺子馆"],
               "grocery": ["便利店", "超市", "粮油店", "水果店"],
               "hair_beauty": ["理发店", "美发沙龙", "美甲店"],
               "small_hotel": ["旅馆", "宾馆", "招待所"], "internet_cafe": ["网吧", "网咖"]}
_INSTITUTIONS = ["委员会", "小学", "卫生室", "幼儿园", "文化站"]
_FIRMS = ["物流", "仓储", "电子", "机械", "食品", "印刷", "建材", "医药", "汽配", "包装"]
_FIRM_HEADS = ["京驹", "海通", "兴贸", "金桥", "凉水", "宏达", "永信", "恒远", "博瑞", "中航"]


def inside_points(rng: np.random.Generator, b: pd.DataFrame, idx: np.ndarray,
                  spread: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """Random points strictly inside the given buildings (offsets in each building's frame)."""
    a, c = rng.uniform(-spread, spread, (2, len(idx)))
    w, h, ang = (b[k].to_numpy()[idx] for k in ("w", "h", "angle"))
    du, dv = a * w, c * h
    x = b["cx"].to_numpy()[idx] + du * np.cos(ang) - dv * np.sin(ang)
    y = b["cy"].to_numpy()[idx] + du * np.sin(ang) + dv * np.cos(ang)
    return x, y


def place_class(b: pd.DataFrame, three_no: np.ndarray) -> np.ndarray:
    """0 village housing, 1 community estate, 2 three-no compound, 3 workplaces and services."""
    use, lattice = b["use"].to_numpy(), b["lattice"].to_numpy()
    cls = np.where(lattice == "courtyard", 0, np.where(lattice == "slab", 1, 3))
    cls = np.where(np.isin(use, ["commercial", "public", "industrial"]), 3, cls)
    return np.where(three_no & (cls != 3), 2, cls)


def make_units(rng: np.random.Generator, b: pd.DataFrame, region_names: np.ndarray,
               park_core: np.ndarray) -> pd.DataFrame:
    """五小门店 on village main streets, firms in the parks, offices and institutions."""
    use, lattice = b["use"].to_numpy(), b["lattice"].to_numpy()
    n = len(b)
    shops = np.where(use == "mixed", 1 + (rng.random(n) < 0.3),
                     np.where((use == "commercial") & (lattice != "shed"), rng.integers(1, 4, n),
                              0))
    offices = (use == "commercial") & ((lattice == "shed") | (rng.random(n) < 0.25))
    shops = np.where(offices, 0, shops)
    firms = (use == "industrial") & (rng.random(n) < 0.9)
    public = use == "public"
    bidx = np.concatenate([np.repeat(np.arange(n), shops), np.flatnonzero(firms),
                           np.flatnonzero(offices), np.flatnonzero(public)])
    kind = np.array(["shop_five_small"] * int(shops.sum()) + ["enterprise"] * int(firms.sum())
                    + ["office_building"] * int(offices.sum())
                    + ["institution"] * int(public.sum()), dtype=object)
    shop_kind = np.where(kind == "shop_five_small",
                         rng.choice(_SHOP_KINDS, len(kind), p=[0.35, 0.25, 0.15, 0.15, 0.1]),
                         None)
    employees = np.select([kind == "shop_five_small", kind == "enterprise",
                           kind == "office_building"],
                          [rng.integers(1, 9, len(kind)), rng.integers(8, 320, len(kind)),
                           rng.integers(20, 400, len(kind))], rng.integers(5, 80, len(kind)))
    region = b["region"].to_numpy()[bidx]
    names = []
    for k, sk, r in zip(kind, shop_kind, region, strict=True):
        place = region_names[r].removesuffix("社区").removesuffix("村")
        if k == "shop_five_small":
            words = _SHOP_WORDS[sk]
            names.append(f"{SURNAMES[rng.integers(20)]}记{words[rng.integers(len(words))]}")
        elif k == "enterprise":
            names.append(f"北京{_FIRM_HEADS[rng.integers(10)]}{_FIRMS[rng.integers(10)]}"
                         f"有限公司{place}分公司")
        elif k == "office_building":
            names.append(f"{place}商务楼")
        else:
            names.append(place + _INSTITUTIONS[rng.integers(len(_INSTITUTIONS))])
    # One point per industrial park, on its central shed.
    park = b["park"].to_numpy()
    for p in range(len(park_core)):
        sheds = np.flatnonzero(park == p)
        if len(sheds):
            bidx = np.append(bidx, sheds[0])
            kind = np.append(kind, "industrial_park")
            shop_kind = np.append(shop_kind, None)
            employees = np.append(employees, 0)
            place = region_names[b["region"].to_numpy()[sheds[0]]].removesuffix("村")
            names.append(f"{place}产业园")
    x, y = inside_points(rng, b, bidx)
    return pd.DataFrame({"building": bidx, "name": names, "kind": kind, "shop_kind": shop_kind,
                         "employees": employees, "x": x, "y": y})


def make_incidents(rng: np.random.Generator, b: pd.DataFrame, households: np.ndarray,
                   cls: np.ndarray, n: int, end: np.datetime64) -> pd.DataFrame:
    """n tickets over the 365 days before `end`, with timings consistent with their status."""
    weight = households + np.where(cls == 3, 3.0, 0.0) + 0.5
    bidx = rng.choice(len(b), n, p=weight / weight.sum())
    days = rng.integers(1, 366, n)
    hour = rng.choice(24, n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    received = (end - days * DAY + hour * HOUR
                + rng.integers(0, 3600, n).astype("timedelta64[s]"))
    month = received.astype("datetime64[M]").astype(int) % 12 + 1
    season = np.ones((n, len(CATEGORIES)))
    season[:, 3] = np.where(np.isin(month, [11, 12, 1, 2, 3]), 3.0, 0.15)  # heating season
    season[:, 0] = np.where(np.isin(month, [6, 7, 8]), 1.6, 1.0)  # summer nights, open windows
    season[:, 9] = np.where(days <= 60, 5.0, 0.6)  # the outbreak
    prob = _CATEGORY_WEIGHTS[cls[bidx]] * season
    cum = np.cumsum(prob / prob.sum(1, keepdims=True), axis=1)
    category = np.array(CATEGORIES)[(cum < rng.random((n, 1))).sum(1).clip(0, 11)]
    respond_h = rng.lognormal(np.log(3.0), 1.2, n)
    respond_h = np.where(rng.random(n) < 0.03, rng.uniform(24, 96, n), respond_h)
    # water, power, gas and heat are answered within a few hours (their limits are shorter)
    respond_h = np.where(np.isin(category, UTILITY_CATEGORIES), respond_h / 4, respond_h)
    solve_h = np.minimum(rng.lognormal(np.log(30.0), 0.9, n), 24 * 30)
    responded = received + (respond_h * 3600).astype("timedelta64[s]")
    solved = responded + (solve_h * 3600).astype("timedelta64[s]")
    is_responded, is_solved = responded <= end, solved <= end
    steps = ticket_steps(received, responded, solved)
    reached = np.stack([steps[k] <= end for k in STEP_STATES])
    status = np.array(STEP_STATES, dtype=object)[reached.sum(0) - 1]
    satisfied = np.where(is_solved, rng.random(n) < _SATISFIED[cls[bidx]], None)
    source = rng.choice(["hotline", "patrol", "device"], n, p=[0.8, 0.14, 0.06])
    urgency = np.where(np.isin(category, COMPLEX_CATEGORIES), "complex", "general")
    order = np.argsort(received, kind="stable")
    x, y = inside_points(rng, b, bidx)
    last = np.max(np.where(reached, np.stack([steps[k] for k in STEP_STATES]),
                           received.min()), axis=0)
    return pd.DataFrame({
        "building": bidx, "source": source, "category": category, "status": status,
        "urgency": urgency, "version": reached.sum(0),
        "received_at": received, "responded_at": np.where(is_responded, responded, None),
        "solved_at": np.where(is_solved, solved, None), "satisfied": satisfied,
        "updated_at": last, "step_responded": responded, "step_solved": solved,
        "x": x, "y": y,
    }).iloc[order].reset_index(drop=True)


# The chain a demo ticket went through, in order, and the step that reaches each state.
STEP_STATES = ["received", "dispatched", "accepted", "in_progress", "submitted", "closed"]
STEP_ACTIONS = ["receive", "dispatch", "accept", "start", "submit", "verify"]
UTILITY_CATEGORIES = ["water_supply", "heating"]
COMPLEX_CATEGORIES = ["illegal_construction", "wage_dispute"]


def ticket_steps(received: np.ndarray, responded: np.ndarray,
                 solved: np.ndarray) -> dict[str, np.ndarray]:
    """When each state was reached: dispatched 30 % of the way to the response, accepted at the
    response (signed for, citizen contacted), work started after a tenth of the solving time,
    submitted for verification after nine tenths, closed at `solved`."""
    to_respond, to_solve = responded - received, solved - responded
    return {"received": received, "dispatched": received + to_respond * 3 // 10,
            "accepted": responded, "in_progress": responded + to_solve // 10,
            "submitted": responded + to_solve * 9 // 10, "closed": solved}


def ticket_history(tickets: pd.DataFrame, end: np.datetime64) -> pd.DataFrame:
    """One history row per step each ticket reached before `end` (the frame has code,
    town_code, status timestamps, `assignee`), ordered by time: the feed's order."""
    steps = ticket_steps(tickets["received_at"].to_numpy(dtype="datetime64[s]"),
                         tickets["step_responded"].to_numpy(dtype="datetime64[s]"),
                         tickets["step_solved"].to_numpy(dtype="datetime64[s]"))
    worker = tickets["assignee"].to_numpy()
    hotline = tickets["source"].to_numpy() == "hotline"
    parts = []
    for i, (state, action) in enumerate(zip(STEP_STATES, STEP_ACTIONS, strict=True)):
        at = steps[state]
        keep = at <= end
        if i == 0:
            actor = np.where(hotline, "12345热线", "巡查上报")
            role = np.where(hotline, "department", "gridworker")
        elif action in ("dispatch", "verify"):
            actor, role = np.full(len(at), "指挥中心"), np.full(len(at), "commander")
        else:
            actor, role = worker, np.full(len(at), "gridworker")
        parts.append(pd.DataFrame({
            "ticket_code": tickets["code"].to_numpy()[keep],
            "town_code": tickets["town_code"].to_numpy()[keep], "at": at[keep],
            "actor": np.asarray(actor, dtype=object)[keep],
            "actor_role": np.asarray(role, dtype=object)[keep], "action": action,
            "from_status": STEP_STATES[i - 1] if i else None, "to_status": state,
            "version": i + 1, "assignee": worker[keep] if i else None,
            "satisfied": tickets["satisfied"].to_numpy()[keep] if action == "verify" else None,
            "step": i}))
    events = pd.concat(parts, ignore_index=True)
    return events.sort_values(["at", "ticket_code", "step"], kind="stable").reset_index(drop=True)


def make_cases(rng: np.random.Generator, b: pd.DataFrame, floating: np.ndarray,
               end: np.datetime64) -> pd.DataFrame:
    """A 60-day outbreak: 2-4 clusters in rental-dense villages, growing then declining."""
    village = b["lattice"].to_numpy() == "courtyard"
    region = b["region"].to_numpy()
    dense = pd.Series(floating * village).groupby(region).sum().sort_values(ascending=False)
    hot = rng.choice(dense.index[:6].to_numpy(), int(rng.integers(2, 5)), replace=False)
    total = int(rng.integers(330, 470))
    sizes = rng.multinomial(total, rng.dirichlet(np.full(len(hot), 2.0)))
    cx, cy = b["cx"].to_numpy(), b["cy"].to_numpy()
    parts = []
    for r, size in zip(hot, sizes, strict=True):
        homes = np.flatnonzero((region == r) & village & (floating > 0))
        centre = homes[rng.choice(len(homes), p=floating[homes] / floating[homes].sum())]
        w = floating[homes] * np.exp(-np.hypot(cx[homes] - cx[centre], cy[homes] - cy[centre])
                                     / 250.0)
        bidx = homes[rng.choice(len(homes), size, p=w / w.sum())]
        onset = rng.uniform(4, 34)
        day = onset + rng.gamma(3.0, 5.0, size)
        day = np.where(day >= 59.9, rng.uniform(onset, 59.9, size), day)
        parts.append(pd.DataFrame({"building": bidx, "day": day}))
    cases = pd.concat(parts, ignore_index=True)
    n = len(cases)
    start = end - 60 * DAY
    reported = start + (cases["day"].to_numpy() * 86_400).astype("timedelta64[s]")
    category = rng.choice(["confirmed", "asymptomatic", "close_contact", "secondary_contact"],
                          n, p=[0.22, 0.13, 0.42, 0.23])
    lo = pd.Series(category).map({"confirmed": 14, "asymptomatic": 10, "close_contact": 14,
                                  "secondary_contact": 7}).to_numpy()
    released = reported + (rng.uniform(lo, lo + 7) * 86_400).astype("timedelta64[s]")
    order = np.argsort(reported, kind="stable")
    return pd.DataFrame({
        "building": cases["building"].to_numpy(), "category": category, "reported_at": reported,
        "released_at": np.where(released <= end, released, None),
        "updated_at": np.where(released <= end, released, reported),
    }).iloc[order].reset_index(drop=True)
