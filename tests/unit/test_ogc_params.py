"""The OGC items parameters: limit, bbox (CRS84) and datetime (RFC 3339 instants and
intervals with open ends), checked before any SQL runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from geo.errors import BadParameter
from geo.ogc_collections import COLLECTIONS, unknown_collections
from geo.ogc_items import EARLIEST, LATEST, parse_datetime, parse_limit, parse_ogc_bbox

SHANGHAI = timezone(timedelta(hours=8))


def test_limit_defaults_to_100_and_stays_within_1_to_10000():
    assert parse_limit(None) == 100 and parse_limit("") == 100
    assert parse_limit("1") == 1 and parse_limit("10000") == 10000
    for bad in ("0", "10001", "-5", "1.5", "ten", "9" * 20):
        with pytest.raises(BadParameter, match="limit"):
            parse_limit(bad)


def test_bbox_is_crs84_with_an_optional_height():
    assert parse_ogc_bbox(None) is None
    assert parse_ogc_bbox("116.5,39.7,116.6,39.8") == (116.5, 39.7, 116.6, 39.8)
    assert parse_ogc_bbox("116.5,39.7,0,116.6,39.8,100") == (116.5, 39.7, 116.6, 39.8)
    for bad in ("1,2,3", "a,b,c,d", "116.6,39.7,116.5,39.8", "0,95,1,96", "nan,0,1,1"):
        with pytest.raises(BadParameter, match="bbox"):
            parse_ogc_bbox(bad)


def test_datetime_instants_intervals_and_open_ends():
    moment = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    assert parse_datetime("2026-11-02T08:30:00Z") == (moment, moment)
    since, until = parse_datetime("2026-11-01/2026-11-02")  # whole local days
    assert since == datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert until == datetime(2026, 11, 3, tzinfo=SHANGHAI) - timedelta(microseconds=1)
    assert parse_datetime("../2026-11-02T08:30:00Z") == (EARLIEST, moment)
    assert parse_datetime("2026-11-02T08:30:00Z/..") == (moment, LATEST)
    assert parse_datetime("2026-11-02T08:30:00Z/") == (moment, LATEST)
    for bad in ("yesterday", "2026-11-02T08:30:00", "../..", "2026-11-03/2026-11-02",
                "2026-13-01"):
        with pytest.raises(BadParameter, match="datetime"):
            parse_datetime(bad)


def test_collections_hold_nothing_personal_and_tokens_name_known_ones():
    assert not {"persons", "households", "staff", "resources"} & set(COLLECTIONS)
    assert unknown_collections(["grids", "persons", "units", "staff"]) == ["persons", "staff"]
    h3 = [c for c in COLLECTIONS.values() if c.source == "h3"]
    assert {(c.metric, c.res) for c in h3} == {
        (m, r) for m in ("population", "floating_ratio", "tickets", "coverage")
        for r in (7, 8, 9)}
