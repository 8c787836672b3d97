"""Settings of snapshots and briefings: the browser and how many renders run at once."""

from __future__ import annotations

from pydantic_settings import BaseSettings

from geo.settings import ENV


class ExportSettings(BaseSettings):
    """GRIDCMD_CHROMIUM, GRIDCMD_EXPORT_RENDERS, GRIDCMD_EXPORT_RENDERS_PER_USER."""

    model_config = ENV

    chromium: str | None = None  # snapshots' browser (None: /usr/bin/chromium, … see export)
    export_renders: int = 2  # snapshot/briefing requests in flight server-wide (then 429)
    export_renders_per_user: int = 1  # … and per signed-in user
