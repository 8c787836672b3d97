"""The wall's cases view: cases per community/village, counts under 5 kept as "<5"."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from dashboard.wall.config import View
from dashboard.wall.legend import legend
from dashboard.wall.views import area_labels, shows_case_areas
from geo.timewindow import TOWN_TZ
from geo.wall import case_communities
from layers import REGISTRY

pytestmark = pytest.mark.db


def test_case_counts_per_community_keep_the_privacy_rule(shared_demo_url: str) -> None:
    with psycopg.connect(shared_demo_url) as conn:
        now = conn.execute("SELECT now()").fetchone()[0].astimezone(TOWN_TZ)
        since = now - timedelta(days=14)
        areas = case_communities(conn, since, now)
        counts = dict(conn.execute(
            "SELECT g.community_code, count(*) FROM cases c JOIN grids g ON g.code = c.grid_code"
            " WHERE c.reported_at >= %s AND c.reported_at < %s GROUP BY 1",
            [since, now]).fetchall())
    shown = {f["properties"]["code"]: f["properties"] for f in areas["features"]}
    assert set(shown) == set(counts) and counts, "the demo outbreak has cases in two weeks"
    for code, n in counts.items():
        if n < 5:
            assert shown[code]["value"] is None and shown[code]["label"] == "<5"
        else:
            assert shown[code]["value"] == n and shown[code]["label"] == str(n)
    # Readable at a glance: at least one area reaches 5 (an H3 cell mostly does not).
    assert any(p["value"] for p in shown.values())
    labels = area_labels(areas)["features"]
    assert len(labels) == len(shown) and all(f["geometry"]["type"] == "Point" for f in labels)
    # the English wall names the places as the English map does (pinyin), not in Chinese
    english = [f["properties"]["name"] for f in area_labels(areas, "en")["features"]]
    assert english and all(name.isascii() for name in english), english


def test_cases_view_legend_names_the_areas_the_suppression_and_overdue_tickets() -> None:
    view = View("cases", "h3", metric="cases", days=14)
    assert shows_case_areas(view) and not shows_case_areas(View("o", "overview"))
    text = str(legend(view, REGISTRY, "zh", areas=True))
    for words in ("按社区/村", "<5", "超期工单", "病例（近14天）"):
        assert words in text, words
    english = str(legend(View("overview", "overview"), REGISTRY, "en"))
    assert "Overdue 12345 tickets" in english
