"""Your signed-in devices: see them and sign others out. Registered on the accounts blueprint."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts import devices
from app.accounts.forms import DevicesForm
from app.accounts.routes import bp
from app.accounts.services import AccountError
from app.common.transaction import commit
from app.extensions import limiter


@bp.route("/account/devices", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per minute", methods=["POST"])
def devices_page():
    form = DevicesForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        which = request.form.get("end", "others")
        try:
            ended = devices.sign_out_others(user, form.current.data, which)
        except AccountError as exc:
            commit()  # keep the counted attempt and the audit event
            form.current.errors.append(exc.message)
        else:
            commit()
            flash("That device has been signed out." if which != "others" else
                  f"{ended} other device{'s' if ended != 1 else ''} signed out.", "success")
            return redirect(url_for("accounts.devices_page"))
    return render_template("accounts/devices.html", form=form, sessions=devices.live_sessions(user),
                           here=devices.current_session_id())
