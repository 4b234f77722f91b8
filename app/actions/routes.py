"""Action plans and "You said, we did": one blueprint, views split by audience.

Staff views live under /staff/... and each carries @roles_required; public views are
/actions/<id>, /progress, /you-said-we-did and /unsubscribe/<token>.
"""
from flask import Blueprint

bp = Blueprint("actions", __name__, template_folder="templates")

from app.actions import routes_public, routes_publishing, routes_staff, routes_ysyw  # noqa: E402,F401  (views attach to bp)
