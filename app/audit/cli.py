"""`flask audit purge`: run daily from cron to keep the audit log for AUDIT_RETENTION_DAYS."""
import click
from flask.cli import AppGroup

from app.common.transaction import commit


def register(app):
    group = AppGroup("audit", help="Security audit log.")

    @group.command("purge")
    @click.option("--days", type=click.IntRange(min=1), default=None,
                  help="Override AUDIT_RETENTION_DAYS for this run.")
    def purge_command(days):
        """Delete audit events older than the retention period (running it twice is harmless)."""
        from app.audit.services import purge

        removed = purge(days)
        commit()
        click.echo(f"Removed {removed} audit event(s).")

    app.cli.add_command(group)
