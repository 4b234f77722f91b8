"""Public Place Standard pages: the rounds whose results are published and each one's compass.

Staff pages (create a round, the compass before publication, links to the theme engine) are in
staff_routes.py.
"""
from flask import Blueprint, abort, current_app, render_template, request

from app.extensions import db
from app.places import pages, services
from app.places.models import PlaceSurvey

bp = Blueprint("places", __name__, template_folder="templates")


def _published(survey_id) -> PlaceSurvey:
    survey = db.session.get(PlaceSurvey, survey_id)
    if survey is None or survey.consultation.status != "published":
        abort(404)
    return survey


@bp.get("/place-standard")
def index():
    return render_template("places/index.html", surveys=services.all_surveys(published_only=True))


@bp.get("/place-standard/<int:survey_id>")
def show(survey_id):
    survey = _published(survey_id)
    return render_template("places/compass.html", staff=False,
                           **pages.compass_page(survey, request.args.get("compare"), published_only=True))


@bp.get("/place-standard/<int:survey_id>/compass.svg")
def compass_image(survey_id):
    """The compass as an image (ward pages): drawn once per set of figures, ETag from the page cache."""
    survey = _published(survey_id)
    return current_app.response_class(pages.compass_image(survey), mimetype="image/svg+xml")
