"""Mounting the wall display: its own Dash app at /wall/ on the main Flask server."""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask, redirect, request

from dashboard.i18n import t
from dashboard.settings import Settings
from dashboard.wall import callbacks
from dashboard.wall.config import load_views
from dashboard.wall.layout import layout
from layers.registry import Registry

PREFIX = "/wall/"


def mount(server: Flask, settings: Settings, registry: Registry, assets: Path,
          lang: str) -> Dash:
    """Create the wall's Dash app on `server` (a bad view file fails here, at startup)."""
    wall_views = load_views(settings.wall_views)
    app = Dash("gridcmd_wall", server=server, url_base_pathname=PREFIX,
               assets_folder=str(assets), serve_locally=True, title=t("wall.title", lang),
               update_title=None)
    app.index_string = app.index_string.replace(
        "<html>", f'<html lang="{"en" if lang == "en" else "zh-CN"}" class="gc-wall-html">', 1)
    app.layout = lambda: layout(settings, registry, wall_views, lang)
    callbacks.register(app, registry, wall_views, lang)
    from dashboard.tickets import wall_live  # the ticket change feed, followed every 2 s
    from dashboard.wall import ids

    wall_live.register(app, ids.REFRESH, ids.LANG)

    @server.get("/wall")
    def _wall_without_slash():
        query = request.query_string.decode()
        return redirect(PREFIX + (f"?{query}" if query else ""), code=308)

    return app
