"""Mounting the wall display: its own Dash app at /wall/ on the main Flask server."""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask

from dashboard.dash_mount import MAP_ONLY, mount_dash
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
    app = mount_dash(server, PREFIX, "gridcmd_wall", assets, lang,
                     lambda: layout(settings, registry, wall_views, lang),
                     title_key="wall.title", html_class="gc-wall-html",
                     skip_assets=MAP_ONLY + ("print.css", "print.js"))
    callbacks.register(app, registry, wall_views, lang)
    from dashboard.tickets import wall_live  # the ticket change feed, followed every 2 s
    from dashboard.wall import ids

    wall_live.register(app, ids.REFRESH, ids.LANG)

    return app
