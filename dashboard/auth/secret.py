"""The key that signs session cookies and render credentials: configured, or made once."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dashboard.settings import Settings


def secret_key(settings: Settings) -> str:
    """GRIDCMD_SECRET_KEY, else the key in <home>/secret_key (created 0600 on first use)."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.home) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two processes start together, one writes and both read the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key
