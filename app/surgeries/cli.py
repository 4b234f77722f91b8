"""`flask surgeries send-reminders`: run daily from cron, e.g. `0 9 * * * flask surgeries send-reminders`.

Safe to run twice or at the same time on two servers: each booking is claimed atomically
before its reminder is queued, so nobody gets the same reminder twice.
"""
import click
from flask.cli import AppGroup

from app.common.transaction import commit
from app.surgeries import bookings

group = AppGroup("surgeries", help="Ward surgery tasks.")


@group.command("send-reminders")
def send_reminders():
    """Email a reminder to everyone booked for a surgery tomorrow (London time)."""
    sent = bookings.send_due_reminders(commit)
    click.echo(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")


def register(app):
    app.cli.add_command(group)
