"""Where a user lands after signing in: grid workers on their phone app, others where asked."""

from __future__ import annotations

PHONE_APP = "/m/"


def landing(role: str, target: str) -> str:
    """The page to open after sign-in: `target`, except a grid worker sent to the command map
    (which their role cannot open) goes to the phone app."""
    if role == "gridworker" and target in ("", "/"):
        return PHONE_APP
    return target
