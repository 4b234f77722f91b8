"""Who may see what. Staff pages live under /staff and each staff blueprint calls protect().

tests/test_route_protection.py walks app.url_map to prove no staff route is left open.
"""
from functools import wraps

from flask import abort, request
from flask_login import current_user

from app.extensions import login_manager

ADMIN, OFFICER, COUNCILLOR, RESIDENT = "admin", "officer", "councillor", "resident"
STAFF_ROLES = (ADMIN, OFFICER, COUNCILLOR)


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


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths may be used as a post-login redirect."""
    return bool(target) and target.startswith("/") and not target.startswith("//") \
        and "\\" not in target and request is not None
