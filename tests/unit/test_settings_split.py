"""Settings are small classes per concern with one prefix; the joined object reads every
GRIDCMD_ variable as before, and geo/ needs none of the web ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.auth.settings import SessionSettings
from dashboard.export.settings import ExportSettings
from dashboard.map.settings import MapSettings
from dashboard.server_settings import ServerSettings
from dashboard.settings import Settings
from dashboard.wall.settings import WallSettings
from geo.settings import DatabaseSettings, GeoSettings, ReplicaSettings, TicketSettings

PARTS = (DatabaseSettings, ReplicaSettings, TicketSettings, ServerSettings, SessionSettings,
         MapSettings, ExportSettings, WallSettings)


def test_each_field_belongs_to_exactly_one_concern() -> None:
    seen: dict[str, str] = {}
    for part in PARTS:
        for name in part.model_fields:
            assert name not in seen, f"{name} in {part.__name__} and {seen[name]}"
            seen[name] = part.__name__
    assert set(seen) == set(Settings.model_fields)


@pytest.mark.parametrize("name,text,value", [
    ("pg_port", "5999", 5999), ("home", "/tmp/somewhere", Path("/tmp/somewhere")),
    ("ticket_worker_s", "0", 0.0), ("secret_key", "s3cret", "s3cret"),
    ("session_idle_min", "7", 7), ("port", "8123", 8123), ("lang", "en", "en"),
    ("chromium", "/usr/bin/chromium", "/usr/bin/chromium"), ("wall_refresh", "9", 9),
    ("ogc_requests_per_min", "3", 3),
])
def test_every_variable_keeps_its_name(monkeypatch, name, text, value) -> None:
    monkeypatch.setenv(f"GRIDCMD_{name.upper()}", text)
    assert getattr(Settings(), name) == value
    owner = next(part for part in PARTS if name in part.model_fields)
    assert getattr(owner(), name) == value


def test_a_bad_value_is_refused_naming_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("GRIDCMD_SESSION_IDLE_MIN", "thirty")
    with pytest.raises(ValueError, match="session_idle_min"):
        Settings()


def test_geo_settings_hold_no_web_option() -> None:
    assert not set(GeoSettings.model_fields) & {"secret_key", "host", "port", "tile_url",
                                                "wall_refresh", "chromium", "lang"}
