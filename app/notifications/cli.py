import click

from app.common.transaction import commit


def register(app):
    @app.cli.command("send-emails")
    def send_emails():
        """Retry queued and failed emails (run from cron if SMTP was down)."""
        from app.notifications.services import retry_failed

        count = retry_failed()
        commit()
        click.echo(f"Tried {count} email(s).")
