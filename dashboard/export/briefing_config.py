"""The briefing's config (TOML, JSON or YAML), from a file, a named file or a request body.

    title = "马驹桥镇每日简报"
    days = 7                       # or since / until (YYYY-MM-DD)
    paper = "A4"                   # optional: A4 (default) or A3, every page landscape
    lang = "zh"                    # optional: zh or en
    [[views]]
    title = "全镇小区"
    layers = ["communities", "compounds"]
    bbox = "116.50,39.72,116.62,39.80"   # optional
    h3 = "population"                    # optional H3 overlay

Every error names the config and the key, and is raised before anything is drawn.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dashboard.export.params import (
    SnapshotParams,
    parse_lang,
    parse_paper,
    parse_params,
    parse_size,
    parse_title,
)
from geo.errors import BadParameter, GridcmdError
from geo.timewindow import MAX_DAYS, TOWN_TZ, parse_window
from layers.registry import Registry

DEFAULT_TITLE = "每日简报"
MAX_VIEWS = 10  # each view is a full render: more held the browser for minutes
MAX_CONFIG_BYTES = 64 * 1024  # a briefing config is a few hundred bytes; a body is capped
TOP_KEYS = {"title", "since", "until", "days", "size", "paper", "lang", "views"}
VIEW_KEYS = {"title", "layers", "bbox", "h3"}
FORMATS = ("toml", "json", "yaml")
SUFFIXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
CONFIG_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class BriefingConfigError(GridcmdError):
    """The briefing's config is unreadable or one of its keys is wrong (`key` names it)."""

    def __init__(self, message: str, key: str = "config") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Briefing:
    """A checked briefing config: the title, the window and one SnapshotParams per view."""

    title: str
    since: str | None
    until: str | None
    size: tuple[int, int]
    views: tuple[SnapshotParams, ...]
    lang: str | None = None
    paper: str | None = None  # A4 (None) or A3; the cover and every view page alike


def load_config(path: str | Path, registry: Registry, today: date | None = None) -> Briefing:
    """Read and check a config file (.json, .yaml/.yml, else TOML), naming file and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BriefingConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise BriefingConfigError(f"{path.name}: not UTF-8 text: {exc}") from None
    data = parse_text(text, SUFFIXES.get(path.suffix.lower(), "toml"), path.name)
    return check_config(data, path.name, registry, today)


def named_config_path(folder: Path, name: str | None) -> Path | None:
    """The config `name` (no suffix) in `folder`, None if there is none; a bad name raises."""
    if not name or not CONFIG_NAME.match(name):
        raise BadParameter("config", "a config name: letters, digits, '-' or '_' "
                                     f"(at most 64), not {str(name)[:40]!r}")
    for suffix in SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def parse_text(text: str, fmt: str, name: str) -> dict[str, Any]:
    """The config's table from TOML, JSON or YAML text."""
    try:
        if fmt == "json":
            data = json.loads(text)
        elif fmt == "yaml":
            import yaml

            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except Exception as exc:  # each parser has its own error class; all mean "not valid"
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BriefingConfigError(f"{name}: not valid {fmt.upper()}: {first}") from None
    if not isinstance(data, dict):
        raise BriefingConfigError(f"{name}: must be a table of keys (title, days, views …)")
    return data


def check_config(data: Mapping[str, Any], name: str, registry: Registry,
                 today: date | None = None) -> Briefing:
    """Check a parsed config; every error names `name` and the key."""

    def fail(key: str, message: str) -> BriefingConfigError:
        return BriefingConfigError(f"{name}: {key}: {message}", key)

    for key in data:
        if key not in TOP_KEYS:
            raise fail(str(key), f"unknown key; known keys: {', '.join(sorted(TOP_KEYS))}")
    try:
        title = parse_title(_text(data, "title")) or DEFAULT_TITLE
        size = parse_size(_text(data, "size"))
        lang = parse_lang(_text(data, "lang"))
        paper = parse_paper(_text(data, "paper")) if data.get("paper") is not None else None
        if data.get("paper") is not None and paper is None:
            raise BadParameter("paper", "must be A4 or A3")
    except BadParameter as exc:
        raise fail(exc.parameter, str(exc).split(": ", 1)[1]) from None
    since, until = _window(data, today or datetime.now(TOWN_TZ).date(), fail)
    views = data.get("views")
    if not isinstance(views, list) or not views:
        raise fail("views", "required: at least one [[views]] table")
    if len(views) > MAX_VIEWS:
        raise fail("views", f"at most {MAX_VIEWS} views")
    checked = []
    for number, view in enumerate(views, start=1):
        key = f"views[{number}]"  # counted from 1, as a reader of the file counts them
        if not isinstance(view, dict):
            raise fail(key, "must be a table with title, layers and optional bbox")
        for item in view:
            if item not in VIEW_KEYS:
                raise fail(f"{key}.{item}",
                           f"unknown key; known keys: {', '.join(sorted(VIEW_KEYS))}")
        if not _text(view, "title"):
            raise fail(f"{key}.title", "required")
        if view.get("layers") in (None, "", []):
            raise fail(f"{key}.layers", "required: layer ids, comma-separated or a list")
        args = {"title": _joined(view, "title", fail, key), "size": f"{size[0]}x{size[1]}",
                "layers": _joined(view, "layers", fail, key),
                "bbox": _joined(view, "bbox", fail, key), "since": since, "until": until,
                "h3": _joined(view, "h3", fail, key), "lang": lang, "paper": paper}
        try:
            checked.append(parse_params(args, registry))
        except BadParameter as exc:
            raise fail(f"{key}.{exc.parameter}", str(exc).split(": ", 1)[1]) from None
    return Briefing(title=title, since=since, until=until, size=size, views=tuple(checked),
                    lang=lang, paper=paper)


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value if isinstance(value, str) else None


def _joined(table: Mapping[str, Any], key: str, fail: Any, prefix: str) -> str | None:
    """A string as it is, a list of strings or numbers joined with commas; else an error."""
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and key in ("layers", "bbox") and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return ",".join(str(v) for v in value)
    raise fail(f"{prefix}.{key}",
               "must be a string" + (" or a list" if key in ("layers", "bbox") else ""))


def _window(data: Mapping[str, Any], today: date, fail: Any) -> tuple[str | None, str | None]:
    """(since, until) as YYYY-MM-DD strings; `days = N` means the N days ending today."""
    days = data.get("days")
    if days is not None:
        if "since" in data or "until" in data:
            raise fail("days", "give either days or since/until, not both")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
            raise fail("days", f"must be a whole number of days from 1 to {MAX_DAYS}")
        since, until = (today - timedelta(days=days - 1)).isoformat(), today.isoformat()
    else:
        since, until = data.get("since"), data.get("until")
        for key, value in (("since", since), ("until", until)):
            if isinstance(value, date):  # TOML's and YAML's bare dates arrive as date objects
                value = value.isoformat()
            elif value is not None and not isinstance(value, str):
                raise fail(key, "must be a date, YYYY-MM-DD")
            if key == "since":
                since = value
            else:
                until = value
    try:
        parse_window(since, until)
    except BadParameter as exc:
        raise fail(exc.parameter, str(exc).split(": ", 1)[1]) from None
    return since, until
