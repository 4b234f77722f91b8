"""Public consultation pages and the staff pages for running them."""
from flask import Blueprint, abort, render_template

from app.consultations import services
from app.consultations.models import Consultation
from app.extensions import db

bp = Blueprint("consultations", __name__, template_folder="templates")


@bp.get("/consultations")
def index():
    return render_template("consultations/index.html", consultations=services.list_public())


@bp.get("/consultations/<int:consultation_id>")
def show(consultation_id):
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    if consultation.status == "draft":
        abort(404)
    return render_template("consultations/show.html", consultation=consultation)


@bp.get("/consultations/<int:consultation_id>/respond")
def respond(consultation_id):
    abort(404)
