"""`gridcmd user|token|audit` in a test: pointed at a test database and run in this process."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from dashboard import cli
from dashboard.cli import users_cmd as cli_users
from dashboard.settings import Settings


def users_cli_on(monkeypatch: pytest.MonkeyPatch, url: str) -> str:
    """Point the users CLI (which reads its own settings) at the database `url`; returns it."""
    monkeypatch.setattr(cli_users, "get_settings", lambda: Settings(database_url=url))
    return url


def run_cli(*args: str, stdin: str | None = None) -> Result:
    """`gridcmd <args>` with `stdin`, as a terminal 200 columns wide would show it."""
    return CliRunner().invoke(cli.main, list(args), input=stdin, terminal_width=200)
