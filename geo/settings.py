"""The one place configuration is read from (environment variables prefixed GRIDCMD_)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    # The server runs as the unprivileged `postgres` user when we are root, and that user
    # cannot enter /root; so root's cluster lives under /var/lib instead of the home folder.
    if os.geteuid() == 0:
        return Path("/var/lib/gridcmd")
    return Path.home() / ".local" / "share" / "gridcmd"


class ReplicaSettings(BaseSettings):
    """The read replica (issue 16): read-only requests go to a streaming replica when set."""

    model_config = SettingsConfigDict(env_prefix="GRIDCMD_", extra="ignore")

    replica_url: str | None = None  # libpq URL of a streaming replica (None: primary only)
    # a replica further behind than this serves no reads
    replica_max_lag_s: float = Field(5.0, ge=0, le=3600)
    replica_check_s: float = Field(1.0, ge=0.05, le=60)  # its state (up, lag) is asked this often
    # After a user's own write, their reads stay on the primary until the replica has
    # replayed past it, and at most this long.
    replica_read_your_writes_s: float = Field(30.0, ge=0, le=3600)


class Settings(ReplicaSettings):
    """gridcmd settings; every field can be set as GRIDCMD_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="GRIDCMD_", extra="ignore")

    database_url: str | None = None
    home: Path = _default_home()
    pg_port: int = 54329
    pg_bin: Path | None = None
    database_name: str = "gridcmd"
    statement_timeout_ms: int = 30_000
    pool_min: int = 1
    pool_max: int = 8

    town_code: str = "110112104"
    lang: str = "zh"
    tile_url: str | None = None
    tile_attribution: str = ""
    host: str = "127.0.0.1"
    port: int = 8050
    wall_refresh: int = 30  # seconds between the wall display's data refreshes
    wall_views: Path | None = None  # TOML file of the wall's rotating views (None: defaults)
    secret_key: str | None = None  # signs session cookies (None: a key kept in <home>/secret_key)
    session_idle_min: int = 30  # minutes without a request before a user must sign in again
    session_max_hours: float = 12  # a user's session ends this long after sign-in, used or not
    cookie_secure: bool | None = None  # None: Secure when the request came over HTTPS
    login_attempts_per_min: int = 10  # failed sign-ins per client address, before 429
    max_body_mb: float = 10  # largest request body (briefing configs, callbacks); 413 above
    http_connection_limit: int = 1000  # open client connections waitress accepts
    http_idle_timeout_s: int = 30  # an idle or stalled client connection is closed after this
    photo_max_bytes: int = 1_048_576  # a phone photo's upload limit (the phone compresses to it)
    # 接诉即办: the server's background pass (outbox delivery, escalation) every N seconds
    # (0: off; `gridcmd tickets deliver|escalate` do the same from the command line).
    ticket_worker_s: float = 2.0
    ticket_retry_base_s: float = 2.0  # first retry delay of a failed callback; doubles, capped
    ticket_retry_max_s: float = 600.0
    ticket_callback_timeout_s: float = 5.0
    chromium: str | None = None  # snapshots' browser (None: /usr/bin/chromium, … see export)
    export_renders: int = 2  # snapshot/briefing requests in flight server-wide (then 429)
    export_renders_per_user: int = 1  # … and per signed-in user
    ogc_requests_per_min: int = 600  # per token or user on /ogc/, before it answers 429


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
