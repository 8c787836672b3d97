"""Which Chromium the exporter drives: GRIDCMD_CHROMIUM, else the first one found on the system.

Playwright never downloads a browser here: snapshots use the distribution's own Chromium (or a
Chrome) so nothing is fetched at run time. Debian ships /usr/bin/chromium, Ubuntu
chromium-browser (often a snap wrapper), Google's packages google-chrome(-stable).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from geo.errors import GridcmdError

# Looked at in this order when GRIDCMD_CHROMIUM is not set.
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
              "/usr/bin/google-chrome-stable", "/snap/bin/chromium")
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = ("install one (Debian: apt-get install chromium; Ubuntu: apt-get install "
                "chromium-browser; or Google Chrome), or set GRIDCMD_CHROMIUM to the path of a "
                "Chromium/Chrome executable")


class ChromiumNotFound(GridcmdError):
    """No usable Chromium executable: the message names what was tried and what to install."""


def _runnable(path: str | Path) -> bool:
    path = Path(path)
    return path.is_file() and os.access(path, os.X_OK)


def find_chromium(setting: str | Path | None = None) -> str:
    """The Chromium executable to launch: `setting` (GRIDCMD_CHROMIUM) if given, else the first
    of CANDIDATES, else the first of NAMES on PATH. Raises ChromiumNotFound naming the fix."""
    if setting is not None and str(setting).strip():
        wanted = str(setting).strip()
        found = wanted if _runnable(wanted) else shutil.which(wanted)
        if found and _runnable(found):
            return found
        raise ChromiumNotFound(f"GRIDCMD_CHROMIUM={wanted!r} is not an executable file; "
                               f"fix the setting or unset it to search {', '.join(CANDIDATES)}; "
                               + INSTALL_HINT)
    for candidate in CANDIDATES:
        if _runnable(candidate):
            return candidate
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumNotFound(f"no Chromium found for snapshots (looked at {', '.join(CANDIDATES)} "
                           f"and {', '.join(NAMES)} on PATH); {INSTALL_HINT}")
