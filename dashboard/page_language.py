"""The language a page opens in: the one its user last chose on the command map (a cookie
that assets/language_memory.js writes when the 中文 / English switch changes), else the
server's (GRIDCMD_LANG). Only 'zh' or 'en' ever come out (dashboard.i18n.normalise)."""

from __future__ import annotations

from flask import has_request_context, request

from dashboard.i18n import normalise

LANG_COOKIE = "gridcmd_lang"  # assets/language_memory.js writes it


def opening_lang(default: str | None) -> str:
    """The chosen language of this request's user, or `default`."""
    chosen = request.cookies.get(LANG_COOKIE) if has_request_context() else None
    return normalise(chosen or default)
