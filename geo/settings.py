"""Settings of the geo layer, read from the environment (variables prefixed GRIDCMD_).

Settings are split by concern into small classes that share the prefix: the database and the
embedded cluster, the read replica and the ticket worker here; the web server, sessions, the


"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Every settings class reads GRIDCMD_<FIELD>; unknown GRIDCMD_ variables are ignored.
ENV = SettingsConfigDict(env_prefix="GRIDCMD_", extra="ignore")


def _default_home() -> Path:
    # The server runs as the unprivileged `postgres` user when we are root, and that user
    # cannot enter /root; so root's cluster lives under /var/lib instead of the home folder.
    if os.geteuid() == 0:
        return Path("/var/lib/gridcmd")
    return Path.home() / ".local" / "share" / "gridcmd"


class DatabaseSettings(BaseSettings):
    """The database, the embedded cluster and the connection pool; the town the data is of."""

    model_config = ENV

    database_url: str | None = None
    home: Path = _default_home()
    pg_port: int = 54329
    pg_bin: Path | None = None
    database_name: str = "gridcmd"
    statement_timeout_ms: int = 30_000
    pool_min: int = 1
    pool_max: int = 8
    town_code: str = "110112104"


class ReplicaSettings(BaseSettings):
    """The read replica (issue 16): read-only requests go to a streaming replica when set."""

    model_config = ENV

    replica_url: str | None = None  # libpq URL of a streaming replica (None: primary only)
    # a replica further behind than this serves no reads
    replica_max_lag_s: float = Field(5.0, ge=0, le=3600)
    replica_check_s: float = Field(1.0, ge=0.05, le=60)  # its state (up, lag) is asked this often
    # After a user's own write, their reads stay on the primary until the replica has
    # replayed past it, and at most this long.
    replica_read_your_writes_s: float = Field(30.0, ge=0, le=3600)


class TicketSettings(BaseSettings):
    """接诉即办: the server's background pass (outbox delivery, escalation) and its retries."""

    model_config = ENV

    # every N seconds (0: off; `gridcmd tickets deliver|escalate` do the same from the CLI)
    ticket_worker_s: float = 2.0
    ticket_retry_base_s: float = 2.0  # first retry delay of a failed callback; doubles, capped
    ticket_retry_max_s: float = 600.0
    ticket_callback_timeout_s: float = 5.0


class GeoSettings(DatabaseSettings, ReplicaSettings, TicketSettings):
    """Everything geo/ reads (the database, the cluster, the replica, the ticket worker)."""

    model_config = ENV
