"""The second sign-in step (a code after the password), setting up an authenticator app and
making new recovery codes. Registered on the accounts blueprint (see routes.py)."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.accounts import second_factor
from app.accounts.forms import CodeForm, SetupCodeForm
from app.accounts.routes import _start_session, bp
from app.audit import record
from app.common.auth import safe_next
from app.common.transaction import commit
from app.extensions import limiter


def _no_store(html: str):
    # Recovery codes and the set-up secret must not stay in a cache.
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def code_page(user, form=None, key_form=None):
    """The second step: a code box, and "Use your security key" for someone who has one."""
    from app.accounts.forms import SecurityKeyAnswerForm

    return render_template("accounts/second_factor_code.html", form=form or CodeForm(),
                           key_form=key_form or SecurityKeyAnswerForm(), has_key=user.has_security_key,
                           has_app=user.has_authenticator_app)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def second_factor_code():
    user = second_factor.pending_user()
    if user is None:
        return redirect(url_for("accounts.login"))
    if not user.has_second_factor:
        return redirect(url_for("accounts.second_factor_setup"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            used = second_factor.check_code(user, form.code.data)
        except second_factor.CodeError as exc:
            commit()  # keep the counted attempt and the audit event
            form.code.errors.append(exc.message)
        else:
            message = None
            if used == "recovery code":
                left = second_factor.recovery_codes_left(user)
                message = f"You signed in with a recovery code. You have {left} left: make new ones if you are running out."
            return finish_sign_in(user, {"second_factor": used}, message)
    return code_page(user, form=form)


def finish_sign_in(user, detail, message=None):
    """The second factor passed (code, recovery code or security key): the session starts and the
    person goes where they were heading, if that is on this site. `message` is flashed into the
    new session (the old one is cleared)."""
    next_url = second_factor.pending_next()  # read before the new session clears it
    user.record_login()
    record("sign_in.success", actor=user, subject=user, detail=detail)
    _start_session(user)
    if message:
        flash(message, "success")
    return redirect(safe_next(next_url, url_for("main.staff_home")))


def _setup_user():
    """Someone half signed in who must set up, or a signed-in member of staff without one."""
    if current_user.is_authenticated:
        return current_user._get_current_object() if current_user.is_staff else None
    return second_factor.pending_user()


@bp.route("/sign-in/set-up-second-factor", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def second_factor_setup():
    user = _setup_user()
    if user is None:
        return redirect(url_for("accounts.login"))
    # Signed in: may add an app beside security keys. Half signed in with a key: use it instead.
    if user.has_authenticator_app or (not current_user.is_authenticated and user.has_second_factor):
        return redirect(url_for("main.staff_home") if current_user.is_authenticated
                        else url_for("accounts.second_factor_code"))
    secret = second_factor.setup_secret()
    form = SetupCodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(user, secret, form.code.data)
        except second_factor.CodeError as exc:
            commit()
            form.code.errors.append(exc.message)
        else:
            destination = safe_next(second_factor.pending_next(), url_for("main.staff_home"))
            if not current_user.is_authenticated:
                user.record_login()
                record("sign_in.success", actor=user, subject=user, detail={"second_factor": "set up"})
            _start_session(user)  # the change ended every session, this one included
            return _no_store(render_template("accounts/recovery_codes.html", codes=codes, destination=destination,
                                             first_time=True))
    uri = second_factor.provisioning_uri(user, secret)
    return _no_store(render_template("accounts/second_factor_setup.html", form=form, secret=secret,
                                     qr=second_factor.qr_svg(uri), required=second_factor.required_for(user)))


@bp.route("/account/second-factor/recovery-codes", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per minute", methods=["POST"])
def recovery_codes():
    user = current_user._get_current_object()
    if not user.has_authenticator_app:  # renewing asks for an app code
        abort(404)
    form = SetupCodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.renew_recovery_codes(user, form.code.data)
        except second_factor.CodeError as exc:
            commit()
            form.code.errors.append(exc.message)
        else:
            commit()
            return _no_store(render_template("accounts/recovery_codes.html", codes=codes,
                                             destination=url_for("accounts.account"), first_time=False))
    return render_template("accounts/recovery_codes_new.html", form=form,
                           left=second_factor.recovery_codes_left(user))
