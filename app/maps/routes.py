"""Results of map questions for staff: the density map, places and themes by ward, and exact
exports for the council's GIS. The public results page includes maps/_public_results.html, which
shows only counts per ward and per blurred square."""
import json

from flask import Blueprint, Response as HttpResponse, abort, redirect, render_template, request, url_for

from app.audit import record
from app.common.auth import COUNCILLOR, roles_required
from app.common.transaction import commit
from app.consultations.access import scope_readers
from app.consultations.models import Question
from app.extensions import db
from app.maps import geo, services, svg

bp = scope_readers(Blueprint("maps", __name__, template_folder="templates"))
STAFF = ("admin", "officer")
READERS = (*STAFF, COUNCILLOR)
STAFF_GRID_METRES = 250


@bp.app_template_global()
def map_settings():
    return services.map_settings()


@bp.app_template_global()
def map_public_summary(question):
    summary = services.public_summary(question)
    summary["svg"] = svg.density_map(geo.boundaries(), summary["cells"],
                                     f"Map of where people marked places: {summary['pins']} pins counted in "
                                     f"squares of {summary['metres']} metres")
    return summary


class NotAMapQuestion(Exception):
    """The question belongs to the consultation but is of another kind."""


def _map_question(consultation_id, question_id) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.consultation_id != consultation_id:
        abort(404)
    if question.kind != services.KIND:
        raise NotAMapQuestion()
    return question


@bp.errorhandler(NotAMapQuestion)
def _not_a_map_question(_exc):
    """Another kind of question: its results are on the consultation's results page."""
    return redirect(url_for("consultations.staff_results", consultation_id=request.view_args["consultation_id"]))


@bp.get("/staff/consultations/<int:consultation_id>/map/<int:question_id>")
@roles_required(*READERS)
def staff_results(consultation_id, question_id):
    question = _map_question(consultation_id, question_id)
    found = services.places(question)
    wards = services.by_ward(question, found)
    has_themes = services.themes_by_ward(question, wards)
    cells = services.density(found, STAFF_GRID_METRES)
    pins = sum(1 for p in found if p.lat is not None)
    picture = svg.density_map(geo.boundaries(), cells, f"Map of the borough's wards with {pins} pins counted "
                                                       f"in squares of {STAFF_GRID_METRES} metres")
    by_ward_comments = {}
    for place in found:
        by_ward_comments.setdefault(place.ward_name, []).append(place)
    return render_template("maps/staff_results.html", consultation=question.consultation, question=question,
                           found=found, wards=wards, has_themes=has_themes, cells=cells, picture=picture,
                           pins=pins, metres=STAFF_GRID_METRES, comments=by_ward_comments)


@bp.get("/staff/consultations/<int:consultation_id>/map/<int:question_id>/places.csv")
@roles_required(*STAFF)
def staff_export_csv(consultation_id, question_id):
    question = _map_question(consultation_id, question_id)
    body = services.export_csv(question)
    record("export.personal_data", subject=question.consultation, detail={"what": "map places CSV (exact)"})
    commit()
    return _download(body, "text/csv", f"consultation-{consultation_id}-question-{question_id}-places.csv")


@bp.get("/staff/consultations/<int:consultation_id>/map/<int:question_id>/places.geojson")
@roles_required(*STAFF)
def staff_export_geojson(consultation_id, question_id):
    question = _map_question(consultation_id, question_id)
    body = json.dumps(services.export_geojson(question), ensure_ascii=False, indent=1)
    record("export.personal_data", subject=question.consultation, detail={"what": "map pins GeoJSON (exact)"})
    commit()
    return _download(body, "application/geo+json", f"consultation-{consultation_id}-question-{question_id}-pins.geojson")


def _download(body, mimetype, name):
    return HttpResponse(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})

