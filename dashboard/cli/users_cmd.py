"""`gridcmd user …`, `gridcmd token …`, `gridcmd audit`: accounts, wall tokens, the audit trail."""

from __future__ import annotations

import getpass
import os
import sys
from contextlib import contextmanager
from datetime import datetime

import click
from rich.console import Console
from rich.table import Table

from dashboard.settings import get_settings
from geo.users import ROLES, UserError

console = Console()


def operator() -> str:
    """Who runs a CLI command, for the audit trail (the OS account)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid{os.getuid()}"


@contextmanager
def _database():
    """A connection to the configured database (started and migrated when embedded)."""
    from geo.bootstrap import ensure_database
    from geo.database import connect

    settings = get_settings()
    with connect(ensure_database(settings), settings) as conn:
        yield conn
        conn.commit()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 / password: ")
    if first != getpass.getpass("再次输入 / again: "):
        raise UserError("the two passwords differ")
    return first


def _audit(conn, action: str, target: str, detail: dict) -> None:
    from geo import audit

    audit.record(conn, operator(), "admin", action, target, detail)


@click.group("user")
def user() -> None:
    """用户管理 / manage the users who may sign in."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r for r in ROLES if r != "wall"]))
@click.option("--community", "communities", multiple=True,
              help="Community code the user may drill into (role community; repeatable).")
@click.option("--grid", "grids", multiple=True,
              help="Grid code a grid worker acts in (role gridworker; repeatable).")
@click.option("--display-name", default=None, help="Name shown in the audit trail.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(username: str, role: str, communities: tuple[str, ...], grids: tuple[str, ...],
             display_name: str | None, password_stdin: bool) -> None:
    """Add a user with a role (the password is asked for, never given on the command line)."""
    from geo.users import add_user

    password = _read_password(password_stdin)
    with _database() as conn:
        add_user(conn, username, password, role, communities, display_name, grids)
        _audit(conn, "user_admin", username, {"op": "add", "role": role,
                                              "communities": list(communities),
                                              "grids": list(grids)})
    click.echo(f"用户已创建 / user added: {username} ({role})")


@user.command("list")
def user_list() -> None:
    """List the users (never their password hashes)."""
    from geo.users import list_users

    with _database() as conn:
        rows = list_users(conn)
    table = Table("用户 user", "角色 role", "社区/网格 communities/grids", "状态 state",
                  "最近登录 last login")
    for row in rows:
        state = "停用 disabled" if row["disabled"] else (
            "锁定 locked" if row["locked_until"] and row["locked_until"] > datetime.now(
                row["locked_until"].tzinfo) else "正常 active")
        table.add_row(row["username"], row["role"],
                      ",".join(row["communities"] or row["grids"]), state,
                      f"{row['last_login_at']:%Y-%m-%d %H:%M}" if row["last_login_at"] else "–")
    console.print(table)


@user.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
def user_disable(username: str, enable: bool) -> None:
    """Disable a user (their sessions end within 30 s); --enable reverses it."""
    from geo.users import set_disabled

    with _database() as conn:
        set_disabled(conn, username, not enable)
        _audit(conn, "user_admin", username, {"op": "enable" if enable else "disable"})
    click.echo(f"{'已启用 / enabled' if enable else '已停用 / disabled'}: {username}")


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_passwd(username: str, password_stdin: bool) -> None:
    """Set a user's password (every session of the user ends)."""
    from geo.users import set_password

    password = _read_password(password_stdin)
    with _database() as conn:
        set_password(conn, username, password)
        _audit(conn, "user_admin", username, {"op": "passwd"})
    click.echo(f"密码已更新 / password changed: {username}")


@click.group("token")
def token() -> None:
    """访问令牌 / access tokens: the wall display, other departments' systems."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(["wall", "department"]))
@click.option("--label", default="", help="Where or who, e.g. 指挥大厅大屏, 区市场监管局.")
@click.option("--collections", default="",
              help="Department tokens: comma list of the OGC collections it may read.")
@click.option("--days", default=365, type=int, show_default=True, help="Days until it expires.")
def token_create(role: str, label: str, collections: str, days: int) -> None:
    """Create a token; it is printed once and only its hash is kept.

    A wall token opens /wall/?token=…; a department token is sent by another system as
    `Authorization: Bearer …` (ticket intake, its OGC collections).
    """
    from geo.tokens import create_token

    settings = get_settings()
    names = tuple(name.strip() for name in collections.split(",") if name.strip())
    with _database() as conn:
        token_id, value = create_token(conn, role, operator(), label, days, names)
        _audit(conn, "token_admin", f"token:{token_id}", {
            "op": "create", "role": role, "label": label, "days": days,
            "collections": list(names)})
    click.echo(f"令牌 / token {token_id} ({role}, {days} 天/days):")
    click.echo(value)
    if role == "wall":
        click.echo(f"大屏地址 / wall URL: "
                   f"http://{settings.host}:{settings.port}/wall/?token={value}")
    else:
        click.echo("请求头 / header: Authorization: Bearer <token>")


@token.command("list")
def token_list() -> None:
    """List tokens (never the tokens themselves)."""
    from geo.tokens import list_tokens

    with _database() as conn:
        rows = list_tokens(conn)
    table = Table("id", "角色 role", "用途 label", "图层 collections", "创建 created",
                  "到期 expires", "撤销 revoked")
    for row in rows:
        table.add_row(str(row["id"]), row["role"], row["label"], ",".join(row["collections"]),
                      f"{row['created_at']:%Y-%m-%d}",
                      f"{row['expires_at']:%Y-%m-%d}" if row["expires_at"] else "–",
                      f"{row['revoked_at']:%Y-%m-%d %H:%M}" if row["revoked_at"] else "–")
    console.print(table)


@token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke a token (walls using it are signed out within 30 s)."""
    from geo.tokens import revoke_token

    with _database() as conn:
        revoke_token(conn, token_id)
        _audit(conn, "token_admin", f"token:{token_id}", {"op": "revoke"})
    click.echo(f"已撤销 / revoked: {token_id}")


@click.command("audit")
@click.option("--user", "username", default=None, help="Only this user's rows.")
@click.option("--since", default=None, help="From this date or time (YYYY-MM-DD[THH:MM]).")
@click.option("--action", default=None, help="Only this action (drilldown, unmask, export …).")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000))
def audit(username: str | None, since: str | None, action: str | None, limit: int) -> None:
    """访问日志 / list the audit trail, newest first."""
    from geo import audit as audit_log
    from geo.timewindow import TOWN_TZ

    start = None
    if since:
        try:
            start = datetime.fromisoformat(since)
        except ValueError as exc:
            raise click.BadParameter("use YYYY-MM-DD or YYYY-MM-DDTHH:MM", param_hint="--since") \
                from exc
        start = start if start.tzinfo else start.replace(tzinfo=TOWN_TZ)
    if action is not None and action not in audit_log.ACTIONS:
        raise click.BadParameter(f"one of {', '.join(audit_log.ACTIONS)}", param_hint="--action")
    with _database() as conn:
        rows = audit_log.entries(conn, username, start, action, limit)
    table = Table("时间 time", "用户 user", "角色 role", "操作 action", "对象 target", "来源 from")
    for row in rows:
        table.add_row(f"{row['at'].astimezone(TOWN_TZ):%Y-%m-%d %H:%M:%S}", row["username"],
                      row["role"], row["action"], row["target"], row["remote_addr"])
    console.print(table)
    click.echo(f"{len(rows)} 条 / rows")
