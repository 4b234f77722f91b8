"""Sign in and out, resident accounts, passwords, staff invitations and the admin's staff pages."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import second_factor, security_keys, services, throttle
from app.accounts.forms import (ChangePasswordForm, ConfirmForm, InviteForm, LoginForm, RegisterForm,
                                ResetRequestForm, RoleForm, SetPasswordForm)
from app.accounts.models import User
from app.common import limits
from app.common.auth import roles_required, safe_next
from app.common.timeutil import utcnow
from app.common.transaction import commit
from app.extensions import db, limiter

bp = Blueprint("accounts", __name__, template_folder="templates")
TOUCH_EVERY = timedelta(seconds=60)  # how often a session's last_seen_at is written


@bp.before_app_request
def _keep_session_alive():
    """Load the session first (so idle and absolute timeouts apply to every page) and note that
    it was used; the write is committed here, before the view starts its own work."""
    # Each request reads its session from the cookie afresh (the test client shares one `g`
    # between requests; a real server never does).
    g.pop("_login_user", None)
    g.pop("user_session", None)
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return
    row = g.get("user_session")
    now = utcnow()
    if row is not None and now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        commit()


def _start_session(user):
    # A fresh session at sign-in: nothing from before (e.g. a planted session) survives, and a
    # session this browser already had ends on the server too.
    previous = g.pop("user_session", None)
    if previous is not None:
        previous.end()
    services.begin_session(user)
    commit()
    session.clear()
    login_user(user)


def _begin_second_step(user, next_url):
    """Password accepted, code still to come: this browser is signed in to nothing (any session
    it had ends) and only remembers who typed the password, for the code page."""
    previous = g.pop("user_session", None)
    if previous is not None:
        previous.end()
    commit()  # the audit event and the throttle's released attempt
    logout_user()
    session.clear()
    second_factor.begin_pending(user, next_url)


def _password_weakness(form, *personal):
    problem = services.check_new_password(form.password.data, personal)
    if problem:
        form.password.errors.append(problem)
    return problem


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         request.cookies.get(throttle.DEVICE_COOKIE))
        except services.AccountError as exc:
            commit()  # keep the counted attempt and the audit event
            form.email.errors.append(exc.message)
        else:
            default = url_for("main.staff_home" if user.is_staff else "accounts.account")
            if second_factor.applies_to(user):
                _begin_second_step(user, request.args.get("next"))
                response = redirect(url_for("accounts.second_factor_code" if user.has_second_factor
                                            else "accounts.second_factor_setup"))
            else:
                _start_session(user)
                response = redirect(safe_next(request.args.get("next"), default))
            response.set_cookie(throttle.DEVICE_COOKIE, throttle.new_device_token(user.email),
                                max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400, httponly=True,
                                secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
            return response
    return render_template("accounts/login.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def logout():
    """POST (with its CSRF token) signs out. GET only asks, so a link or image planted on
    another site cannot sign anyone out."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("main.index"))
        return render_template("accounts/sign_out.html", form=ConfirmForm())
    services.end_current_session()  # on the server: a copy of the cookie no longer works
    commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("main.index"))


@bp.route("/create-account", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limits.decorated("account_registration")
def register():
    form = RegisterForm()
    if form.validate_on_submit() and not _password_weakness(form, form.email.data, form.name.data):
        services.register_resident(form.name.data, form.email.data, form.password.data)
        commit()
        # A redirect, so a refresh never sends the form again (and the abuse limit counts it).
        return redirect(url_for("accounts.check_email", reason="register"))
    return render_template("accounts/register.html", form=form)


@bp.get("/check-your-email")
def check_email():
    reason = request.args.get("reason")
    return render_template("accounts/check_email.html", reason=reason if reason in ("register", "reset") else "register")


@bp.get("/create-account/confirm/<token>")
def confirm_email(token):
    user = services.confirm_email(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    _start_session(user)
    flash("Your email address is confirmed and your account is ready.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        commit()
        return redirect(url_for("accounts.check_email", reason="reset"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit() and not _password_weakness(form, user.email, user.name):
        services.reset_password(user, form.password.data)
        commit()
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per minute", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and not _password_weakness(form, current_user.email, current_user.name):
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current.data, form.password.data)
        except services.AccountError as exc:
            commit()  # keep the counted attempt and the audit event
            form.current.errors.append(exc.message)
        else:
            _start_session(user)  # every other session ended with the old password
            flash("Your password has been changed. Any other devices have been signed out.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.get("/account")
@login_required
def account():
    from app.consultations.services import responses_for_user

    return render_template("accounts/account.html", responses=responses_for_user(current_user))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def accept_invite(token):
    invite = services.invite_for_token(token)
    if invite is None:
        return render_template("accounts/invite_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit() and not _password_weakness(form, invite.user.email, invite.user.name):
        user = services.accept_invite(invite, form.password.data)
        _start_session(user)
        flash("Your password is set and you are signed in.", "success")
        return redirect(url_for("main.staff_home"))
    return render_template("accounts/accept_invite.html", form=form, invite=invite)


# --- Admin: staff accounts -------------------------------------------------------------

@bp.get("/staff/admin/users")
@roles_required("admin")
def staff_users():
    return render_template("accounts/staff_users.html", users=services.staff_users())


@bp.route("/staff/admin/users/invite", methods=["GET", "POST"])
@roles_required("admin")
def staff_invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = services.invite_staff(form.name.data, form.email.data, form.role.data, form.title.data)
        except services.AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            commit()
            flash(f"Invitation sent to {user.email}.", "success")
            return redirect(url_for("accounts.staff_users"))
    return render_template("accounts/staff_invite.html", form=form)


@bp.route("/staff/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def staff_user(user_id):
    user = db.session.get(User, user_id) or abort(404)
    if not user.is_staff:
        abort(404)
    role_form = RoleForm(prefix="role", role=user.role)
    active_form = ConfirmForm(prefix="active")
    reset_form = ConfirmForm(prefix="reset")
    if request.method == "POST":
        # The deactivate and reset buttons name themselves; anything else is the role form.
        form = (active_form if "active-submit" in request.form
                else reset_form if "reset-submit" in request.form else role_form)
        try:
            if form is reset_form:
                if form.validate() and form.confirm.data:
                    second_factor.reset(user, current_user)
                    commit()
                    flash(f"{user.name}'s second factor has been reset. They have been signed out and will "
                          f"set it up again when they next sign in.", "success")
                    return redirect(url_for("accounts.staff_user", user_id=user.id))
                form.confirm.errors = [f"Confirm that {user.name} must set up their second factor again"]
            elif form.validate():
                if form is active_form:
                    services.set_active(user, not user.active, current_user)
                    message = f"{user.name}'s account is now {'active' if user.active else 'deactivated'}."
                else:
                    services.change_role(user, role_form.role.data, current_user)
                    message = f"{user.name} is now {user.role}."
                commit()
                flash(message, "success")
                return redirect(url_for("accounts.staff_user", user_id=user.id))
        except services.AccountError as exc:
            (role_form.role if exc.field == "role" else active_form.confirm).errors.append(exc.message)
    return render_template("accounts/staff_user.html", user=user, role_form=role_form,
                           active_form=active_form, reset_form=reset_form,
                           second_factor_required=second_factor.required_for(user),
                           user_keys=security_keys.keys_of(user))


from app.accounts import second_factor_routes  # noqa: E402,F401  (its routes join this blueprint)
from app.accounts import sso_routes  # noqa: E402,F401
from app.accounts import security_key_routes  # noqa: E402,F401
from app.accounts import devices_routes  # noqa: E402,F401  (likewise)
