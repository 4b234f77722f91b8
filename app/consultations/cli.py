"""`flask equality rekey`: move every pseudonymous key to a new EQUALITY_KEY (docs/privacy.md).

Run it once after changing EQUALITY_KEY, with the old key in OLD_EQUALITY_KEY (an environment
variable, so it never shows in the process list or shell history):

    OLD_EQUALITY_KEY=... EQUALITY_KEY=... flask --app wsgi equality rekey
"""
import os

import click
from flask import current_app
from flask.cli import AppGroup

from app.common.pseudonym import DRAW_MEMBER, PANEL_MEMBER, RESPONSE, pseudonym
from app.common.transaction import commit
from app.extensions import db


def rekey(old_key: str, new_key: str) -> dict:
    """Re-key "About you", panel equality answers and draw pools; returns counts moved. Rows
    whose old key matches no response or member (already orphaned) are left as they are."""
    from app.consultations.models import AboutYou, Response
    from app.panel.models import Draw, PanelEquality, PanelMember
    from app.tracker.models import TRACKER_RESPONSE, TrackerAboutYou, TrackerResponse

    moved = {}
    for model, column, ids, purpose in (
            (AboutYou, AboutYou.respondent_key, db.session.scalars(db.select(Response.id)), RESPONSE),
            (PanelEquality, PanelEquality.member_key, db.session.scalars(db.select(PanelMember.id)), PANEL_MEMBER),
            (TrackerAboutYou, TrackerAboutYou.respondent_key, db.session.scalars(db.select(TrackerResponse.id)),
             TRACKER_RESPONSE)):
        mapping = {pseudonym(purpose, i, old_key): pseudonym(purpose, i, new_key) for i in ids}
        count = 0
        for old, new in mapping.items():
            count += db.session.execute(db.update(model).where(column == old).values({column.key: new})).rowcount
        moved[model.__tablename__] = count
    members = {pseudonym(DRAW_MEMBER, i, old_key): pseudonym(DRAW_MEMBER, i, new_key)
               for i in db.session.scalars(db.select(PanelMember.id))}
    for draw in Draw.query.all():
        draw.probabilities = {members.get(k, k): v for k, v in (draw.probabilities or {}).items()}
        draw.pool_snapshot = {members.get(k, k): v for k, v in (draw.pool_snapshot or {}).items()}
    moved["panel_draws"] = Draw.query.count()
    db.session.flush()
    return moved


def register(app):
    group = AppGroup("equality", help="Equality (\"About you\") data commands.")

    @group.command("rekey")
    def rekey_command():
        """Re-key equality answers from OLD_EQUALITY_KEY to the configured EQUALITY_KEY."""
        old = os.environ.get("OLD_EQUALITY_KEY")
        if not old:
            raise click.ClickException("Set OLD_EQUALITY_KEY to the key the data was stored under.")
        if old == current_app.config["EQUALITY_KEY"]:
            raise click.ClickException("OLD_EQUALITY_KEY is the same as EQUALITY_KEY: nothing to do.")
        moved = rekey(old, current_app.config["EQUALITY_KEY"])
        commit()
        click.echo("Re-keyed: " + ", ".join(f"{table} {count}" for table, count in moved.items()))

    app.cli.add_command(group)
