"""Staff single sign-on pages: the button's POST that goes to the provider, and the callback it
sends the browser back to. Registered on the accounts blueprint (see routes.py); the session is
begun exactly as after a password (routes._start_session, or the TOTP step first)."""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.accounts import second_factor, sso
from app.accounts.models import User
from app.accounts.routes import _begin_second_step, _start_session, bp
from app.audit import record
from app.common.auth import roles_required, safe_next
from app.common.masking import mask_email
from app.common.transaction import commit
from app.extensions import db, limiter


def _refused(exc: sso.SsoRefused):
    detail = {"method": "single sign-on", "reason": exc.reason}
    if exc.email:
        detail["email"] = mask_email(exc.email)
    outcome = "refused" if exc.status == 403 else "failure"
    record("sign_in.failure", outcome=outcome, subject=exc.user, detail=detail)
    commit()
    return render_template("accounts/sso_problem.html", message=exc.message), exc.status


@bp.get("/sign-in/sso")
@limiter.limit("20 per minute")
def sso_start():
    """A link, not a form: the sign-in page's CSP (form-action 'self') would stop a form's redirect
    to the provider. Starting a sign-in from elsewhere gains nothing: the callback only accepts the
    state this browser was given, and it signs in whoever the provider says, never a chosen account."""
    if not sso.enabled():
        abort(404)
    try:
        return sso.start(request.args.get("next"))
    except sso.SsoRefused as exc:
        return _refused(exc)


@bp.get("/sign-in/sso/callback")
@limiter.limit("20 per minute")
def sso_callback():
    if not sso.enabled():
        abort(404)
    next_url = session.pop(sso.NEXT_KEY, None)
    try:
        claims = sso.finish(request.args)
        user = sso.match_user(claims)
    except sso.SsoRefused as exc:
        return _refused(exc)
    idp_mfa = sso.idp_mfa(claims)
    if second_factor.applies_to(user) and not idp_mfa:
        record("sign_in.sso_accepted", actor=user, subject=user)
        _begin_second_step(user, next_url)  # commits
        return redirect(url_for("accounts.second_factor_code" if user.has_second_factor
                                else "accounts.second_factor_setup"))
    user.record_login()
    record("sign_in.success", actor=user, subject=user,
           detail={"method": "single sign-on", **({"second_factor": "identity provider"} if idp_mfa else {})})
    _start_session(user)  # commits
    if idp_mfa:
        session[sso.IDP_MFA_KEY] = True
    return redirect(safe_next(next_url, url_for("main.staff_home")))


@bp.post("/staff/admin/users/<int:user_id>/single-sign-on/unlink")
@roles_required("admin")
def sso_unlink(user_id):
    user = db.session.get(User, user_id) or abort(404)
    if not user.is_staff or user.oidc_subject is None:
        abort(404)
    sso.unlink(user, current_user)
    commit()
    flash(f"{user.name}'s council account is unlinked and they have been signed out. The next time they use "
          f"single sign-on it will link again by their email address.", "success")
    return redirect(url_for("accounts.staff_user", user_id=user.id))
