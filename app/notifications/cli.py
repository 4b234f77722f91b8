import click

from app.common.transaction import commit


def register(app):
    @app.cli.command("send-emails")
    @click.option("--retry-given-up", is_flag=True,
                  help="Also try messages given up on after MAIL_MAX_ATTEMPTS failures.")
    @click.option("--held", is_flag=True,
                  help="Only send held mailings whose MAIL_HOLD_MINUTES are over (run every minute).")
    def send_emails(retry_given_up, held):
        """Retry queued and failed emails, texts and letters (run from cron: SMTP or Notify was down)."""
        from app.notifications.services import retry_failed, send_held

        if held:
            count = send_held()
            commit()
            click.echo(f"Sent {count} held message(s).")
            return
        count = retry_failed(given_up=retry_given_up)
        commit()
        click.echo(f"Tried {count} email(s).")

    @app.cli.command("send-letter")
    @click.option("--address", "address_lines", multiple=True, required=True,
                  help="One address line; repeat it: the addressee first, the postcode last (3 to 7 lines).")
    @click.option("--subject", required=True, help="The letter's heading (the template's ((subject))).")
    @click.option("--body-file", type=click.File(encoding="utf-8"), required=True,
                  help="A text file with the letter's body (the template's ((body))); - for stdin.")
    @click.option("--kind", default="default", show_default=True,
                  help="Picks the template: NOTIFY_TEMPLATE_LETTER_<KIND>, else NOTIFY_TEMPLATE_LETTER_DEFAULT.")
    def send_letter_command(address_lines, subject, body_file, kind):
        """Post a letter through GOV.UK Notify (e.g. to a resident with no email or phone)."""
        from app.extensions import db
        from app.notifications import notify
        from app.notifications.models import OutboundEmail
        from app.notifications.services import send_letter

        if not notify.configured():
            raise click.ClickException("GOV.UK Notify is not set up: set NOTIFY_API_KEY (docs/deploy.md).")
        try:
            record = send_letter(list(address_lines), kind, subject, body_file.read())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        record_id = record.id
        commit()  # sends it; a failure leaves it in the outbox for `flask send-emails`
        db.session.expire_all()
        if db.session.get(OutboundEmail, record_id) is None:
            click.echo("Letter sent to GOV.UK Notify.")
        else:
            click.echo("GOV.UK Notify did not take the letter; it is kept and `flask send-emails` retries it.")
