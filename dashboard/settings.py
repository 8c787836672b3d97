"""The whole application's settings: the small classes of each concern joined in one object.

Each field is read from GRIDCMD_<FIELD> by the class of its concern — geo/settings.py
(database, cluster, tickets), dashboard/server_settings.py (HTTP), dashboard/auth/settings.py
(sessions), dashboard/map/settings.py (language, basemap), dashboard/export/settings.py
(snapshots), dashboard/wall/settings.py (the wall). Add a setting to the class of its concern.
"""

from __future__ import annotations

from functools import lru_cache

from dashboard.auth.settings import SessionSettings
from dashboard.export.settings import ExportSettings
from dashboard.map.settings import MapSettings
from dashboard.server_settings import ServerSettings
from dashboard.wall.settings import WallSettings
from geo.settings import ENV, GeoSettings


class Settings(GeoSettings, ServerSettings, SessionSettings, MapSettings, ExportSettings,
               WallSettings):
    """gridcmd settings; every field can be set as GRIDCMD_<FIELD>."""

    model_config = ENV


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
