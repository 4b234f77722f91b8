"""Who may see what. Staff pages live under /staff and each staff blueprint calls protect().

tests/test_route_protection.py walks app.url_map to prove no staff route is left open.
"""
from functools import wraps

from flask import abort, request
from flask_login import current_user

from app.extensions import login_manager

ADMIN, OFFICER, COUNCILLOR, RESIDENT = "admin", "officer", "councillor", "resident"
STAFF_ROLES = (ADMIN, OFFICER, COUNCILLOR)
EDITORS = (ADMIN, OFFICER)  # may change consultations, themes and links; councillors only read


def _check(roles):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
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


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths may be used as a post-login redirect."""
    return bool(target) and target.startswith("/") and not target.startswith("//") \
        and "\\" not in target and request is not None
