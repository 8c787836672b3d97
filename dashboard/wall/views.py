"""What one rotating view puts on the wall: overlay URL and style, legend, map move, name."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dashboard.i18n import t
from dashboard.map import h3_view
from dashboard.map.flyto import fly_to_bbox
from dashboard.map.viewport import TOWN_CENTRE, TOWN_ZOOM, bbox_around
from dashboard.wall.config import View
from geo.params import Bbox
from geo.place_names import shown_name
from geo.timewindow import TOWN_TZ
from layers.metrics import METRICS

OVERVIEW_MAX_ZOOM = 15
GRID_MAX_ZOOM = 17
FALLBACK_TOWN: Bbox = bbox_around(TOWN_CENTRE, TOWN_ZOOM)
EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}


def shows_case_areas(view: View) -> bool:
    """Whether the view shows cases per community/village: the cases view does, since over
    two weeks an H3 cell rarely holds 5 cases and the privacy rule greys nearly all of them."""
    return view.kind == "h3" and view.metric == "cases"


def area_labels(areas: dict[str, Any], lang: str = "zh") -> dict[str, Any]:
    """One point per area at its `centre`, labelled 'name count' ('<5' under the minimum);
    the name as the page in `lang` shows places (pinyin in English)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f["properties"]["centre"],
         "properties": {"label": f["properties"]["label"],
                        "name": shown_name(f["properties"]["name"], lang),
                        "suppressed": f["properties"]["value"] is None}}
        for f in areas.get("features", []) if f["properties"].get("centre")]}


def view_title(view: View, lang: str, grid_name: str | None = None) -> str:
    """The view's name for the corner label (configured titles win over the catalogue)."""
    own = view.title_en if lang == "en" else view.title_zh
    if own:
        return own
    if view.kind == "h3" and view.metric:
        title = METRICS[view.metric].title(lang)
        if view.metric in ("cases", "tickets"):
            title = t("wall.last_days", lang, title=title, days=view.days)
        return title
    title = t(f"wall.view.{view.kind}", lang)
    return f"{title} · {shown_name(grid_name, lang)}" if grid_name else title


def overlay(view: View, town: Bbox, lang: str,
            now: datetime | None = None) -> tuple[str | None, dict[str, Any], list]:
    """(url, hideout, legend children) of the view's H3 overlay; no URL when it has none."""
    if view.kind != "h3" or not view.metric:
        return None, h3_view.overlay_hideout(None, lang), []
    west, south, east, north = town
    since = (now or datetime.now(TOWN_TZ)).astimezone(TOWN_TZ).date() - timedelta(days=view.days)
    window = {"since": since.isoformat(), "until": None}
    url = h3_view.overlay_url(view.metric, [[south, west], [north, east]], TOWN_ZOOM, None,
                              window)
    return (url, h3_view.overlay_hideout(view.metric, lang),
            h3_view.legend_children(view.metric, lang))


def outline(view: View, hottest: dict[str, Any] | None) -> dict[str, Any]:
    """GeoJSON of the hottest grid's boundary while its view is up; empty otherwise."""
    features = []
    if view.kind == "hottest_grid" and hottest and hottest.get("geometry"):
        features.append({"type": "Feature", "geometry": hottest["geometry"],
                         "properties": {"code": hottest["code"]}})
    return {"type": "FeatureCollection", "features": features}


def viewport(view: View, town: Bbox, hottest: dict[str, Any] | None) -> dict[str, Any]:
    """Where the map flies for the view: the hottest grid's box, or the whole town."""
    if view.kind == "hottest_grid" and hottest:
        box = (hottest["west"], hottest["south"], hottest["east"], hottest["north"])
        return fly_to_bbox(box, max_zoom=GRID_MAX_ZOOM)
    return fly_to_bbox(town, max_zoom=OVERVIEW_MAX_ZOOM)
