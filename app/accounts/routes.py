"""Sign in and out, resident accounts, staff invitations and the admin's staff pages."""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import InviteForm, LoginForm, RegisterForm, RoleForm, SetPasswordForm, ConfirmForm
from app.accounts.models import User
from app.common import limits
from app.common.auth import is_safe_next, roles_required
from app.common.transaction import commit
from app.extensions import db, limiter

bp = Blueprint("accounts", __name__, template_folder="templates")


def _start_session(user):
    # A fresh session at sign-in: nothing from before (e.g. a planted session) survives.
    session.clear()
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AccountError as exc:
            commit()  # keep the failed-attempt count
            form.email.errors.append(exc.message)
        else:
            commit()
            _start_session(user)
            target = request.args.get("next")
            if is_safe_next(target):
                return redirect(target)
            return redirect(url_for("main.staff_home" if user.is_staff else "accounts.account"))
    return render_template("accounts/login.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def logout():
    """POST (with its CSRF token) signs out. GET only asks, so a link or image planted on
    another site cannot sign anyone out."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("main.index"))
        return render_template("accounts/sign_out.html", form=ConfirmForm())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("main.index"))


@bp.route("/create-account", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limits.decorated("account_registration")
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_resident(form.name.data, form.email.data, form.password.data)
        except services.AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            commit()
            _start_session(user)
            flash("Your account has been created.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/register.html", form=form)


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
    if form.validate_on_submit():
        user = services.accept_invite(invite, form.password.data)
        commit()
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
    if request.method == "POST":
        # The deactivate button names itself; anything else is the role form (no choice = an error).
        form = active_form if "active-submit" in request.form else role_form
        try:
            if form.validate():
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
                           active_form=active_form)
