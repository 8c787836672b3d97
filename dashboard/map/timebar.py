"""The time bar: preset windows, a custom date range and day-by-day playback.

It writes the page's TIME_WINDOW store ({"since": "YYYY-MM-DD" | None, "until": … | None});
the windowed layers and the H3 overlay read that store and re-fetch.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.i18n import normalise, t
from dashboard.language import attr
from dashboard.map import ids
from dashboard.page_inputs import LANG, WINDOW_NOW, empty_store
from geo.timewindow import DEFAULT_DAYS, TOWN_TZ

PRESETS = (7, 14, 30)
PLAY_DAYS = 60  # the playback runs through the last 60 days (an outbreak's span)
TICK_MS = 1200  # one day per tick: long enough for the windowed layers to redraw
# ⏸ (U+23F8) is in none of the fonts we install (it drew as an empty box): ‖ is in Noto CJK.
PLAY, PAUSE = "▶", "‖"
SPEEDS = ((2400, "0.5×"), (1200, "1×"), (600, "2×"), (300, "4×"))  # ms per day, label
HISTOGRAM_PX = 26  # the tallest day's bar

Window = dict[str, str | None]


def town_today() -> date:
    """Today's date in the town (Asia/Shanghai), whatever the server's zone."""
    return datetime.now(TOWN_TZ).date()


def preset_window(days: int, today: date) -> Window:
    """The last `days` days up to now: from midnight `days` days ago, open-ended."""
    return {"since": (today - timedelta(days=days)).isoformat(), "until": None}


def range_window(start: str, end: str) -> Window:
    """A custom range, both days included (the API reads a bare `until` as 'through')."""
    first, last = sorted((start[:10], end[:10]))
    return {"since": first, "until": last}


def day_window(day: str) -> Window:
    """One whole day."""
    return {"since": day, "until": day}


def first_play_day(today: date) -> str:
    """The first day the playback shows."""
    return (today - timedelta(days=PLAY_DAYS)).isoformat()


def next_play_day(day: str, today: date) -> str | None:
    """The day after `day`, or None once the playback has reached yesterday."""
    following = date.fromisoformat(day) + timedelta(days=1)
    return following.isoformat() if following < today else None


def play_day_at(index: Any, today: date) -> str | None:
    """The day at slider position `index` (0 = the first play day), or None."""
    try:
        offset = int(index)
    except (TypeError, ValueError):
        return None
    offset = max(0, min(PLAY_DAYS - 1, offset))
    return (date.fromisoformat(first_play_day(today)) + timedelta(days=offset)).isoformat()


def slider_index(day: Any, today: date) -> int | None:
    """The slider position of a play day (None when the day is not one)."""
    if not isinstance(day, str):
        return None
    offset = (date.fromisoformat(day[:10]) - date.fromisoformat(first_play_day(today))).days
    return offset if 0 <= offset < PLAY_DAYS else None


def histogram(days: list[tuple[date, int, int]]) -> list[list]:
    """One bar per day, [day, cases, tickets, cases' height, tickets' height] (heights in px,
    scaled to the busiest day): assets/map_histogram.js draws tickets (grey-blue) under cases
    (red), titled with the bar's `data-title` ("time.bar") filled in."""
    top = max([tickets + cases for _, cases, tickets in days] + [1])
    scale = HISTOGRAM_PX / top
    return [[day.isoformat(), cases, tickets, round(cases * scale, 1), round(tickets * scale, 1)]
            for day, cases, tickets in days]


def window_attribute(window: Window) -> str:
    """The histogram's `data-window` (JSON): the days the map shows, which the timeline marks
    (assets/map_histogram.js draws the other days faint)."""
    return json.dumps({"since": window.get("since"), "until": window.get("until")})


