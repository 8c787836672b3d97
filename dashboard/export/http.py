"""GET /export/snapshot.png|.pdf: the server renders its own print view and sends the file."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import Blueprint, Response, jsonify, request

from dashboard.export.browser import BrowserUnavailable
from dashboard.export.params import parse_params
from dashboard.export.snapshot import SnapshotFailed, snapshot
from dashboard.state import get_state

log = logging.getLogger(__name__)
export_api = Blueprint("gridcmd_export", __name__)

MIMETYPES = {"png": "image/png", "pdf": "application/pdf"}


@export_api.get("/export/snapshot.<fmt>")
def export_snapshot(fmt: str):
    """The map snapshot as PNG or PDF; the same parameters as `gridcmd export snapshot`."""
    if fmt not in MIMETYPES:
        return jsonify({"error": "not_found", "message": "use snapshot.png or snapshot.pdf"}), 404
    # Checked before the browser starts; BadParameter answers 400 naming the parameter.
    params = parse_params(request.args.to_dict(), get_state().registry)
    with tempfile.TemporaryDirectory(prefix="gridcmd-export-") as folder:
        path = snapshot(request.host_url, params, Path(folder) / f"snapshot.{fmt}")
        data = path.read_bytes()
    return Response(data, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'inline; filename="gridcmd-snapshot.{fmt}"',
        "Cache-Control": "no-store"})


@export_api.app_errorhandler(SnapshotFailed)
@export_api.app_errorhandler(BrowserUnavailable)
def _snapshot_failed(exc: Exception):
    log.warning("snapshot failed: %s", exc)
    return jsonify({"error": "snapshot_failed", "message": str(exc)}), 503
