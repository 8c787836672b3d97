"""Access tokens, stored as hashes: the wall display (read-only, in its URL) and other
departments' systems (`department`: sent as `Authorization: Bearer …`, limited to collections)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import psycopg
from psycopg.rows import dict_row

from geo.ogc_collections import COLLECTIONS, unknown_collections
from geo.users import UserError

TOKEN_ROLES = ("wall", "department")


@dataclass(frozen=True)
class Token:
    """A valid token as a request sees it (never the token itself)."""

    id: int
    role: str
    label: str
    collections: tuple[str, ...] = ()  # OGC collections a department token may read


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(conn: psycopg.Connection, role: str, created_by: str, label: str = "",
                 days: int | None = 365, collections: tuple[str, ...] = ()) -> tuple[int, str]:
    """(id, token): the token is returned once and only its hash is kept."""
    if role not in TOKEN_ROLES:
        raise UserError(f"tokens are for the roles {', '.join(TOKEN_ROLES)} only, not {role!r}")
    if role == "department" and not label:
        raise UserError("a department token needs a --label naming the department")
    if collections and role != "department":
        raise UserError("--collections is for department tokens only")
    unknown = unknown_collections(collections)
    if unknown:
        raise UserError(f"--collections: no OGC collection named {', '.join(unknown)}; known: "
                        f"{', '.join(COLLECTIONS)}")
    if days is not None and not 1 <= days <= 3650:
        raise UserError("--days: 1..3650")
    token = secrets.token_urlsafe(32)
    expires = timedelta(days=days) if days else None
    row = conn.execute(
        "INSERT INTO access_tokens (token_hash, role, label, created_by, expires_at, collections)"
        " VALUES (%s, %s, %s, %s, now() + %s, %s) RETURNING id",
        [_digest(token), role, label, created_by, expires, list(collections)]).fetchone()
    return row[0], token


def token_role(conn: psycopg.Connection, token: str) -> tuple[int, str] | None:
    """(id, role) of a valid (known, unexpired, unrevoked) token, else None."""
    if not token or len(token) > 200:
        return None
    row = conn.execute(
        "SELECT id, role FROM access_tokens WHERE token_hash = %s AND revoked_at IS NULL"
        " AND (expires_at IS NULL OR expires_at > now())", [_digest(token)]).fetchone()
    return (row[0], row[1]) if row else None


def find_token(conn: psycopg.Connection, token: str) -> Token | None:
    """The valid (known, unexpired, unrevoked) token, else None."""
    if not token or len(token) > 200:
        return None
    row = conn.execute(
        "SELECT id, role, label, collections FROM access_tokens WHERE token_hash = %s"
        " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
        [_digest(token)]).fetchone()
    return Token(row[0], row[1], row[2], tuple(row[3])) if row else None


def token_valid(conn: psycopg.Connection, token_id: int) -> bool:
    """Whether the token with this id is still usable (sessions re-check it)."""
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM access_tokens WHERE id = %s AND revoked_at IS NULL"
        " AND (expires_at IS NULL OR expires_at > now()))", [token_id]).fetchone()[0]


def revoke_token(conn: psycopg.Connection, token_id: int) -> None:
    """Revoke a token; the walls using it are signed out at their next refresh."""
    cur = conn.execute("UPDATE access_tokens SET revoked_at = now() WHERE id = %s"
                       " AND revoked_at IS NULL", [token_id])
    if cur.rowcount != 1:
        raise UserError(f"no active token {token_id}")


def list_tokens(conn: psycopg.Connection) -> list[dict]:
    """Every token (never the token itself)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT id, role, label, collections, created_by, created_at,"
                           " expires_at, revoked_at FROM access_tokens ORDER BY id").fetchall()
