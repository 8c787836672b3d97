"""A KPI tile's click reads its places once (geo.highlight.kpi_highlight): the shapes the map
keeps highlighted and, as the collection's RFC 7946 `bbox`, the box it flies over — the box
kpi_extent gives, also when more rows stand behind the figure than the 2000 shapes drawn."""

from __future__ import annotations

import psycopg
import pytest

from dashboard.settings import Settings
from geo.database import configure
from geo.errors import BadParameter
from geo.highlight import PLACE_KPIS, kpi_highlight, region_highlight
from geo.kpi_extent import kpi_extent
from geo.timewindow import parse_window

pytestmark = pytest.mark.db


def _window(conn: psycopg.Connection):
    until = conn.execute("SELECT max(reported_at) FROM cases").fetchone()[0]
    return parse_window(None, until.date().isoformat())


def test_each_place_figure_highlights_its_rows_with_the_box_the_tile_flies_to(
        demo_conn: psycopg.Connection):
    window = _window(demo_conn)
    for kpi in PLACE_KPIS:
        shapes = kpi_highlight(demo_conn, kpi, window)
        assert shapes["features"], kpi
        assert shapes["bbox"] == pytest.approx(list(kpi_extent(demo_conn, kpi, window))), kpi
    three_no = kpi_highlight(demo_conn, "three_no_compounds", window)
    count, west, south, east, north = demo_conn.execute(
        "SELECT count(*), ST_XMin(ST_Extent(geom)), ST_YMin(ST_Extent(geom)), "
        "ST_XMax(ST_Extent(geom)), ST_YMax(ST_Extent(geom)) FROM compounds "
        "WHERE management = 'three_no'").fetchone()
    assert len(three_no["features"]) == count
    assert three_no["bbox"] == pytest.approx([west, south, east, north])


def test_no_rows_means_no_box_so_the_tile_flies_over_the_town(demo_conn: psycopg.Connection):
    empty = parse_window("2001-01-01", "2001-01-31")
    shapes = kpi_highlight(demo_conn, "active_cases", empty)
    assert shapes == {"type": "FeatureCollection", "features": []}
    assert kpi_extent(demo_conn, "active_cases", empty) == kpi_extent(
        demo_conn, "residents", empty)
    with pytest.raises(BadParameter):
        kpi_highlight(demo_conn, "nonsense'; DROP TABLE cases; --", empty)


def test_the_box_spans_every_row_when_the_drawn_shapes_are_capped(
        demo_db_url: str, settings: Settings):
    with psycopg.connect(demo_db_url) as conn:
        configure(conn, settings)
        # Every ticket open at the window's end: far more rows than the 2000 shapes drawn.
        conn.execute("UPDATE incidents SET solved_at = NULL")
        window = _window(conn)
        rows = conn.execute("SELECT count(*) FROM incidents WHERE received_at < %s",
                            [window[1]]).fetchone()[0]
        assert rows > 2000
        shapes = kpi_highlight(conn, "open_tickets", window)
        assert len(shapes["features"]) == 2000
        assert shapes["bbox"] == pytest.approx(list(kpi_extent(conn, "open_tickets", window)))


def test_a_region_highlight_carries_its_own_box(demo_conn: psycopg.Connection):
    code = demo_conn.execute("SELECT code FROM grids ORDER BY code LIMIT 1").fetchone()[0]
    shape = region_highlight(demo_conn, "grid", code)
    west, south, east, north = demo_conn.execute(
        "SELECT ST_XMin(geom::box2d), ST_YMin(geom::box2d), ST_XMax(geom::box2d), "
        "ST_YMax(geom::box2d) FROM grids WHERE code = %s", [code]).fetchone()
    assert len(shape["features"]) == 1
    assert shape["bbox"] == pytest.approx([west, south, east, north])
