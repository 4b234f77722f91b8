"""Home page, staff landing page and the site's fixed pages."""
from flask import Blueprint, render_template

from app.common.auth import STAFF_ROLES, roles_required
from app.consultations import services as consultation_services

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    open_now = consultation_services.list_public(status="open")[:3]
    return render_template("main/index.html", open_now=open_now)


@bp.get("/staff/")
@roles_required(*STAFF_ROLES)
def staff_home():
    return render_template("main/staff_home.html")


@bp.get("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")
