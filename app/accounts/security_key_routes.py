"""Security keys (WebAuthn): the account page that lists, adds and removes them, and signing in
with one at the second step. The browser ceremony needs app/static/js/security-key.js; each
"options" endpoint answers JSON for it, and each answer comes back in an ordinary form post, so
errors show as on any other page. Registered on the accounts blueprint (see routes.py)."""
from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.accounts import second_factor, security_keys
from app.accounts.forms import ConfirmForm, SecurityKeyAnswerForm, SecurityKeyForm
from app.accounts.routes import _start_session, bp
from app.accounts.second_factor_routes import _no_store, code_page, finish_sign_in
from app.common.transaction import commit
from app.extensions import limiter


def _staff_user():
    if not current_user.is_staff:
        abort(404)
    return current_user._get_current_object()


def _keys_page(user, form, status=200):
    return render_template("accounts/security_keys.html", form=form, keys=security_keys.keys_of(user),
                           remove_form=ConfirmForm(prefix="remove")), status


@bp.get("/account/security-keys")
@login_required
def security_keys_page():
    return _keys_page(_staff_user(), SecurityKeyForm())


@bp.post("/account/security-keys/options")
@login_required
@limiter.limit("20 per minute")
def security_key_registration_options():
    user = _staff_user()
    options = security_keys.registration_options(user)
    commit()
    return options, 200, {"Content-Type": "application/json", "Cache-Control": "no-store"}


@bp.post("/account/security-keys")
@login_required
@limiter.limit("20 per minute")
def security_key_add():
    user = _staff_user()
    form = SecurityKeyForm()
    if not form.validate_on_submit():
        return _keys_page(user, form)
    if not form.credential.data:
        form.credential.errors.append("Use the ‘Add security key’ button and touch your key when your browser asks")
        return _keys_page(user, form)
    try:
        codes = security_keys.add_key(user, form.name.data, form.password.data, form.credential.data)
    except security_keys.KeyRefused as exc:
        commit()  # keep the audit event and the counted attempt; the challenge stays used
        getattr(form, exc.field).errors.append(exc.message)
        return _keys_page(user, form)
    _start_session(user)  # the change ended every session, this one included
    if codes:
        return _no_store(render_template("accounts/recovery_codes.html", codes=codes, first_time=True,
                                         panel_title="Your security key is added",
                                         destination=url_for("accounts.security_keys_page")))
    flash(f"Security key ‘{form.name.data.strip()}’ added. Any other devices have been signed out.", "success")
    return redirect(url_for("accounts.security_keys_page"))


@bp.post("/account/security-keys/<int:key_id>/remove")
@login_required
@limiter.limit("20 per minute")
def security_key_remove(key_id):
    user = _staff_user()
    form = ConfirmForm(prefix="remove")
    if not form.validate():
        abort(400)
    try:
        key = security_keys.remove_key(user, key_id)
    except security_keys.KeyRefused as exc:
        flash(exc.message, "error")
        return redirect(url_for("accounts.security_keys_page"))
    if key is None:
        abort(404)
    _start_session(user)
    flash(f"Security key ‘{key.name}’ removed. Any other devices have been signed out.", "success")
    return redirect(url_for("accounts.security_keys_page"))


# --- The second sign-in step -------------------------------------------------------------------

def _json_error(message, status):
    return jsonify(error=message), status, {"Cache-Control": "no-store"}


@bp.post("/sign-in/security-key/options")
@limiter.limit("20 per minute")
def security_key_sign_in_options():
    user = second_factor.pending_user()
    if user is None:
        return _json_error("Your sign-in has expired. Sign in again", 401)
    if not user.has_security_key:
        return _json_error("You have no security key. Enter a code instead", 400)
    options = security_keys.authentication_options(user)
    commit()
    return options, 200, {"Content-Type": "application/json", "Cache-Control": "no-store"}


@bp.post("/sign-in/security-key")
@limiter.limit("20 per minute")
def security_key_sign_in():
    user = second_factor.pending_user()
    if user is None:
        return redirect(url_for("accounts.login"))
    key_form = SecurityKeyAnswerForm()
    if key_form.validate_on_submit():
        try:
            key = security_keys.check_key(user, key_form.credential.data)
        except security_keys.KeyRefused as exc:
            commit()  # keep the counted attempt and the audit event
            key_form.credential.errors.append(exc.message)
        else:
            return finish_sign_in(user, {"second_factor": "security key", "key_id": key.id})
    return code_page(user, key_form=key_form)
