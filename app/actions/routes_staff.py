"""Staff pages for action plans: list, import, edit actions, status, updates, milestones, report."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions import importer, publishing, reporting, services
from app.actions.forms import (ActionForm, EmptyForm, ImportConfirmForm, ImportForm, MilestoneForm,
                               MilestoneMetForm, ReportForm, StatusForm, UpdateForm)
from app.actions.models import Action, ActionPlan, Milestone
from app.actions.routes import bp
from app.common.auth import roles_required
from app.common.csvutil import csv_response
from app.common.transaction import commit
from app.extensions import db

EDITORS = ("admin", "officer")


def _get_or_404(model, ident):
    return db.session.get(model, ident) or abort(404)


@bp.get("/staff/actions")
@roles_required(*EDITORS)
def staff_plans():
    return render_template("actions/staff_plans.html", plans=services.all_plans(), form=ImportForm(),
                           deleted=publishing.deleted_plan_events())


def _import_problems(form, problems, code=400):
    return render_template("actions/staff_plans.html", plans=services.all_plans(), form=form,
                           problems=problems, deleted=publishing.deleted_plan_events()), code


@bp.post("/staff/actions/import")
@roles_required(*EDITORS)
def staff_import():
    form = ImportForm()
    problems = []
    valid = form.validate_on_submit()
    if not form.file.data:
        form.file.errors.append("Choose a CSV file")
    elif valid:
        try:
            text = importer.decode_upload(form.file.data.read())
        except ValueError:
            form.file.errors.append("The file must be a CSV file: in Excel, use Save As and choose "
                                    "“CSV UTF-8” or “CSV (Comma delimited)”")
        else:
            result = importer.parse_plan_csv(text)
            if result.ok:
                title = form.title.data.strip()
                token = importer.save_draft(current_user, title, text)
                commit()
                confirm = ImportConfirmForm(formdata=None, token=token)
                return render_template("actions/staff_import_preview.html", result=result, title=title,
                                       confirm=confirm)
            problems = result.problems
            form.file.errors.append("The file has problems; nothing was imported")
    return _import_problems(form, problems)


@bp.post("/staff/actions/import/confirm")
@roles_required(*EDITORS)
def staff_import_confirm():
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        abort(400)
    try:
        draft = importer.take_draft(current_user, confirm.token.data)
    except importer.DraftExpired as expired:
        commit()  # the stale draft is gone either way
        form = ImportForm(formdata=None, title=expired.title)
        form.file.errors = [f"This file was checked more than {importer.DRAFT_HOURS} hours ago. "
                            "Choose the file again"]
        return _import_problems(form, [])
    if draft is None:
        form = ImportForm(formdata=None)
        form.file.errors = ["This file has been imported already or was checked more than "
                            f"{importer.DRAFT_HOURS} hours ago. If its plan is not in the list, choose the file again"]
        return _import_problems(form, [])
    title, text = draft
    result = importer.parse_plan_csv(text)  # checked again: councillors' accounts may have changed since
    if not result.ok:
        form = ImportForm(formdata=None, title=title)
        form.file.errors = ["The file has problems; nothing was imported"]
        return _import_problems(form, result.problems)
    plan = importer.import_plan(title, result, user=current_user)
    commit()
    flash(f"Imported {len(plan.actions)} actions into {plan.title}. The plan is not published yet: "
          "preview it, then publish it.", "success")
    return redirect(url_for("actions.staff_plan", plan_id=plan.id))


@bp.get("/staff/actions/plans/<int:plan_id>")
@roles_required(*EDITORS)
def staff_plan(plan_id):
    plan = _get_or_404(ActionPlan, plan_id)
    return render_template("actions/staff_plan.html", plan=plan, today=services.today_london())


def _render_action(action, status_form=None, update_form=None, milestone_form=None, met_forms=None, code=200):
    today = services.today_london()
    status_form = status_form or StatusForm(prefix="status", formdata=None, status=action.status,
                                            reason=action.status_reason)
    update_form = update_form or UpdateForm(prefix="update", formdata=None, update_date=today)
    milestone_form = milestone_form or MilestoneForm(prefix="milestone", formdata=None)
    met_forms = met_forms or {}
    for m in action.milestones:
        met_forms.setdefault(m.id, MilestoneMetForm(prefix=f"met{m.id}", formdata=None, completed_on=today))
    return render_template("actions/staff_action.html", action=action, today=today, status_form=status_form,
                           update_form=update_form, milestone_form=milestone_form, met_forms=met_forms,
                           undo_form=EmptyForm(), forms=[status_form, update_form, milestone_form,
                                                         *met_forms.values()]), code


@bp.get("/staff/actions/<int:action_id>")
@roles_required(*EDITORS)
def staff_action(action_id):
    return _render_action(_get_or_404(Action, action_id))


@bp.route("/staff/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_action_edit(action_id):
    action = _get_or_404(Action, action_id)
    form = ActionForm(obj=action)
    form.portfolio_holder_id.choices = [("", "No portfolio holder")] + [
        (str(c.id), f"{c.name}" + (f" ({c.title})" if c.title else "")) for c in services.councillors()]
    if request.method == "GET":
        form.portfolio_holder_id.data = str(action.portfolio_holder_id or "")
    if form.validate_on_submit():
        raw_holder = form.portfolio_holder_id.data or ""
        fields = {name: getattr(form, name).data for name in (
            "number", "title", "description", "how_we_will_know", "priority", "objective", "lead_officer",
            "timescale")}
        try:
            if raw_holder and not raw_holder.isdigit():
                raise services.ActionError("portfolio_holder_id", "Select a councillor as the portfolio holder")
            services.update_action(action, portfolio_holder_id=int(raw_holder) if raw_holder else None, **fields)
        except services.ActionError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            commit()
            flash("Action saved.", "success")
            return redirect(url_for("actions.staff_action", action_id=action.id))
    return render_template("actions/staff_action_edit.html", action=action, form=form), \
        400 if form.errors else 200


@bp.post("/staff/actions/<int:action_id>/status")
@roles_required(*EDITORS)
def staff_action_status(action_id):
    action = _get_or_404(Action, action_id)
    form = StatusForm(prefix="status")
    if form.validate_on_submit():
        try:
            changed = services.change_status(action, form.status.data, form.reason.data, current_user)
        except services.ActionError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            commit()
            flash(f"Status is now {action.status_label}." if changed else "Status not changed.", "success")
            return redirect(url_for("actions.staff_action", action_id=action.id))
    return _render_action(action, status_form=form, code=400)


@bp.post("/staff/actions/<int:action_id>/updates")
@roles_required(*EDITORS)
def staff_action_update(action_id):
    action = _get_or_404(Action, action_id)
    form = UpdateForm(prefix="update")
    if form.validate_on_submit():
        services.add_update(action, form.update_date.data, form.text.data, form.percent.data, current_user)
        commit()
        flash("Progress update added.", "success")
        return redirect(url_for("actions.staff_action", action_id=action.id))
    return _render_action(action, update_form=form, code=400)


@bp.post("/staff/actions/<int:action_id>/milestones")
@roles_required(*EDITORS)
def staff_milestone_add(action_id):
    action = _get_or_404(Action, action_id)
    form = MilestoneForm(prefix="milestone")
    if form.validate_on_submit():
        services.add_milestone(action, form.title.data, form.target_date.data)
        commit()
        flash("Milestone added.", "success")
        return redirect(url_for("actions.staff_action", action_id=action.id))
    return _render_action(action, milestone_form=form, code=400)


@bp.post("/staff/actions/<int:action_id>/milestones/<int:milestone_id>/met")
@roles_required(*EDITORS)
def staff_milestone_met(action_id, milestone_id):
    action = _get_or_404(Action, action_id)
    milestone = _get_or_404(Milestone, milestone_id)
    if milestone.action_id != action.id:
        abort(404)
    if "undo" in request.form:
        if EmptyForm().validate_on_submit():
            services.set_milestone_met(milestone, None)
            commit()
            flash("Milestone marked as not met.", "success")
        return redirect(url_for("actions.staff_action", action_id=action.id))
    form = MilestoneMetForm(prefix=f"met{milestone.id}")
    if form.validate_on_submit():
        services.set_milestone_met(milestone, form.completed_on.data)
        commit()
        flash("Milestone marked as met.", "success")
        return redirect(url_for("actions.staff_action", action_id=action.id))
    return _render_action(action, met_forms={milestone.id: form}, code=400)


def _report_period():
    form = ReportForm(request.args)
    today = services.today_london()
    default_from, default_to = reporting.default_period(today)
    valid = form.validate()
    if valid:
        for name, message in reporting.check_period(form.date_from.data, form.date_to.data).items():
            getattr(form, name).add_error(message)
            valid = False
    if not valid:
        return form, None, None, today
    start = form.date_from.data or default_from
    end = form.date_to.data or default_to
    if start > end:
        form.date_from.add_error("The start date must be on or before the end date")
        return form, None, None, today
    # Show the period actually reported on, including the defaults for boxes left empty.
    form.date_from.set_date(start)
    form.date_to.set_date(end)
    return form, start, end, today


def _period_args(start, end) -> dict:
    """The report form's query string for a period (the three boxes of each date)."""
    return {f"{name}-{part}": getattr(day, part) for name, day in (("date_from", start), ("date_to", end))
            for part in ("day", "month", "year")}


@bp.get("/staff/actions/report")
@roles_required("admin", "officer", "councillor")
def staff_report():
    form, start, end, today = _report_period()
    rows = reporting.scrutiny_report(start, end, today) if start else []
    csv_url = url_for("actions.staff_report_csv", **_period_args(start, end)) if start else None
    return render_template("actions/staff_report.html", form=form, rows=rows, start=start, end=end,
                           csv_url=csv_url), 200 if start else 400


@bp.get("/staff/actions/report.csv")
@roles_required("admin", "officer", "councillor")
def staff_report_csv():
    form, start, end, today = _report_period()
    if not start:
        return render_template("actions/staff_report.html", form=form, rows=[], start=None, end=None), 400
    rows = reporting.scrutiny_report(start, end, today)
    return csv_response(f"scrutiny-report-{start.isoformat()}-to-{end.isoformat()}.csv",
                        reporting.REPORT_CSV_HEADER, reporting.report_csv_rows(rows))
