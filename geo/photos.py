"""Photos from the phone: checked by content, re-encoded without metadata, kept outside the
web root under <GRIDCMD_HOME>/photos, idempotent by the phone's id."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from geo.errors import GridcmdError

MAX_BYTES = 1_048_576      # the phone compresses each photo to ≤ 1 MB before it queues it
MAX_PIXELS = 40_000_000    # a decompression bomb is refused before it is decoded
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class PhotoRefused(GridcmdError):
    """The upload is not a JPEG/PNG photo within the limits; the message says what to do."""


class PhotoTooBig(PhotoRefused):
    """The upload is over the size limit (413)."""


@dataclass(frozen=True)
class CleanPhoto:
    """A checked photo, re-encoded: no EXIF, no GPS, no text chunks."""

    data: bytes
    mime: str
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    """'image/jpeg' or 'image/png' from the first bytes (the content, not the file name)."""
    if data.startswith(_JPEG_MAGIC):
        return "image/jpeg"
    if data.startswith(_PNG_MAGIC):
        return "image/png"
    return None


def clean(data: bytes, max_bytes: int = MAX_BYTES) -> CleanPhoto:
    """Check `data` is a JPEG/PNG within the limits and decodes; re-encode it without metadata."""
    from PIL import Image, ImageOps  # lazy: only photo uploads need Pillow

    if not data:
        raise PhotoRefused("empty file: take or choose a photo")
    if len(data) > max_bytes:
        raise PhotoTooBig(f"photo is {len(data) / 1_048_576:.1f} MB, over the limit of "
                           f"{max_bytes / 1_048_576:.1f} MB: take it again at a lower size")
    mime = sniff(data)
    if mime is None:
        raise PhotoRefused("not a JPEG or PNG image: send a photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRefused("image has too many pixels: take it again at a lower size")
            probe.verify()  # structure and checksums, without decoding the pixels
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel decodes
            # Turn the picture upright by its EXIF orientation before the EXIF is dropped.
            upright = ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken files
        raise PhotoRefused("the image cannot be read (damaged or not a photo): "
                           "take it again") from exc
    out = io.BytesIO()
    if mime == "image/jpeg":
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        mode = upright.mode if upright.mode in ("RGB", "RGBA", "L", "LA", "P") else "RGBA"
        upright.convert(mode).save(out, "PNG", optimize=True)
    return CleanPhoto(out.getvalue(), mime, upright.width, upright.height)


def photo_dir(home: Path) -> Path:
    """Where photos are kept (made on first use, readable by the server's user only)."""
    folder = home / "photos"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def photo_path(home: Path, client_id: uuid.UUID, mime: str) -> Path:
    """The file of one photo."""
    return photo_dir(home) / f"{client_id}.{'jpg' if mime == 'image/jpeg' else 'png'}"


def find(conn: psycopg.Connection, client_id: uuid.UUID) -> dict[str, Any] | None:
    """The stored photo row of the phone's id, if any."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT client_id::text AS id, username, grids, ticket_code, mime, bytes, width,"
            " height, created_at FROM phone_photos WHERE client_id = %s",
            [client_id]).fetchone()


def store(conn: psycopg.Connection, home: Path, client_id: uuid.UUID, data: bytes,
          username: str, grids: tuple[str, ...],
          max_bytes: int = MAX_BYTES) -> tuple[dict[str, Any], bool]:
    """Check, clean and keep one photo: (its row, whether new). Nothing is kept when refused."""
    found = find(conn, client_id)
    if found is not None:
        if found["username"] != username:
            raise PhotoRefused("that photo id belongs to another user")
        return found, False
    photo = clean(data, max_bytes)
    path = photo_path(home, client_id, photo.mime)
    partial = path.with_suffix(".part")
    partial.write_bytes(photo.data)
    os.chmod(partial, 0o600)
    try:
        conn.execute(
            "INSERT INTO phone_photos (client_id, username, grids, mime, bytes, width,"
            " height, sha256) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [client_id, username, list(grids), photo.mime, len(photo.data), photo.width,
             photo.height, hashlib.sha256(photo.data).hexdigest()])
    except psycopg.errors.UniqueViolation:
        conn.rollback()  # the same id sent twice at once: the other request kept it
        partial.unlink(missing_ok=True)
        found = find(conn, client_id)
        if found is None:
            raise
        return found, False
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    # The file is in place before the row commits; a failed commit takes the file away again.
    partial.replace(path)
    try:
        conn.commit()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return find(conn, client_id), True


def attach(conn: psycopg.Connection, ids: list[uuid.UUID], username: str,
           ticket_code: str) -> int:
    """Tie the user's unattached photos to a ticket (in the caller's transaction); how many."""
    return conn.execute(
        "UPDATE phone_photos SET ticket_code = %s WHERE client_id = ANY(%s) AND username = %s"
        " AND (ticket_code IS NULL OR ticket_code = %s)",
        [ticket_code, ids, username, ticket_code]).rowcount


def may_see(conn: psycopg.Connection, who: Any, row: dict[str, Any]) -> bool:
    """Whether principal `who` may see a photo: its uploader; once it belongs to a ticket,
    whoever may see that ticket (drill-down roles, community users of its community, grid
    workers of its grid)."""
    if who is None:
        return False
    if row["username"] == who.name:
        return True
    if not row["ticket_code"]:
        return False
    found = conn.execute(
        "SELECT i.grid_code, g.community_code FROM incidents i"
        " LEFT JOIN grids g ON g.code = i.grid_code WHERE i.code = %s",
        [row["ticket_code"]]).fetchone()
    if found is None:
        return False
    grid, community = found
    if who.role == "gridworker":
        return grid is not None and grid in who.grids
    if who.can("drilldown"):
        return who.sees_community(community)
    return False


def read(home: Path, row: dict[str, Any]) -> bytes:
    """The bytes of a stored photo."""
    return photo_path(home, uuid.UUID(row["id"]), row["mime"]).read_bytes()
