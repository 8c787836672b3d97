"""Time bar and H3 overlay logic without a browser: windows, playback, URLs, classes."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from dash import no_update

from dashboard.map import h3_view, ids, timebar
from dashboard.map.viewport import layer_url
from geo.timewindow import parse_window
from layers import REGISTRY
from layers.metrics import METRICS

TODAY = date(2026, 11, 25)
BBOX = (116.5, 39.7, 116.6, 39.8)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_presets_are_open_ended_windows_the_api_accepts() -> None:
    window = timebar.preset_window(7, TODAY)
    assert window == {"since": "2026-11-18", "until": None}
    since, _ = parse_window(window["since"], window["until"])
    assert since.date() == date(2026, 11, 18)


def test_a_custom_range_is_ordered_and_includes_both_days() -> None:
    assert timebar.range_window("2026-11-10T00:00:00", "2026-11-01") == {
        "since": "2026-11-01", "until": "2026-11-10"}


def test_playback_runs_from_60_days_ago_to_yesterday_and_stops() -> None:
    assert timebar.first_play_day(TODAY) == "2026-09-26"
    assert timebar.next_play_day("2026-11-23", TODAY) == "2026-11-24"
    assert timebar.next_play_day("2026-11-24", TODAY) is None


def test_play_then_tick_then_pause() -> None:
    started = timebar._choose(ids.TIME_PLAY, 30, None, None, "zh", None, True, None, TODAY)
    window, preset, _, _, stopped, button, day, label = started
    assert window == {"since": "2026-09-26", "until": "2026-09-26"}
    assert (preset, stopped, button, day) == (None, False, timebar.PAUSE, "2026-09-26")
    assert label == "当日 2026-09-26"
    ticked = timebar._choose(ids.TIME_TICK, None, None, None, "en", day, False, window, TODAY)
    assert ticked[0] == {"since": "2026-09-27", "until": "2026-09-27"}
    assert ticked[7] == "Day 2026-09-27"
    paused = timebar._choose(ids.TIME_PLAY, None, None, None, "zh", "2026-09-27", False,
                             ticked[0], TODAY)
    assert paused[4] is True and paused[5] == timebar.PLAY and paused[0] is no_update


def test_half_a_date_range_changes_nothing() -> None:
    answer = timebar._choose(ids.TIME_RANGE, None, "2026-11-01", None, "zh", None, True,
                             None, TODAY)
    assert all(part is no_update for part in answer)


def test_only_windowed_layers_get_since_and_until() -> None:
    window = {"since": "2026-11-18", "until": None}
    assert _query(layer_url(REGISTRY.get("cases"), BBOX, 13, window))["since"] == "2026-11-18"
    assert "until" not in _query(layer_url(REGISTRY.get("cases"), BBOX, 13, window))
    assert "since" not in _query(layer_url(REGISTRY.get("units"), BBOX, 14, window))


@pytest.mark.parametrize(("zoom", "res"), [(11, "7"), (13, "8"), (14, "9"), (16, "10")])
def test_overlay_resolution_follows_the_zoom(zoom: float, res: str) -> None:
    url = h3_view.overlay_url("population", None, zoom, (39.748, 116.555), None)
    assert url.startswith("/api/h3/population?")
    assert _query(url)["res"] == res


def test_overlay_window_goes_only_to_windowed_metrics() -> None:
    window = {"since": "2026-11-01", "until": "2026-11-10"}
    cases = _query(h3_view.overlay_url("cases", None, 13, (39.7, 116.5), window))
    assert (cases["since"], cases["until"]) == ("2026-11-01", "2026-11-10")
    assert "since" not in _query(h3_view.overlay_url("coverage", None, 13, (39.7, 116.5),
                                                     window))
    assert h3_view.overlay_url(h3_view.NONE, None, 13, None, None) is None


def test_every_metric_has_classes_and_the_legend_names_its_unit() -> None:
    for metric in METRICS:
        assert len(METRICS[metric].classes.legend("zh")) == len(METRICS[metric].classes.colours)
        text = str(h3_view.legend_children(metric, "zh"))
        assert METRICS[metric].unit_zh in text
        assert "<5" in text
        english = h3_view.legend_children(metric, "en")[0].children
        assert "（" not in english and "(" + english.split(" (")[0].lower() + ")" not in english
    assert h3_view.legend_children("cases", "en")[0].children == "Cases"
    # counts start at the privacy minimum: '5–10', not '< 10' beside the '<5' row
    assert METRICS["cases"].classes.labels("zh")[0] == "5–10"
    assert METRICS["tickets"].classes.labels("zh")[:2] == ["5–10", "10–20"]
    assert METRICS["population"].classes.labels("zh")[0] == "< 1,000"
    assert h3_view.legend_children("population", "en")[0].children.endswith("(residents/km²)")


def test_coverage_gaps_are_red_and_labels_cover_every_class() -> None:
    coverage = METRICS["coverage"].classes
    assert coverage.colours[0] == "#d7191c"  # value 0 falls below the first break
    assert METRICS["population"].classes.labels("zh")[-1] == "≥ 20,000"
    hideout = h3_view.overlay_hideout("population", "en")
    assert hideout["unit"] == "residents/km²" and len(hideout["colours"]) == 6


def test_overlay_pane_sits_just_under_the_first_point_layer() -> None:
    kinds = [layer.kind for layer in REGISTRY]
    assert h3_view.overlay_z(kinds) == 410 + kinds.index("point")


def test_the_slider_starts_playback_anywhere_and_follows_it() -> None:
    assert timebar.play_day_at(0, TODAY) == "2026-09-26"
    assert timebar.play_day_at(59, TODAY) == "2026-11-24"
    assert timebar.play_day_at(99, TODAY) == "2026-11-24"  # clamped to the last play day
    assert timebar.slider_index("2026-10-06", TODAY) == 10
    assert timebar.slider_index("2026-11-25", TODAY) is None
    moved = timebar._choose(ids.TIME_SLIDER, None, None, None, "zh", None, True, None, TODAY,
                            slider=10)
    assert moved[0] == {"since": "2026-10-06", "until": "2026-10-06"} and moved[6] == "2026-10-06"
    started = timebar._choose(ids.TIME_PLAY, None, None, None, "zh", moved[6], True, moved[0],
                              TODAY)
    assert started[0] == {"since": "2026-10-06", "until": "2026-10-06"}  # plays from there
    assert started[5] == timebar.PAUSE == "‖"


def test_the_histogram_has_a_bar_per_day_scaled_to_the_busiest() -> None:
    days = [(date(2026, 11, 1), 0, 10), (date(2026, 11, 2), 5, 15)]
    bars = timebar.histogram(days)
    assert len(bars) == 2
    day, cases, tickets, cases_px, tickets_px = bars[1]
    assert (day, cases, tickets) == ("2026-11-02", 5, 15)
    assert (cases_px, tickets_px) == (5 * timebar.HISTOGRAM_PX / 20, 15 * timebar.HISTOGRAM_PX / 20)
    # the browser fills the bar's title from the template the language switch re-writes
    assert timebar.BAR_TITLE.value("zh").format(day=day, cases=cases, tickets=tickets) == (
        "2026-11-02：病例 5 · 诉求 15")
