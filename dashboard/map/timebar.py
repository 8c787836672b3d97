"""The time bar: preset windows, a custom date range and day-by-day playback.

It writes the page's TIME_WINDOW store ({"since": "YYYY-MM-DD" | None, "until": … | None});
the windowed layers and the H3 overlay read that store and re-fetch.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.i18n import normalise, t
from dashboard.map import ids
from geo.timewindow import DEFAULT_DAYS, TOWN_TZ

PRESETS = (7, 14, 30)
PLAY_DAYS = 60  # the playback runs through the last 60 days (an outbreak's span)
TICK_MS = 1200  # one day per tick: long enough for the windowed layers to redraw
PLAY, PAUSE = "▶", "⏸"

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


def layout(lang: str) -> html.Div:
    """The bar (presets, date range, play button, label) with its ticker and playback store."""
    today = town_today()
    return html.Div(className="gc-timebar", id=ids.TIME_BAR, children=[
        dcc.RadioItems(id=ids.TIME_PRESET, className="gc-presets", inline=True,
                       options=_preset_options(lang), value=DEFAULT_DAYS),
        dcc.DatePickerRange(
            id=ids.TIME_RANGE, className="gc-range", display_format="YYYY-MM-DD",
            first_day_of_week=1, max_date_allowed=today.isoformat(),
            initial_visible_month=today.isoformat(),
            start_date_placeholder_text=t("time.start", lang),
            end_date_placeholder_text=t("time.end", lang)),
        html.Button(PLAY, id=ids.TIME_PLAY, className="gc-play", n_clicks=0,
                    title=t("time.play", lang, n=PLAY_DAYS)),
        html.Span(window_label(None, lang, today), id=ids.TIME_LABEL, className="gc-time-label"),
        dcc.Interval(id=ids.TIME_TICK, interval=TICK_MS, disabled=True),
        dcc.Store(id=ids.TIME_PLAY_DAY, data=None),
    ])


def register(app: Dash) -> None:
    """Attach the time bar's callbacks to `app`."""

    @app.callback(
        Output(ids.TIME_WINDOW, "data"),
        Output(ids.TIME_PRESET, "value"),
        Output(ids.TIME_RANGE, "start_date"),
        Output(ids.TIME_RANGE, "end_date"),
        Output(ids.TIME_TICK, "disabled"),
        Output(ids.TIME_PLAY, "children"),
        Output(ids.TIME_PLAY_DAY, "data"),
        Output(ids.TIME_LABEL, "children"),
        Input(ids.TIME_PRESET, "value"),
        Input(ids.TIME_RANGE, "start_date"),
        Input(ids.TIME_RANGE, "end_date"),
        Input(ids.TIME_PLAY, "n_clicks"),
        Input(ids.TIME_TICK, "n_intervals"),
        Input(ids.LANG_SWITCH, "value"),
        State(ids.TIME_PLAY_DAY, "data"),
        State(ids.TIME_TICK, "disabled"),
        State(ids.TIME_WINDOW, "data"),
        prevent_initial_call=True,
    )
    def choose_window(preset, start, end, _clicks, _ticks, lang, play_day, stopped, window):
        # One callback owns the store: presets, range and playback each override the others.
        return _choose(ctx.triggered_id, preset, start, end, normalise(lang), play_day,
                       stopped is not False, window, town_today())

    @app.callback(
        Output(ids.TIME_PRESET, "options"),
        Output(ids.TIME_RANGE, "start_date_placeholder_text"),
        Output(ids.TIME_RANGE, "end_date_placeholder_text"),
        Output(ids.TIME_PLAY, "title"),
        Input(ids.LANG_SWITCH, "value"),
        prevent_initial_call=True,
    )
    def switch_language(lang):
        lang = normalise(lang)
        return (_preset_options(lang), t("time.start", lang), t("time.end", lang),
                t("time.play", lang, n=PLAY_DAYS))


def _choose(trigger: Any, preset: Any, start: str | None, end: str | None, lang: str,
            play_day: str | None, stopped: bool, window: Any, today: date) -> tuple:
    """The callback's answer as a plain function (unit-testable, no Dash context)."""
    keep = no_update
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
