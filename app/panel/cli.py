"""`flask panel purge-unconfirmed` (run daily from cron to honour the retention setting) and
`flask panel verify-draw ID` (re-run a draw from its stored pool to audit it)."""
import click
from flask import current_app
from flask.cli import AppGroup

from app.common.transaction import commit


def register(app):
    group = AppGroup("panel", help="Citizens' Panel commands.")

    @group.command("purge-unconfirmed")
    @click.option("--days", type=click.IntRange(min=0), default=None,
                  help="Override PANEL_UNCONFIRMED_RETENTION_DAYS for this run.")
    def purge_unconfirmed(days):
        """Erase sign-ups not confirmed within PANEL_UNCONFIRMED_RETENTION_DAYS days."""
        from app.panel.membership import purge_unconfirmed as purge

        days = days if days is not None else current_app.config.get("PANEL_UNCONFIRMED_RETENTION_DAYS", 30)
        count = purge(days)
        commit()
        click.echo(f"Erased {count} unconfirmed panel sign-up(s) older than {days} days.")

    @group.command("verify-draw")
    @click.argument("draw_id", type=int)
    def verify_draw(draw_id):
        """Re-run a draw from its stored pool, seed and quotas and compare who was selected."""
        from app.extensions import db
        from app.panel.draws import verify_draw as verify
        from app.panel.models import Draw

        draw = db.session.get(Draw, draw_id)
        if draw is None:
            raise click.ClickException(f"There is no draw {draw_id}.")
        same, message = verify(draw)
        click.echo(message)
        if not same:
            raise SystemExit(1)

    app.cli.add_command(group)
