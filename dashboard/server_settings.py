"""Settings of the HTTP server (GRIDCMD_HOST, GRIDCMD_PORT, body and connection limits)."""

from __future__ import annotations

from pydantic_settings import BaseSettings

from geo.settings import ENV


class ServerSettings(BaseSettings):
    """Where `gridcmd serve` listens and what one client may send or hold open."""

    model_config = ENV

    host: str = "127.0.0.1"
    port: int = 8050
    max_body_mb: float = 10  # largest request body (briefing configs, callbacks); 413 above
    http_connection_limit: int = 1000  # open client connections waitress accepts
    http_idle_timeout_s: int = 30  # an idle or stalled client connection is closed after this
    photo_max_bytes: int = 1_048_576  # a phone photo's upload limit (the phone compresses to it)
    ogc_requests_per_min: int = 600  # per token or user on /ogc/, before it answers 429
    # Answers without personal data kept per process (dashboard/response_cache.py); 0: off
    response_cache_mb: float = 64
    response_cache_ttl_s: float = 30  # longest an answer that follows the clock is reused