def _marks(today: date) -> dict:
    first = date.fromisoformat(first_play_day(today))
    return {i: (first + timedelta(days=i)).strftime("%m-%d")
            for i in (0, PLAY_DAYS // 2, PLAY_DAYS - 1)}


def window_label(window: Any, lang: str, today: date) -> str:
    """What the bar says about the window shown."""
    window = window if isinstance(window, dict) else {}
    since, until = window.get("since"), window.get("until")
    if since and since == until:
        return t("time.day", lang, day=since)
    if not since:
        since = (today - timedelta(days=DEFAULT_DAYS)).isoformat()
    return t("time.window", lang, since=since, until=until or t("time.now", lang))


def _preset_options(lang: str) -> list[dict]:
    return [{"label": t("time.last_days", lang, n=n), "value": n} for n in PRESETS]


# Translated by the one language callback (dashboard/language.py).
PRESET_OPTIONS = attr(ids.TIME_PRESET, "options", _preset_options)
START = attr(ids.TIME_RANGE, "start_date_placeholder_text", "time.start")
END = attr(ids.TIME_RANGE, "end_date_placeholder_text", "time.end")
PLAY_TITLE = attr(ids.TIME_PLAY, "title", "time.play", n=PLAY_DAYS)
# the template of a histogram bar's title: "{day}：病例 {cases} · 诉求 {tickets}"
BAR_TITLE = attr(ids.TIME_HISTOGRAM, "data-title", "time.bar")
ATTRIBUTES = (PRESET_OPTIONS, START, END, PLAY_TITLE, BAR_TITLE)


def layout(lang: str, activity: list[tuple[date, int, int]] | None = None) -> html.Div:
    """The bar (presets, date range, play button, label) with its ticker and playback store;
    the histogram of `activity` ((day, cases, tickets) per play day, read with the layout:
    dashboard/map/opening.py; None: not read, no bars)."""
    today = town_today()
    return html.Div(className="gc-timebar", id=ids.TIME_BAR, children=[
        dcc.RadioItems(id=ids.TIME_PRESET, className="gc-presets", inline=True,
                       options=PRESET_OPTIONS.value(lang), value=DEFAULT_DAYS),
        dcc.DatePickerRange(
            id=ids.TIME_RANGE, className="gc-range", display_format="YYYY-MM-DD",
            first_day_of_week=1, max_date_allowed=today.isoformat(),
            initial_visible_month=today.isoformat(),
            start_date_placeholder_text=START.value(lang),
            end_date_placeholder_text=END.value(lang)),
        html.Button(PLAY, id=ids.TIME_PLAY, className="gc-play", n_clicks=0,
                    title=PLAY_TITLE.value(lang)),
        dcc.RadioItems(id=ids.TIME_SPEED, className="gc-speed", inline=True, value=TICK_MS,
                       options=[{"label": label, "value": ms} for ms, label in SPEEDS]),
        html.Span(window_label(None, lang, today), id=ids.TIME_LABEL, className="gc-time-label"),
        # Where the playback is, over a small histogram of the days (as kepler.gl's time bar).
        html.Div(className="gc-timeline", title=t("time.slider", lang, n=PLAY_DAYS), children=[
            # its bars are drawn in the browser from data-days (assets/map_histogram.js): one
            # Dash component per bar cost the page a fifth of a second to take in
            html.Div(id=ids.TIME_HISTOGRAM, className="gc-histogram", **{
                "data-days": json.dumps(histogram(activity or [])),
                "data-window": window_attribute(preset_window(DEFAULT_DAYS, today)),
                "data-title": BAR_TITLE.value(lang)}),
            dcc.Slider(id=ids.TIME_SLIDER, min=0, max=PLAY_DAYS - 1, step=1, value=None,
                       marks=_marks(today), included=False, updatemode="mouseup",
                       allow_direct_input=False,
                       className="gc-time-slider"),
        ]),
        dcc.Interval(id=ids.TIME_TICK, interval=TICK_MS, disabled=True),
        empty_store(ids.TIME_PLAY_DAY),
    ])


def register(app: Dash) -> None:
    """Attach the time bar's callbacks to `app`."""

    @app.callback(
        Output(ids.TIME_WINDOW, "data"), Output(ids.TIME_PRESET, "value"),
        Output(ids.TIME_RANGE, "start_date"), Output(ids.TIME_RANGE, "end_date"),
        Output(ids.TIME_TICK, "disabled"), Output(ids.TIME_PLAY, "children"),
        Output(ids.TIME_PLAY_DAY, "data"), Output(ids.TIME_LABEL, "children"),
        Output(ids.TIME_SLIDER, "value"), Output(ids.TIME_HISTOGRAM, "data-window"),
        Input(ids.TIME_PRESET, "value"),
        Input(ids.TIME_RANGE, "start_date"), Input(ids.TIME_RANGE, "end_date"),
        Input(ids.TIME_PLAY, "n_clicks"), Input(ids.TIME_TICK, "n_intervals"), LANG,
        Input(ids.TIME_SLIDER, "value"),
        State(ids.TIME_PLAY_DAY, "data"), State(ids.TIME_TICK, "disabled"), WINDOW_NOW,
        prevent_initial_call=True,
    )
    def choose_window(preset, start, end, _clicks, _ticks, lang, slider, play_day, stopped,
                      window):
        # One callback owns the store: presets, range, slider and playback override each other.
        today = town_today()
        answer = _choose(ctx.triggered_id, preset, start, end, normalise(lang), play_day,
                         stopped is not False, window, today, slider=slider)
        day = answer[6]
        # The slider follows the playback; a preset or a range takes it off the timeline.
        if day is no_update:
            position = no_update
        elif day is None:
            position = None if answer[0] is not no_update else no_update
        else:
            position = slider_index(day, today)
        marked = no_update if answer[0] is no_update else window_attribute(answer[0])
        return (*answer, position, marked)

    # A pause stops the ticks in the browser at once (assets/time_pause.js): a tick sent after
    # the click would otherwise supersede the pause's answer (Dash keeps a callback's latest
    # request only), and on a busy server every answer comes after the next tick.
    app.clientside_callback(
        ClientsideFunction(namespace="gridcmd_time", function_name="pause"),
        Output(ids.TIME_TICK, "disabled", allow_duplicate=True),
        Input(ids.TIME_PLAY, "n_clicks"), State(ids.TIME_PLAY, "children"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.TIME_TICK, "interval"),
        Input(ids.TIME_SPEED, "value"),
        prevent_initial_call=True,
    )
    def choose_speed(ms):
        return ms if ms in {speed for speed, _ in SPEEDS} else TICK_MS


def _choose(trigger: Any, preset: Any, start: str | None, end: str | None, lang: str,
            play_day: str | None, stopped: bool, window: Any, today: date,
            slider: Any = None) -> tuple:
    """The callback's answer as a plain function (unit-testable, no Dash context)."""
    keep = no_update
    if trigger == ids.TIME_SLIDER:
        # Start anywhere: the chosen day is shown, and playing (or going on) starts from it.
        day = play_day_at(slider, today)
        if day is None or day == play_day:
            return (keep,) * 8
        new = day_window(day)
        return new, None, None, None, keep, keep, day, window_label(new, lang, today)
    if trigger == ids.TIME_PRESET and preset:
        new = preset_window(int(preset), today)
        return new, keep, None, None, True, PLAY, None, window_label(new, lang, today)
    if trigger in (ids.TIME_RANGE,):
        if not (start and end):  # the first of the two clicks: wait for the second
            return (keep,) * 8
        new = range_window(start, end)
        return new, None, keep, keep, True, PLAY, None, window_label(new, lang, today)
    if trigger == ids.TIME_PLAY:
        if not stopped:  # pause where we are
            return keep, keep, keep, keep, True, PLAY, keep, keep
        day = play_day or first_play_day(today)
        new = day_window(day)
        return new, None, None, None, False, PAUSE, day, window_label(new, lang, today)
    if trigger == ids.TIME_TICK:
        if stopped or not play_day:
            return (keep,) * 8
        day = next_play_day(play_day, today)
        if day is None:  # reached yesterday: stop on the last day shown
            return keep, keep, keep, keep, True, PLAY, None, keep
        new = day_window(day)
        return new, keep, keep, keep, keep, keep, day, window_label(new, lang, today)
    # A language switch: only the label's words change.
    return keep, keep, keep, keep, keep, keep, keep, window_label(window, lang, today)
