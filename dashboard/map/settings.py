"""Settings of the map pages: the default language and an optional basemap."""

from __future__ import annotations

from pydantic_settings import BaseSettings

from geo.settings import ENV


class MapSettings(BaseSettings):
    """GRIDCMD_LANG (zh or en) and GRIDCMD_TILE_URL / GRIDCMD_TILE_ATTRIBUTION."""

    model_config = ENV

    lang: str = "zh"
    tile_url: str | None = None
    tile_attribution: str = ""
