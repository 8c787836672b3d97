"""Mounting a Dash app on the one Flask server: the command map (/), print view (/print/) and
wall (/wall/) are built the same way — offline assets, the page's language on <html>, and the
prefix without its slash redirected (query kept)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Flask, redirect, request

from dashboard.i18n import normalise, t


def html_lang(lang: str | None) -> str:
    """The <html lang> of a page: zh-CN makes browsers pick Chinese (not Japanese) glyphs."""
    return "en" if normalise(lang) == "en" else "zh-CN"


# Files of the assets folder that no Dash page links: the sign-in page and the printable call
# list link or inline their own stylesheet.
NOT_DASH = ("login.css", "ops_calllist.css")
# Files for the command map's controls only (its drawers, boxes, menus, time bar, selection and
# phone layout): the print view and the wall leave them out.
MAP_ONLY = ("date_fns_zh_cn.js", "date_locale.js", "export_menu.css", "export_menu.js",
            "legend_room.js", "legend_toggle.js", "map_histogram.js", "map_selection.js", "ops.css",
            "ops_drawer.js", "language_memory.js", "phone-map.css", "phone-map.js", "time_pause.js")


def not_linked(names: Iterable[str]) -> str:
    """Dash's `assets_ignore` regex for these file names of the assets folder (and NOT_DASH).

    Dash links every .js and .css of its assets folder into each of its pages; a page leaves
    out what only other pages use (fewer requests and less CSS before its first paint). The
    files are still served at /assets/… (an ignored file is only left out of the page)."""
    return "^(" + "|".join(re.escape(n) for n in (*NOT_DASH, *names)) + ")$"


def mount_dash(server: Flask, prefix: str, name: str, assets: Path, lang: str | None,
               layout: Any, title_key: str = "title", html_class: str | None = None,
               skip_assets: Iterable[str] = (), **dash_options: Any) -> Dash:
    """A Dash app named `name` at `prefix` ("/" or "/x/") of `server`, its page in `lang`,
    linking every file of `assets` but `skip_assets` (those of other pages) and NOT_DASH
    (`dash_options`: further Dash arguments, e.g. the map's external_scripts)."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"a Dash prefix starts and ends with '/': {prefix!r}")
    where = {} if prefix == "/" else {"url_base_pathname": prefix}
    app = Dash(name, server=server, assets_folder=str(assets),
               assets_ignore=not_linked(skip_assets),
               serve_locally=True,  # the command hall may have no internet: no CDN
               title=t(title_key, lang), update_title=None, **where, **dash_options)
    attributes = f'lang="{html_lang(lang)}"' + (f' class="{html_class}"' if html_class else "")
    app.index_string = app.index_string.replace("<html>", f"<html {attributes}>", 1)
    app.layout = layout
    if prefix != "/":
        server.add_url_rule(prefix.rstrip("/"), endpoint=f"{name}_without_slash",
                            view_func=_redirect_to(prefix), methods=["GET"])
    return app


def _redirect_to(prefix: str) -> Callable[[], Any]:
    def without_slash():
        query = request.query_string.decode()
        return redirect(prefix + (f"?{query}" if query else ""), code=308)
    return without_slash
