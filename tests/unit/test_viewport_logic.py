"""The map page's plain logic, no browser: viewport → layer URLs, hideouts, catalogue, checks."""

from __future__ import annotations

import pytest

from dashboard.i18n import STRINGS, t
from dashboard.map.viewport import bbox_around, bbox_from_bounds, hideout, viewport_urls
from geo.errors import BadParameter
from geo.params import parse_bbox, parse_zoom, tolerance_for_zoom
from layers import REGISTRY


def test_bounds_become_a_west_south_east_north_bbox_widened_outwards() -> None:
    bbox = bbox_from_bounds([[39.70001, 116.50009], [39.79999, 116.60001]])
    assert bbox == (116.5, 39.7, 116.6001, 39.8)


def test_missing_bounds_are_estimated_around_the_centre() -> None:
    west, south, east, north = bbox_around({"lat": 39.748, "lng": 116.555}, 13)
    assert west < 116.555 < east and south < 39.748 < north
    assert 0.1 < east - west < 0.5


def test_hidden_and_out_of_zoom_layers_get_no_url() -> None:
    layers = REGISTRY.all()
    urls = dict(zip([layer.id for layer in layers],
                    viewport_urls(layers, ["grids", "buildings"], None, 13, [39.748, 116.555]),
                    strict=True))
    assert urls["grids"].startswith("/api/layers/grids?bbox=")
    assert "zoom=13" in urls["grids"]
    assert urls["buildings"] is None  # below zoom 15
    assert urls["compounds"] is None  # not ticked
    parse_bbox(urls["grids"].split("bbox=")[1].split("&")[0].replace("%2C", ","))


def test_hideout_speaks_the_language_asked() -> None:
    zh = hideout(REGISTRY.get("compounds"), "zh")
    en = hideout(REGISTRY.get("compounds"), "en")
    assert zh["values"]["management"]["three_no"] == "三无"
    assert en["tooltip"][0][0] == "Name"
    assert zh["style"] == en["style"]


def test_every_catalogue_entry_has_zh_and_en() -> None:
    for key, entry in STRINGS.items():
        assert entry.get("zh") and entry.get("en"), key
    assert t("title", "zh") == "马驹桥镇 基层治理指挥地图"


def test_tolerance_is_about_half_a_pixel() -> None:
    assert tolerance_for_zoom(0) == pytest.approx(180 / 256)
    assert tolerance_for_zoom(13) == pytest.approx(tolerance_for_zoom(12) / 2)


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,0,5,1", "0,10,1,5", "0,0,1,95"])
def test_parse_bbox_rejects_naming_bbox(text: str) -> None:
    with pytest.raises(BadParameter) as info:
        parse_bbox(text)
    assert info.value.parameter == "bbox"


@pytest.mark.parametrize("text", [None, "x", "22.5", "-0.1"])
def test_parse_zoom_rejects_naming_zoom(text: str | None) -> None:
    with pytest.raises(BadParameter) as info:
        parse_zoom(text)
    assert info.value.parameter == "zoom"


def _tile_layers(component) -> list:
    import dash_leaflet as dl

    found = [component] if isinstance(component, dl.TileLayer) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children else []:
        if hasattr(child, "children") or isinstance(child, dl.TileLayer):
            found += _tile_layers(child)
    return found


def test_no_tile_layer_unless_a_tile_url_is_configured() -> None:
    from dashboard.map import page as map_page
    from dashboard.settings import Settings

    assert _tile_layers(map_page.layout(Settings(tile_url=None), REGISTRY)) == []
    tiles = _tile_layers(map_page.layout(
        Settings(tile_url="http://tiles.local/{z}/{x}/{y}.png", tile_attribution="内网底图"),
        REGISTRY))
    assert [tile.attribution for tile in tiles] == ["内网底图"]
