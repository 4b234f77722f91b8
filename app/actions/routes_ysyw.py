"""Staff pages for writing and publishing "You said, we did"."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions import notify, ysyw, ysyw_versions as versions
from app.actions.forms import DeleteResponseForm, EmptyForm, ResponseForm, SummaryForm, WithdrawForm
from app.actions.models import Action, ActionPlan, ThemeResponse
from app.actions.routes import bp
from app.actions.services import ActionError
from app.common.auth import roles_required
from app.common.transaction import commit
from app.consultations.models import Consultation
from app.extensions import db
from app.notifications.services import hold_minutes
from app.themes.links import confirmed_actions
from app.themes.models import Theme

EDITORS = ("admin", "officer")


def _consultation(consultation_id):
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    if consultation.launched_at is None:
        abort(404)
    return consultation


@bp.get("/staff/you-said-we-did")
@roles_required(*EDITORS)
def staff_ysyw_index():
    rows = [(c, page, ysyw.state_label(c, page)) for c, page in ysyw.consultations_for_staff()]
    return render_template("actions/staff_ysyw_index.html", rows=rows)


@bp.route("/staff/you-said-we-did/<int:consultation_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_ysyw(consultation_id):
    consultation = _consultation(consultation_id)
    page = ysyw.page_for(consultation)
    ready = consultation.status in ysyw.READY_STATUSES
    form = SummaryForm(obj=page)
    if request.method == "POST":
        if not ready:
            abort(404)
        if form.validate_on_submit():
            try:
                note = versions.check_note(page, form.change_note.data)
            except ActionError as exc:
                form.change_note.errors.append(exc.message)
            else:
                page = ysyw.page_for(consultation, create=True)
                page.summary = (form.summary.data or "").strip()
                if note:
                    versions.record_version(page, note, current_user)
                commit()
                flash("Introduction saved." + (" The public page shows the change in its history." if note else ""),
                      "success")
                return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))
    return _render_page(consultation, page, form, code=400 if form.errors else 200)


def _render_page(consultation, page, form, publish_error=None, code=200):
    themes = ysyw.active_themes(consultation)
    response_for = {t.id: r for r in (page.responses if page else []) for t in r.themes}
    return render_template("actions/staff_ysyw.html", consultation=consultation, page=page, themes=themes,
                           response_for=response_for, form=form, publish_form=EmptyForm(prefix="publish"),
                           publish_error=publish_error,
                           ready=consultation.status in ysyw.READY_STATUSES), code


def _action_choices():
    choices = [("", "No linked action")]
    for plan in ActionPlan.query.order_by(ActionPlan.id).all():
        choices += [(str(a.id), f"{a.display_title} ({plan.title})"[:150]) for a in plan.actions]
    return choices


def _response_form(consultation, response=None):
    form = ResponseForm(obj=response)
    form.themes.choices = [(t.id, f"{t.display_label} ({t.size} comments)") for t in ysyw.active_themes(consultation)]
    form.action_id.choices = _action_choices()
    if request.method == "GET":
        if response is not None:
            form.themes.data = [t.id for t in response.themes]
            form.action_id.data = str(response.action_id or "")
        elif request.args.get("theme", "").isdigit():
            form.themes.data = [int(request.args["theme"])]
            # Start from the action an officer already confirmed for this theme, if any.
            theme = db.session.get(Theme, form.themes.data[0])
            confirmed = confirmed_actions(theme) if theme is not None else []
            if confirmed:
                form.action_id.data = str(confirmed[0].id)
    return form


def _save(consultation, page, form, response=None):
    raw_action = form.action_id.data or ""
    try:
        if raw_action and not raw_action.isdigit():
            raise ActionError("action_id", "Select an action from the list")
        if raw_action and db.session.get(Action, int(raw_action)) is None:
            raise ActionError("action_id", "Select an action from the list")
        note = versions.check_note(page, form.change_note.data)
        page = page or ysyw.page_for(consultation, create=True)
        saved = ysyw.save_response(page, form.themes.data or [], form.kind.data, form.text.data,
                                   int(raw_action) if raw_action else None, response, user=current_user)
        if note:
            versions.record_version(page, note, current_user)
        return saved
    except ActionError as exc:
        db.session.rollback()
        getattr(form, exc.field if exc.field in form else "text").errors.append(exc.message)
        return None


@bp.route("/staff/you-said-we-did/<int:consultation_id>/responses/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_ysyw_response_new(consultation_id):
    consultation = _consultation(consultation_id)
    if consultation.status not in ysyw.READY_STATUSES:
        abort(404)
    page = ysyw.page_for(consultation)
    form = _response_form(consultation)
    if form.validate_on_submit() and _save(consultation, page, form):
        commit()
        flash("Response saved.", "success")
        return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))
    return render_template("actions/staff_ysyw_response.html", consultation=consultation, form=form,
                           response=None, published=bool(page and page.is_published)), 400 if form.errors else 200


def _response(consultation, response_id):
    response = db.session.get(ThemeResponse, response_id) or abort(404)
    if response.page.consultation_id != consultation.id:
        abort(404)
    return response


@bp.route("/staff/you-said-we-did/<int:consultation_id>/responses/<int:response_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_ysyw_response_edit(consultation_id, response_id):
    consultation = _consultation(consultation_id)
    response = _response(consultation, response_id)
    form = _response_form(consultation, response)
    if form.validate_on_submit() and _save(consultation, response.page, form, response):
        commit()
        flash("Response saved.", "success")
        return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))
    return _response_page(consultation, response, form, DeleteResponseForm(prefix="delete", formdata=None))


def _response_page(consultation, response, form, delete_form):
    return render_template("actions/staff_ysyw_response.html", consultation=consultation, form=form,
                           response=response, delete_form=delete_form,
                           published=response.page.is_published), \
        400 if form.errors or delete_form.errors else 200


@bp.post("/staff/you-said-we-did/<int:consultation_id>/responses/<int:response_id>/delete")
@roles_required(*EDITORS)
def staff_ysyw_response_delete(consultation_id, response_id):
    consultation = _consultation(consultation_id)
    response = _response(consultation, response_id)
    form = DeleteResponseForm(prefix="delete")
    if not form.validate_on_submit():
        return _response_page(consultation, response, _response_form(consultation, response), form)
    page = response.page
    try:
        note = versions.check_note(page, form.change_note.data)
    except ActionError as exc:
        form.change_note.errors.append(exc.message)
        return _response_page(consultation, response, _response_form(consultation, response), form)
    ysyw.delete_response(response)
    if note:
        versions.record_version(page, note, current_user)
    commit()
    flash("Response deleted.", "success")
    return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))


@bp.post("/staff/you-said-we-did/<int:consultation_id>/publish")
@roles_required(*EDITORS)
def staff_ysyw_publish(consultation_id):
    """The button on the page checks first and asks (saying who will be emailed); the answer,
    with confirmed=yes, publishes."""
    consultation = _consultation(consultation_id)
    page = ysyw.page_for(consultation)
    if not EmptyForm(prefix="publish").validate_on_submit():
        abort(400)
    problem = ysyw.publish_problem(page)
    if problem:
        return _render_page(consultation, page, SummaryForm(formdata=None, obj=page),
                            publish_error=problem, code=400)
    if request.form.get("confirmed") != "yes":
        again = ysyw.published_before(page)
        return render_template("actions/staff_ysyw_confirm.html", consultation=consultation,
                               again=again, recipients=0 if again else len(notify.recipients(consultation.id)),
                               publish_form=EmptyForm(prefix="publish"))
    try:
        sent = ysyw.publish(page, current_user)
    except ActionError as exc:  # someone else published it meanwhile
        db.session.rollback()
        return _render_page(consultation, page, SummaryForm(formdata=None, obj=page),
                            publish_error=exc.message, code=400)
    commit()
    who = f"{sent} {'resident' if sent == 1 else 'residents'} who asked to be kept informed"
    hold = hold_minutes()
    flash(f"Published. The emails to {who} go in {hold} minutes: you can still cancel them under "
          "Held mailings." if sent and hold else f"Published. {who} have been emailed." if sent
          else "Published. Nobody was emailed.", "success")
    return redirect(url_for("actions.ysyw_show", consultation_id=consultation.id))


@bp.get("/staff/you-said-we-did/<int:consultation_id>/preview")
@roles_required(*EDITORS)
def staff_ysyw_preview(consultation_id):
    """The public page as residents will see it, before it is published."""
    consultation = _consultation(consultation_id)
    page = ysyw.page_for(consultation)
    if page is None:
        flash("Write at least one response to preview the page.", "error")
        return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))
    return render_template("actions/ysyw_show.html", preview=True, **ysyw.page_view(page))


@bp.route("/staff/you-said-we-did/<int:consultation_id>/withdraw", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_ysyw_withdraw(consultation_id):
    consultation = _consultation(consultation_id)
    page = ysyw.page_for(consultation)
    if page is None or not page.is_published:
        return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))
    form = WithdrawForm()
    if form.validate_on_submit():
        ysyw.withdraw(page, current_user, form.reason.data.strip())
        commit()
        flash("Withdrawn. Residents can no longer see the page. Correct it and publish it again "
              "when it is ready; nobody will be emailed a second time.", "success")
        return redirect(url_for("actions.staff_ysyw", consultation_id=consultation.id))
    return render_template("actions/staff_ysyw_withdraw.html", consultation=consultation, form=form), \
        400 if form.errors else 200
