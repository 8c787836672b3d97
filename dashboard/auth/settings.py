"""Settings of sign-in and sessions (GRIDCMD_SECRET_KEY, GRIDCMD_SESSION_IDLE_MIN, …)."""

from __future__ import annotations

from pydantic_settings import BaseSettings

from geo.settings import ENV


class SessionSettings(BaseSettings):
    """Session cookies, idle and absolute timeouts, the sign-in throttle."""

    model_config = ENV

    secret_key: str | None = None  # signs session cookies (None: a key kept in <home>/secret_key)
    session_idle_min: int = 30  # minutes without a request before a user must sign in again
    session_max_hours: float = 12  # a user's session ends this long after sign-in, used or not
    cookie_secure: bool | None = None  # None: Secure when the request came over HTTPS
    login_attempts_per_min: int = 10  # failed sign-ins per client address, before 429
