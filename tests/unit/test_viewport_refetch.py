"""The map refetches only layers whose data no longer serves the viewport."""

from __future__ import annotations

from dashboard.map.viewport import KEEP, snap_to_tiles, viewport_urls
from geo.params import check_viewport
from layers import REGISTRY

LAYERS = [REGISTRY.get(i) for i in ("grids", "tickets", "buildings", "cases")]
SHOWN = ["grids", "tickets", "buildings", "cases"]
# Leaflet bounds [[south, west], [north, east]] of a 1920x1080 screen at zoom 15 and 16.
Z15 = [[39.7303, 116.5138], [39.7657, 116.5962]]
Z16 = [[39.7392, 116.5344], [39.7568, 116.5756]]
WINDOW = {"since": "2026-11-01", "until": "2026-11-20"}


def _first(zoom=15, bounds=Z15, window=WINDOW):
    return viewport_urls(LAYERS, SHOWN, bounds, zoom, None, window)


def test_fetched_box_covers_the_viewport_snapped_to_tiles_and_within_the_budget():
    west, south, east, north = snap_to_tiles((116.5138, 39.7303, 116.5962, 39.7657), 15)
    assert west <= 116.5138 and south <= 39.7303 and east >= 116.5962 and north >= 39.7657
    # at most one tile more on each side
    step = 360 / 2 ** 15
    assert 116.5138 - west < step and east - 116.5962 < step
    check_viewport((west, south, east, north), 15)  # does not raise
    # a 4K wall with its tiles of margin is within the budget too
    wall = snap_to_tiles((116.4726, 39.7126, 116.6374, 39.7834), 15)
    check_viewport(wall, 15)


def test_a_small_pan_inside_the_fetched_tiles_refetches_nothing():
    first = _first()
    panned = [[39.7304, 116.5139], [39.7658, 116.5963]]
    again = viewport_urls(LAYERS, SHOWN, panned, 15, None, WINDOW, first)
    assert again == [KEEP] * 4


def test_a_long_pan_refetches_every_visible_layer():
    first = _first()
    far = [[39.8303, 116.7138], [39.8657, 116.7962]]
    again = viewport_urls(LAYERS, SHOWN, far, 15, None, WINDOW, first)
    assert all(url not in (KEEP, None) and url != old for url, old in zip(again, first,
                                                                         strict=True))


def test_zooming_in_keeps_points_and_refetches_outlines():
    first = _first()
    one_in = viewport_urls(LAYERS, SHOWN, Z16, 16, None, WINDOW, first)
    grids, tickets, buildings, cases = one_in
    assert tickets == KEEP and cases == KEEP
    assert "zoom=16" in grids and "zoom=16" in buildings
    two_in = viewport_urls(LAYERS, SHOWN, [[39.7436, 116.5447], [39.7524, 116.5653]], 17,
                           None, WINDOW, first)
    grids, tickets, buildings, cases = two_in
    assert tickets == KEEP and cases == KEEP
    assert grids.startswith("/api/layers/grids?") and "zoom=17" in grids
    assert buildings.startswith("/api/layers/buildings?") and "zoom=17" in buildings


def test_zooming_out_of_a_layers_range_hides_it_and_back_in_fetches_it():
    first = _first()
    out = viewport_urls(LAYERS, SHOWN, [[39.70, 116.45], [39.80, 116.65]], 14, None, WINDOW,
                        first)
    assert out[2] is None  # buildings start at zoom 15
    back = viewport_urls(LAYERS, SHOWN, Z15, 15, None, WINDOW, out)
    assert back[2].startswith("/api/layers/buildings?")


def test_a_new_window_refetches_only_the_windowed_layers():
    first = _first()
    later = viewport_urls(LAYERS, SHOWN, Z15, 15, None,
                          {"since": "2026-11-10", "until": "2026-11-20"}, first)
    grids, tickets, buildings, cases = later
    assert grids == KEEP and buildings == KEEP
    assert "since=2026-11-10" in tickets and "since=2026-11-10" in cases


def test_zooming_in_refetches_labels_which_thin_by_zoom():
    labels = REGISTRY.get("labels")
    first = viewport_urls([labels], ["labels"], Z15, 15, None, WINDOW)
    one_in = viewport_urls([labels], ["labels"], Z16, 16, None, WINDOW, first)
    assert one_in[0] != KEEP and "zoom=16" in one_in[0]
    panned = [[39.7304, 116.5139], [39.7658, 116.5963]]
    assert viewport_urls([labels], ["labels"], panned, 15, None, WINDOW, first) == [KEEP]
