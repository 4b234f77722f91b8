"""Held mailings: mass emails and texts an officer started wait MAIL_HOLD_MINUTES, and can be
cancelled or sent at once here."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions import ysyw
from app.actions.forms import EmptyForm
from app.common.auth import EDITORS, roles_required
from app.common.transaction import commit
from app.notifications import services

bp = Blueprint("notifications", __name__, template_folder="templates")


def _mailing(key: str) -> dict:
    return next((m for m in services.held_mailings() if m["key"] == key), None)


@bp.get("/staff/mailings")
@roles_required(*EDITORS)
def held():
    return render_template("notifications/held.html", mailings=services.held_mailings(),
                           minutes=services.hold_minutes())


@bp.route("/staff/mailings/<key>/cancel", methods=["GET", "POST"])
@roles_required(*EDITORS)
def cancel(key):
    mailing = _mailing(key)
    if mailing is None:
        flash("That mailing has already gone or was cancelled.", "error")
        return redirect(url_for("notifications.held"))
    form = EmptyForm(prefix="cancel")
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        count = services.cancel_held(key, current_user)
        ysyw.mailing_cancelled(key, current_user, count)
        commit()
        flash(f"Cancelled. {count} {'message' if count == 1 else 'messages'} will not be sent.", "success")
        return redirect(url_for("notifications.held"))
    return render_template("notifications/cancel.html", mailing=mailing, form=form)


@bp.post("/staff/mailings/<key>/send-now")
@roles_required(*EDITORS)
def send_now(key):
    if not EmptyForm(prefix="send").validate_on_submit():
        abort(400)
    count = services.release_mailing(key, current_user)
    commit()
    flash(f"Sending {count} {'message' if count == 1 else 'messages'} now." if count
          else "That mailing has already gone or was cancelled.", "success" if count else "error")
    return redirect(url_for("notifications.held"))
