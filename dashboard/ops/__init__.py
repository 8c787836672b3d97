"""Operations on the command map (issue 7 part 2): the 运行 drawer with the 12345 ranking,
the data-freshness table and the mobilisation gaps; the printable call list. (The roster's JSON
routes are in dashboard/api/roster.py, mounted by the app with the other routes.)

`toolbar(lang)` goes into the page's title bar; `register(app)` wires everything else.
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from dashboard.ops.layout import ATTRIBUTES, toolbar

__all__ = ["ATTRIBUTES", "register", "toolbar"]


def register(app: Dash, assets: Path, lang: str) -> None:
    """Mount /print/calllist on the app's server; attach the callbacks."""
    from dashboard.ops import callbacks, calllist

    calllist.mount(app.server, assets, lang)
    callbacks.register(app)
