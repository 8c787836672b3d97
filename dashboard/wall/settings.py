"""Settings of the wall display (GRIDCMD_WALL_REFRESH, GRIDCMD_WALL_VIEWS)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings

from geo.settings import ENV


class WallSettings(BaseSettings):
    """How often the wall refreshes and which views it rotates through."""

    model_config = ENV

    wall_refresh: int = 30  # seconds between the wall display's data refreshes
    wall_views: Path | None = None  # TOML file of the wall's rotating views (None: defaults)
