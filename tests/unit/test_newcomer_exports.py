"""A newcomer's first steps with exports: an example briefing config, the config's format in
--help, and a clear error when no Chromium can be found."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import main as cli
from dashboard.export.briefing_config import BriefingConfigError, check_config, parse_text
from dashboard.export.chromium_path import CANDIDATES, ChromiumNotFound, find_chromium
from layers import REGISTRY


def test_example_briefing_config_loads_as_printed(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "briefing", "--example"])
    assert result.exit_code == 0, result.output
    daily = tmp_path / "daily.toml"
    daily.write_text(result.output, encoding="utf-8")
    brief = check_config(parse_text(daily.read_text(encoding="utf-8"), "toml", daily.name),
                         daily.name, REGISTRY)
    assert len(brief.views) == 5 and brief.paper == "A4"
    assert any("cases" in (view.layers or ()) for view in brief.views)


def test_briefing_help_describes_the_config_format() -> None:
    result = CliRunner().invoke(cli, ["export", "briefing", "--help"])
    assert result.exit_code == 0
    for key in ("[[views]]", "layers", "bbox", "h3", "paper", "days", "--example"):
        assert key in result.output, key


def test_briefing_without_config_says_what_to_give() -> None:
    result = CliRunner().invoke(cli, ["export", "briefing"])
    assert result.exit_code == 2 and "--config" in result.output and "--example" in result.output


def test_bad_paper_in_a_briefing_config_names_the_key() -> None:
    data = {"title": "简报", "paper": "B5", "views": [{"title": "甲", "layers": "town"}]}
    with pytest.raises(BriefingConfigError) as exc:
        check_config(data, "daily.toml", REGISTRY)
    assert exc.value.key == "paper" and "daily.toml: paper:" in str(exc.value)


def test_a_bogus_chromium_setting_is_named_with_what_to_install(tmp_path: Path) -> None:
    bogus = tmp_path / "no-such-chromium"
    with pytest.raises(ChromiumNotFound) as exc:
        find_chromium(str(bogus))
    message = str(exc.value)
    assert f"GRIDCMD_CHROMIUM={str(bogus)!r}" in message
    assert "apt-get install chromium" in message and "chromium-browser" in message


def test_chromium_setting_wins_over_the_search_order(tmp_path: Path) -> None:
    own = tmp_path / "my-chrome"
    own.write_text("#!/bin/sh\n")
    own.chmod(own.stat().st_mode | stat.S_IXUSR)
    assert find_chromium(str(own)) == str(own)


def test_search_order_finds_the_system_chromium_or_names_the_fix(monkeypatch) -> None:
    installed = [c for c in CANDIDATES if os.access(c, os.X_OK)]
    if installed:
        assert find_chromium(None) == installed[0]
    monkeypatch.setattr("dashboard.export.chromium_path.CANDIDATES", ("/nonexistent/chromium",))
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ChromiumNotFound) as exc:
        find_chromium(None)
    assert "/nonexistent/chromium" in str(exc.value) and "GRIDCMD_CHROMIUM" in str(exc.value)


def test_export_menu_links_carry_the_view_and_parse_as_snapshot_parameters() -> None:
    from urllib.parse import parse_qsl, urlsplit

    from dashboard.export.menu import view_href
    from dashboard.export.params import parse_params

    href = view_href("pdf", (116.5, 39.7, 116.6, 39.8), ["town", "cases"],
                     {"since": "2026-11-01", "until": None}, "cases", "en", "A3")
    parts = urlsplit(href)
    assert parts.path == "/export/snapshot.pdf"
    params = parse_params(dict(parse_qsl(parts.query)), REGISTRY)
    assert params.bbox == (116.5, 39.7, 116.6, 39.8) and params.layers == ("town", "cases")
    assert (params.since, params.h3, params.lang, params.paper) == ("2026-11-01", "cases",
                                                                    "en", "A3")
    png = parse_params(dict(parse_qsl(urlsplit(view_href("png", None, None, None, "none",
                                                         "zh")).query)), REGISTRY)
    assert png.size == (1920, 1080) and png.h3 is None and png.bbox is None
