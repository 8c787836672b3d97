"""GET /export/snapshot.png|.pdf and GET|POST /export/briefing.pdf: the server renders its own
print view (and the briefing's cover) in headless Chromium and sends the file."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from dashboard.auth.principal import current
from dashboard.auth.trail import audit
from dashboard.error_bodies import bad_parameter
from dashboard.export.briefing_config import (
    MAX_CONFIG_BYTES,
    Briefing,
    BriefingConfigError,
    check_config,
    load_config,
    named_config_path,
    parse_text,
)
from dashboard.export.briefing_example import EXAMPLE
from dashboard.export.browser import BrowserUnavailable
from dashboard.export.params import parse_params
from dashboard.export.render_gate import ExportBusy, RenderGate
from dashboard.export.snapshot import SnapshotFailed, snapshot
from dashboard.settings import Settings
from dashboard.state import connection, get_state
from geo.errors import BadParameter

log = logging.getLogger(__name__)
DEFAULT_CONFIG = "default"  # ?config=default falls back to the built-in example briefing
export_api = Blueprint("gridcmd_export", __name__)

MIMETYPES = {"png": "image/png", "pdf": "application/pdf"}
BODY_FORMATS = {"application/json": "json", "application/yaml": "yaml",
                "application/x-yaml": "yaml", "text/yaml": "yaml"}  # anything else: TOML
BODY_NAME = "request body"


def render_slot():
    """One render slot of this server for the signed-in user (ExportBusy → 429 when full)."""
    gate = current_app.extensions.get("gridcmd_render_gate")
    if gate is None:
        settings = get_state().settings
        gate = current_app.extensions.setdefault("gridcmd_render_gate", RenderGate(
            settings.export_renders, settings.export_renders_per_user))
    who = current()
    return gate.slot(who.name if who else "-")


def briefing_folder(settings: Settings) -> Path:
    """Where GET /export/briefing.pdf?config=<name> finds <name>.toml|.json|.yaml."""
    return settings.home / "briefings"


@export_api.get("/export/snapshot.<fmt>")
def export_snapshot(fmt: str):
    """The map snapshot as PNG or PDF; the same parameters as `gridcmd export snapshot`."""
    if fmt not in MIMETYPES:
        return jsonify({"error": "not_found", "message": "use snapshot.png or snapshot.pdf"}), 404
    # Checked before the browser starts; BadParameter answers 400 naming the parameter.
    params = parse_params(request.args.to_dict(), get_state().registry)
    with render_slot(), tempfile.TemporaryDirectory(prefix="gridcmd-export-") as folder:
        path = snapshot(request.host_url, params, Path(folder) / f"snapshot.{fmt}")
        data = path.read_bytes()
    audit("export", f"snapshot.{fmt}", {"query": request.query_string.decode()[:400]})
    return Response(data, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'inline; filename="gridcmd-snapshot.{fmt}"',
        "Cache-Control": "no-store"})


@export_api.route("/export/briefing.pdf", methods=["GET", "POST"])
def export_briefing():
    """The briefing PDF of a named config (GET ?config=) or of the config in the body (POST)."""
    state = get_state()
    # The whole config is checked before anything is drawn: a bad one answers 400, no file.
    if request.method == "POST":
        brief = _posted_config(state)
    else:
        name = request.args.get("config")
        path = named_config_path(briefing_folder(state.settings), name)
        if path is None and name == DEFAULT_CONFIG:
            # The map's 下载每日简报 link: the town's own default.toml, else the built-in
            # example (gridcmd export briefing --example), so it works on a fresh install.
            brief = check_config(parse_text(EXAMPLE, "toml", "example"), "example",
                                 state.registry)
        elif path is None:
            return jsonify({"error": "not_found",
                            "message": f"no briefing config called {name!r}"}), 404
        else:
            brief = load_config(path, state.registry)
    from dashboard.export.briefing import briefing_facts

    with render_slot():
        with connection() as conn:
            figures, as_of = briefing_facts(conn, brief)
        data = _briefing_bytes(state, brief, figures, as_of)
    audit("export", "briefing.pdf", {"config": request.args.get("config") or "posted",
                                     "views": len(brief.views)})
    return Response(data, mimetype=MIMETYPES["pdf"], headers={
        "Content-Disposition": 'inline; filename="gridcmd-briefing.pdf"',
        "Cache-Control": "no-store"})


def _briefing_bytes(state, brief: Briefing, figures, as_of) -> bytes:
    from dashboard.export.briefing import write_briefing

    with tempfile.TemporaryDirectory(prefix="gridcmd-briefing-") as folder:
        path = write_briefing(request.host_url, brief, figures, Path(folder) / "briefing.pdf",
                              state.settings.lang, as_of)
        return path.read_bytes()


def _posted_config(state) -> Briefing:
    if (request.content_length or 0) > MAX_CONFIG_BYTES:  # refused before it is read
        raise BadParameter("config", f"the config is larger than {MAX_CONFIG_BYTES} bytes")
    body = request.get_data(cache=True)
    if len(body) > MAX_CONFIG_BYTES:
        raise BadParameter("config", f"the config is larger than {MAX_CONFIG_BYTES} bytes")
    if not body.strip():
        raise BadParameter("config", "the request body holds no briefing config")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadParameter("config", "the config must be UTF-8 text") from None
    data = parse_text(text, BODY_FORMATS.get(request.mimetype, "toml"), BODY_NAME)
    return check_config(data, BODY_NAME, state.registry)


@export_api.app_errorhandler(BriefingConfigError)
def _bad_briefing_config(exc: BriefingConfigError):
    return bad_parameter(exc.key, str(exc))


@export_api.app_errorhandler(ExportBusy)
def _export_busy(exc: ExportBusy):
    return (jsonify({"error": "busy", "message": str(exc), "retry_after": exc.retry_after}),
            429, {"Retry-After": str(exc.retry_after)})


@export_api.app_errorhandler(SnapshotFailed)
@export_api.app_errorhandler(BrowserUnavailable)
def _snapshot_failed(exc: Exception):
    log.warning("snapshot failed: %s", exc)
    return jsonify({"error": "snapshot_failed", "message": str(exc)}), 503
