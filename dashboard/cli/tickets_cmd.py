"""`gridcmd tickets …`: the ticket loop's background work by hand (deliver the outbox, escalate
late tickets) and the time-limit table."""

from __future__ import annotations

import click

from dashboard.settings import get_settings


@click.group("tickets")
def tickets() -> None:
    """接诉即办: outbox delivery, escalation, time limits."""


def _conn():
    from geo.bootstrap import ensure_database
    from geo.database import connect

    settings = get_settings()
    return connect(ensure_database(settings), settings), settings


@tickets.command("deliver")
def deliver() -> None:
    """Deliver every due outbox row to its callback URL once (retries wait their backoff)."""
    from geo.ticket_callbacks import Backoff, deliver_pending

    conn, settings = _conn()
    with conn:
        sent = deliver_pending(conn, None, Backoff(settings.ticket_retry_base_s,
                                                   settings.ticket_retry_max_s),
                               settings.ticket_callback_timeout_s)
        conn.commit()
    click.echo(f"delivered {sent['sent']}, failed {sent['failed']} (will be retried)")


@tickets.command("escalate")
def escalate() -> None:
    """Escalate open tickets past their time limits (community, then town)."""
    from datetime import datetime

    from geo.ticket_escalation import escalate_overdue
    from geo.timewindow import TOWN_TZ

    conn, _ = _conn()
    total = 0
    with conn:
        while True:
            raised = escalate_overdue(conn, datetime.now(TOWN_TZ))
            conn.commit()
            total += len(raised)
            if not raised:
                break
    click.echo(f"escalated {total} ticket(s)")


@tickets.command("limits")
@click.option("--set", "assignment", nargs=4, default=None,
              metavar="CATEGORY URGENCY RESPONSE_MIN SOLVE_MIN",
              help="Set one limit ('*' = every category), in minutes.")
def limits(assignment: tuple[str, str, str, str] | None) -> None:
    """Show (or set) the time limits per category × urgency."""
    conn, _ = _conn()
    with conn:
        if assignment:
            category, urgency, response, solve = assignment
            if not (response.isdigit() and solve.isdigit()):
                raise click.BadParameter("RESPONSE_MIN and SOLVE_MIN are whole minutes")
            conn.execute(
                "INSERT INTO ticket_limits (category, urgency, response_minutes, solve_minutes) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (category, urgency) DO UPDATE SET "
                "response_minutes = EXCLUDED.response_minutes, "
                "solve_minutes = EXCLUDED.solve_minutes",
                [category, urgency, int(response), int(solve)])
            conn.commit()
        rows = conn.execute("SELECT category, urgency, response_minutes, solve_minutes "
                            "FROM ticket_limits ORDER BY category, urgency").fetchall()
    for category, urgency, response, solve in rows:
        click.echo(f"{category:<24} {urgency:<10} respond {response:>6} min   "
                   f"solve {solve:>6} min")
