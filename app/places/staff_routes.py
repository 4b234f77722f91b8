"""Staff Place Standard pages: the list of rounds, a new round, and a round's compass at any time
with links from each theme to what residents wrote (the theme engine's page for its comments).

Councillors read the rounds of their ward (the consultations' reader rule, scope_readers)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common.auth import ADMIN, EDITORS, OFFICER, STAFF_ROLES, can_read_consultation, protect, roles_required
from app.common.transaction import commit
from app.consultations.access import lists_only_readable, scope_readers
from app.consultations.services import ward_choices
from app.extensions import db
from app.places import pages, services
from app.places.forms import RoundForm
from app.wards.models import Ward

bp = scope_readers(protect(Blueprint("places_staff", __name__, url_prefix="/staff",
                                     template_folder="templates"), *STAFF_ROLES))


@bp.get("/place-standard")
@lists_only_readable
def index():
    surveys = [s for s in services.all_surveys() if can_read_consultation(current_user, s.consultation)]
    return render_template("places/staff_index.html", surveys=surveys)


@bp.route("/place-standard/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new():
    form = RoundForm(ward_choices=ward_choices())
    if form.validate_on_submit():
        ward = db.session.get(Ward, int(form.ward.data)) if form.place_kind.data == "ward" else None
        survey = services.create_round(ward=ward, place_name=form.place_name.data, round_label=form.round_label.data,
                                       opens_at=form.opens_at, closes_at=form.closes_at, user=current_user)
        consultation_id = survey.consultation_id
        commit()
        return redirect(url_for("consultations.staff_show", consultation_id=consultation_id))
    return render_template("places/staff_new.html", form=form)


@bp.get("/consultations/<int:consultation_id>/place-standard")
def compass(consultation_id):
    survey = services.survey_for(consultation_id)
    if survey is None:  # an ordinary consultation: its own page
        return redirect(url_for("consultations.staff_show", consultation_id=consultation_id))
    comment_questions = pages.comment_questions(survey)
    return render_template("places/compass.html", staff=True, comment_questions=comment_questions,
                           theme_counts=pages.theme_counts(comment_questions.values()),
                           **pages.compass_page(survey, request.args.get("compare"), published_only=False))


@bp.post("/consultations/<int:consultation_id>/place-standard/find-themes")
@roles_required(*EDITORS)
def find_themes(consultation_id):
    """Run the theme engine on every theme's comments at once (each as its own analysis)."""
    survey = services.survey_for(consultation_id)
    if survey is None:
        return redirect(url_for("consultations.staff_show", consultation_id=consultation_id))
    started, busy = pages.start_theme_analyses(survey)
    commit()
    if started:
        flash(f"Finding themes in the comments of {started} Place Standard "
              f"{'theme' if started == 1 else 'themes'}. Each takes a minute or so; refresh this page to see them.")
    elif busy:
        flash("Themes are already being found in these comments. Refresh this page in a minute.")
    else:
        flash("There are no comments to find themes in yet.")
    return redirect(url_for("places_staff.compass", consultation_id=consultation_id))
