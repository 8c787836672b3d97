"""Compressed JSON and GeoJSON answers through flask-compress.

flask-compress is the maintained Flask extension for this (also what Dash's own `compress=True`
uses): it negotiates Accept-Encoding (zstd, br, gzip, deflate), sets `Vary: Accept-Encoding`
and keeps ETags valid per encoding (`"tag:gzip"`), which a hand-written after_request would
have to get right by itself. GeoJSON shrinks 5-10x (coordinates and repeated keys), so a
district viewport of ~1 MB travels as ~150 KB.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

# Data answers only. Dash's JavaScript bundles are static files sent as streams; compressing
# them again on every page load would cost the two cores more than it saves on the LAN.
MIMETYPES = ["application/json", "application/geo+json", "text/html"]


def install(server: Flask) -> None:
    """Compress data answers of `server` when the client accepts it."""
    server.config.update(
        COMPRESS_MIMETYPES=MIMETYPES,
        COMPRESS_ALGORITHM=["zstd", "br", "gzip", "deflate"],  # best first, by Accept-Encoding
        COMPRESS_LEVEL=5,  # gzip: ~all of level 9's gain at a third of its time on GeoJSON
        COMPRESS_MIN_SIZE=1024,  # a small answer fits one packet anyway
        COMPRESS_STREAMS=False,
    )
    Compress(server)
