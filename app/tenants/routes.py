"""Tenant surveys under /staff/tenant-surveys: officers make one from the template and read the
results; Tenant Board members read the results of launched surveys and review the plan."""
from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common.csvutil import csv_response
from app.common.auth import ADMIN, OFFICER, TENANT_BOARD, protect, roles_required
from app.common.timeutil import london_to_utc
from app.common.transaction import commit
from app.consultations.results import BREAKDOWN_BY
from app.extensions import db
from app.tenants import services, tsm
from app.tenants.forms import ReviewForm, TemplateForm
from app.tenants.models import TenantSurvey

bp = protect(Blueprint("tenants", __name__, url_prefix="/staff/tenant-surveys", template_folder="templates"),
             ADMIN, OFFICER, TENANT_BOARD)


def _readable(survey_id) -> TenantSurvey:
    survey = db.session.get(TenantSurvey, survey_id) or abort(404)
    # The Tenant Board sees a survey once it is launched; drafts stay with the officers.
    if current_user.role == TENANT_BOARD and survey.consultation.launched_at is None:
        abort(404)
    return survey


@bp.get("/")
def index():
    items = [s for s in services.surveys()
             if current_user.role != TENANT_BOARD or s.consultation.launched_at is not None]
    return render_template("tenants/index.html", surveys=items, can_edit=current_user.role != TENANT_BOARD)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new():
    form = TemplateForm()
    if form.validate_on_submit():
        consultation = services.create_from_template(
            title=form.title.data.strip(), landlords=form.landlord_names(), estates=form.estate_names(),
            opens_at=london_to_utc(datetime.combine(form.opens_on.data, time(0, 0))),
            closes_at=london_to_utc(datetime.combine(form.closes_on.data, time(23, 59))), user=current_user)
        commit()
        flash(f"Created “{consultation.title}” as a draft with {len(consultation.questions)} questions. "
              "Check it, then launch it from the consultation’s page.", "success")
        return redirect(url_for("consultations.staff_show", consultation_id=consultation.id))
    return render_template("tenants/new.html", form=form), 400 if request.method == "POST" else 200


@bp.get("/<int:survey_id>")
def results(survey_id):
    survey = _readable(survey_id)
    group = request.args.get("group", "tenure")
    if group not in BREAKDOWN_BY:
        group = "tenure"
    people = services.respondents(survey)
    return render_template(
        "tenants/results.html", survey=survey, consultation=survey.consultation, measures=tsm.MEASURES,
        overall=services.measure_results(people), respondents=len(people),
        landlords=services.by_landlord(survey, people), estates=services.by_estate(survey, people),
        groups=services.by_group(survey, people, group), group=group, breakdown_by=BREAKDOWN_BY,
        threshold=services.threshold(), actions=services.linked_actions(survey),
        free_text=survey.question_for("anything_else"), is_board=current_user.role == TENANT_BOARD)


@bp.get("/<int:survey_id>/measures.csv")
def measures_csv(survey_id):
    survey = _readable(survey_id)
    header, rows = services.measure_rows(survey, services.respondents(survey))
    return csv_response(f"tenant-satisfaction-measures-{survey.consultation_id}.csv", header, rows)


@bp.route("/<int:survey_id>/review", methods=["GET", "POST"])
@roles_required(TENANT_BOARD)
def review(survey_id):
    survey = _readable(survey_id)
    plans = services.plans_for(survey)
    form = ReviewForm()
    form.plan.choices = [("", "Choose a plan")] + [(str(p.id), p.title) for p in plans]
    form.plan.required_message = "Choose the action plan you are reviewing"
    if form.validate_on_submit():
        plan = next(p for p in plans if str(p.id) == form.plan.data)
        services.record_review(survey, plan, form.note.data, form.signed_off.data, current_user)
        commit()
        flash("Your review is recorded." + (" You signed the plan off." if form.signed_off.data else ""),
              "success")
        return redirect(url_for("tenants.results", survey_id=survey.id))
    return render_template("tenants/review.html", survey=survey, form=form,
                           actions=services.linked_actions(survey)), 400 if request.method == "POST" else 200
