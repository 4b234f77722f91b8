"""Who may see what. Staff pages live under /staff and each staff blueprint calls protect().

tests/test_route_protection.py walks app.url_map to prove no staff route is left open.
"""
import logging
import unicodedata
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from app.extensions import login_manager

log = logging.getLogger(__name__)

ADMIN, OFFICER, COUNCILLOR, RESIDENT = "admin", "officer", "councillor", "resident"
# A tenant on the Tenant Board: not staff; reads tenant survey results and reviews the plan that
# answers them (app/tenants), nothing else under /staff.
TENANT_BOARD = "tenant_board"
STAFF_ROLES = (ADMIN, OFFICER, COUNCILLOR)
EDITORS = (ADMIN, OFFICER)  # may change consultations, themes and links; councillors only read


def _check(roles):
    if not current_user.is_authenticated:
        from app.accounts import second_factor

        # Half signed in (password right, code still to come): back to that step, not the password.
        if second_factor.pending_user() is not None:
            return redirect(url_for("accounts.second_factor_code"))
        # A refused access decision is logged (ASVS 7.2.2); a 403 is logged by its error page.
        log.info("access refused: anonymous %s %s from %s, sent to sign in", request.method, request.path,
                 request.remote_addr)
        return login_manager.unauthorized()
    if current_user.is_staff and current_user.role in current_app.config["TOTP_REQUIRED_ROLES"] \
            and not current_user.has_second_factor and not session.get("sso_idp_mfa"):
        # A session from before the second factor was required: set it up before any staff page
        # (unless its SSO sign-in used the provider's multi-factor check: sso.IDP_MFA_KEY).
        return redirect(url_for("accounts.second_factor_setup"))
    if current_user.role not in roles:
        abort(403)
    return None


def protect(blueprint, *roles):
    """Every view of `blueprint` needs a signed-in user with one of `roles`."""
    allowed = roles or STAFF_ROLES

    @blueprint.before_request
    def _require_role():
        return _check(allowed)

    blueprint.allowed_roles = allowed
    return blueprint


def roles_required(*roles):
    """Narrow one view further than its blueprint (e.g. admin-only inside staff pages)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            refused = _check(roles)
            if refused is not None:
                return refused
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def can_read_consultation(user, consultation) -> bool:
    """The one rule for reading a consultation's staff pages (results, themes, reports).

    Admins and officers read every consultation. A councillor reads a launched consultation that
    concerns their ward or the whole borough; drafts stay with the officers preparing them.
    """
    if consultation is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in EDITORS:
        return True
    if user.role == COUNCILLOR:
        return consultation.launched_at is not None and consultation.concerns_ward(user.ward_id)
    return False


def can_edit_consultation(user, consultation=None) -> bool:
    """Only admins and officers change a consultation, its themes or its links to actions."""
    return getattr(user, "is_authenticated", False) and user.role in EDITORS


# Browsers delete tabs and newlines anywhere in a URL before parsing it (WHATWG URL standard), so
# "/\t/evil.example" becomes "//evil.example", another site. We refuse rather than clean.
_BROWSER_REMOVES = str.maketrans("", "", "\t\n\r")


def is_safe_next(target: str | None) -> bool:
    """True only for a path on this site: "/" then anything but a second slash or backslash,
    with no control characters or whitespace, and no scheme or host however a browser reads it."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return False
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in target):
        return False
    for candidate in (target, target.translate(_BROWSER_REMOVES), unquote(target)):
        if not candidate.startswith("/") or candidate[1:2] in ("/", "\\") or "\\" in candidate:
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a safe place to send the browser after sign-in, else `default`."""
    return target if is_safe_next(target) else default
