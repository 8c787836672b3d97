"""The drill-down panel's download links (plain hrefs, no browser or database)."""

from __future__ import annotations

from datetime import datetime

from dashboard.map.panel import download_section, export_links
from geo.timewindow import TOWN_TZ

WINDOW = {"since": datetime(2026, 11, 1, tzinfo=TOWN_TZ),
          "until": datetime(2026, 11, 26, tzinfo=TOWN_TZ)}


def test_one_link_per_format_with_the_window():
    links = export_links("grid", "110112104-G0001", WINDOW)
    assert [label for label, _ in links] == ["GeoJSON", "GPKG", "CSV", "Excel"]
    href = dict(links)["Excel"]
    assert href.startswith("/export/region/grid/110112104-G0001.xlsx?since=2026-11-01T00")
    assert "until=2026-11-26T00%3A00%3A00%2B08%3A00" in href
    assert "lang" not in href


def test_english_links_ask_for_english_headers_and_codes_are_quoted():
    href = dict(export_links("h3", "8a/1", {"since": "2026-11-01"}, "en"))["CSV"]
    assert href == "/export/region/h3/8a%2F1.csv?since=2026-11-01&lang=en"


def test_panel_section_links_every_format():
    section = download_section({"kind": "grid", "code": "G1", "window": WINDOW}, "zh")
    links = [c for c in section.children[1].children if getattr(c, "href", None)]
    assert [a.children for a in links] == ["GeoJSON", "GPKG", "CSV", "Excel"]
    assert section.children[0].children == "下载建筑数据"
