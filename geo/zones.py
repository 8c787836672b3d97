"""Containment zones (封控区 / 管控区 / 防范区): proposed from active cases, published, lifted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.errors import BadParameter
from geo.sqlfiles import read_sql

MODES = ("grid", "buffer")
LEVELS = ("containment", "control", "prevention")  # most severe first
# The manual adjustments of a proposal: building or compound codes sealed or left out.
ADJUSTMENTS = ("add_buildings", "remove_buildings", "add_compounds", "remove_compounds")
MAX_CODES = 200  # per adjustment list
# The prevention zone (防范区) reaches this far around the control zone on every side.
RING_M = 500.0
# Daily supply rates per person or per household while a zone is sealed (configurable per
# call); the depots whose reach meets the zone are the stock that covers it.
DEFAULT_RATES: dict[str, tuple[str, float]] = {
    "masks": ("person", 2.0),
    "suits": ("person", 0.02),
    "disinfectant_l": ("household", 0.1),
    "food_kits": ("household", 0.5),
}


class UnknownPlan(LookupError):
    """No published zone plan has that code."""


@dataclass(frozen=True)
class ZoneRequest:
    """What an official asks for: the window, the control-zone rule, manual adjustments."""

    since: datetime
    until: datetime
    mode: str = "grid"
    buffer_m: float = 300.0
    days: int = 14
    add_buildings: tuple[str, ...] = ()
    remove_buildings: tuple[str, ...] = ()
    add_compounds: tuple[str, ...] = ()
    remove_compounds: tuple[str, ...] = ()
    rates: dict[str, tuple[str, float]] = field(default_factory=lambda: dict(DEFAULT_RATES))

    def check(self) -> None:
        """Refuse values that make no sense, naming the parameter."""
        if self.mode not in MODES:
            raise BadParameter("mode", f"must be one of {', '.join(MODES)}")
        if not 10 <= self.buffer_m <= 5000:
            raise BadParameter("buffer_m", "metres, 10..5000")
        if not 1 <= self.days <= 60:
            raise BadParameter("days", "whole days, 1..60")
        for name, codes in self.adjustments().items():
            if len(codes) > MAX_CODES:
                raise BadParameter(name, f"at most {MAX_CODES} codes")
            if any(not 0 < len(code) <= 64 or not code.isprintable() for code in codes):
                raise BadParameter(name, "codes of 1..64 printable characters")

    def adjustments(self) -> dict[str, list[str]]:
        """The four adjustment lists as lists (SQL parameters, stored publication parameters)."""
        return {name: list(getattr(self, name)) for name in ADJUSTMENTS}


def check_codes(conn: psycopg.Connection, request: ZoneRequest) -> None:
    """Refuse adjustment codes that name no building or compound, naming them."""
    unknown = conn.execute(read_sql("queries/zone_unknown_codes.sql"),
                           request.adjustments()).fetchone()
    if unknown:
        parameter, codes = unknown
        kind = "building" if parameter.endswith("buildings") else "compound"
        shown = ", ".join(codes[:5]) + (" …" if len(codes) > 5 else "")
        raise BadParameter(parameter, f"no {kind} with code {shown}")


def _stock(conn: psycopg.Connection, depot_codes: list[str]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for (stock,) in conn.execute("SELECT stock FROM resources WHERE code = ANY(%s)",
                                 [depot_codes]):
        for item, quantity in stock.items():
            totals[item] = totals.get(item, 0) + float(quantity)
    return totals


def _supplies(zone: dict[str, Any], request: ZoneRequest, stock: dict[str, float]) -> list[dict]:
    rows = []
    for item, (per, rate) in request.rates.items():
        base = zone["residents"] if per == "person" else zone["households"]
        needed = round(base * rate * request.days)
        have = stock.get(item, 0)
        rows.append({"item": item, "needed": needed, "stock": have,
                     "shortfall": max(0, needed - have)})
    return rows


def propose_zones(conn: psycopg.Connection, request: ZoneRequest) -> list[dict[str, Any]]:
    """The three zones with their geometry (GeoJSON) and counts, most severe first."""
    request.check()
    check_codes(conn, request)
    cur = conn.cursor(row_factory=dict_row)
    zones = cur.execute(read_sql("queries/zone_proposal.sql"), {
        "since": request.since, "until": request.until, "mode": request.mode,
        "buffer_m": request.buffer_m, "ring_m": RING_M, **request.adjustments(),
    }).fetchall()
    for zone in zones:
        zone["geometry"] = json.loads(zone["geometry"])
        zone["area_km2"] = float(zone["area_km2"])  # a number in stored figures and exports
        zone["supplies"] = _supplies(zone, request, _stock(conn, zone["covering_depots"]))
    return zones


def publish_zones(conn: psycopg.Connection, request: ZoneRequest, town_code: str,
                  published_by: str) -> dict[str, Any]:
    """Store the proposal as the town's next plan version (one transaction); returns the plan."""
    if not published_by.strip():
        raise BadParameter("published_by", "who publishes the zones is required")
    with conn.transaction():
        zones = propose_zones(conn, request)
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"zones:{town_code}"])
        version = conn.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM zone_plans WHERE town_code = %s",
            [town_code]).fetchone()[0]
        code = f"{town_code}-ZP{version:04d}"
        params = {"since": request.since.isoformat(), "until": request.until.isoformat(),
                  "mode": request.mode, "buffer_m": request.buffer_m, "days": request.days,
                  **request.adjustments()}
        conn.execute("INSERT INTO zone_plans (code, town_code, version, published_by, params) "
                     "VALUES (%s, %s, %s, %s, %s)",
                     [code, town_code, version, published_by, json.dumps(params)])
        for zone in zones:
            figures = {k: v for k, v in zone.items() if k not in ("geometry", "level")}
            conn.execute(
                "INSERT INTO zones (code, town_code, plan_code, level, residents, households, "
                "figures, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                "ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)))",
                [f"{code}-{zone['level']}", town_code, code, zone["level"], zone["residents"],
                 zone["households"], json.dumps(figures, default=str),
                 json.dumps(zone["geometry"])])
    return {"code": code, "version": version, "zones": len(zones)}


def published_plans(conn: psycopg.Connection, now: datetime | None = None,
                    plan: str | None = None) -> list[dict[str, Any]]:
    """Every published plan version (newest first) with who/when and its lifting status.

    status is 'active' or 'lifted' (with lifted_on, a date in the town); `current` marks the
    newest version of each town's plan, the one the zones layer draws.
    """
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(read_sql("queries/zone_plans.sql"), {"now": now, "plan": plan}).fetchall()


def plan_zones(conn: psycopg.Connection, plan: str) -> tuple[dict[str, Any], list[dict]]:
    """(the plan with its status, its zones with stored figures and GeoJSON geometry)."""
    found = published_plans(conn, plan=plan)
    if not found:
        raise UnknownPlan(f"no published zone plan with code {plan}")
    zones = conn.cursor(row_factory=dict_row).execute(
        read_sql("queries/zone_plan_zones.sql"), {"plan": plan}).fetchall()
    for zone in zones:
        zone["geometry"] = json.loads(zone["geometry"])
    return found[0], zones
