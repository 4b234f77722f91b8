"""Staff pages for running consultations (admins and engagement officers), all under /staff.

Councillors read the list and the aggregate results of consultations of their ward or the whole
borough (READERS views; the ward rule is app.consultations.access.scope_readers, applied to the
blueprint in routes.py). Written answers as typed and the responses CSV stay with officers:
they can hold personal details, which the themes pages show removed.
"""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.audit import record
from app.common.auth import COUNCILLOR, can_read_consultation, roles_required
from app.common.charts import bar_chart
from app.common.csvutil import csv_response
from app.common.transaction import commit, rollback
from app.consultations import kinds, my_response, responses, results, services
from app.consultations.kinds import other
from app.consultations.access import lists_only_readable
from app.consultations.forms import ConsultationForm, QuestionForm, build_response_form
from app.consultations.models import CHANNELS, Consultation, Question
from app.consultations.routes import bp
from app.extensions import db

STAFF = ("admin", "officer")
READERS = (*STAFF, COUNCILLOR)


def _consultation(consultation_id) -> Consultation:
    return db.session.get(Consultation, consultation_id) or abort(404)


def _question(consultation, question_id) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.consultation_id != consultation.id:
        abort(404)
    return question


def _to_overview(consultation, message):
    flash(message, "success")
    return redirect(url_for("consultations.staff_show", consultation_id=consultation.id))


@bp.get("/staff/consultations")
@roles_required(*READERS)
@lists_only_readable
def staff_index():
    consultations = [c for c in services.list_for_staff() if can_read_consultation(current_user, c)]
    return render_template("consultations/staff_index.html", consultations=consultations,
                           counts=services.response_counts())


def _consultation_form(consultation=None):
    choices = {"ward_choices": services.ward_choices(), "topic_choices": services.topic_choices()}
    if consultation is not None and request.method == "GET":
        return ConsultationForm.from_consultation(consultation, **choices)
    form = ConsultationForm(**choices)
    if request.method == "GET":
        form.scope.data = "borough"
    return form


@bp.route("/staff/consultations/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_new():
    form = _consultation_form()
    if form.validate_on_submit():
        consultation = services.save_consultation(form, current_user)
        commit()
        return _to_overview(consultation, "Consultation created as a draft. Now add its questions.")
    return render_template("consultations/staff_form.html", form=form, consultation=None)


@bp.route("/staff/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_edit(consultation_id):
    consultation = _consultation(consultation_id)
    form = _consultation_form(consultation)
    if form.validate_on_submit():
        services.save_consultation(form, current_user, consultation)
        commit()
        return _to_overview(consultation, "Consultation details saved.")
    return render_template("consultations/staff_form.html", form=form, consultation=consultation)


@bp.get("/staff/consultations/<int:consultation_id>")
@roles_required(*STAFF)
def staff_show(consultation_id, error=None, status=200):
    consultation = _consultation(consultation_id)
    answered = {q.id: services.answer_count(q) for q in consultation.questions}
    return render_template("consultations/staff_show.html", consultation=consultation, answered=answered,
                           total=results.response_count(consultation), error=error), status


@bp.route("/staff/consultations/<int:consultation_id>/questions/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_question_new(consultation_id):
    consultation = _consultation(consultation_id)
    form = QuestionForm()
    if form.validate_on_submit():
        services.add_question(consultation, form)
        commit()
        return _to_overview(consultation, "Question added.")
    return render_template("consultations/staff_question.html", form=form, consultation=consultation, question=None)


@bp.route("/staff/consultations/<int:consultation_id>/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_question_edit(consultation_id, question_id):
    consultation = _consultation(consultation_id)
    question = _question(consultation, question_id)
    if request.method == "GET":
        form = QuestionForm(data={"kind": question.kind, "text": question.text, "hint": question.hint,
                                  "required": question.required,
                                  "options": "\n".join(o.label for o in question.options),
                                  "max_choices": str(question.max_choices or ""),
                                  "other": bool(question.setting("other")),
                                  **(kinds.kind_for(question).builder_data(question) if kinds.kind_for(question) else {})})
    else:
        form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.update_question(question, form)
        except services.ConsultationError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            commit()
            return _to_overview(consultation, "Question saved.")
    return render_template("consultations/staff_question.html", form=form, consultation=consultation,
                           question=question, answered=services.answer_count(question))


@bp.post("/staff/consultations/<int:consultation_id>/questions/<int:question_id>/move")
@roles_required(*STAFF)
def staff_question_move(consultation_id, question_id):
    consultation = _consultation(consultation_id)
    question = _question(consultation, question_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    services.move_question(question, direction)
    commit()
    return _to_overview(consultation, f"Moved “{question.text}” {direction}.")


@bp.post("/staff/consultations/<int:consultation_id>/questions/<int:question_id>/delete")
@roles_required(*STAFF)
def staff_question_delete(consultation_id, question_id):
    consultation = _consultation(consultation_id)
    question = _question(consultation, question_id)
    try:
        services.delete_question(question)
    except services.ConsultationError as exc:
        db.session.rollback()
        return staff_show(consultation_id, error=exc.message, status=409)
    commit()
    return _to_overview(consultation, "Question deleted.")


@bp.get("/staff/consultations/<int:consultation_id>/preview")
@roles_required(*STAFF)
def staff_preview(consultation_id):
    consultation = _consultation(consultation_id)
    form = build_response_form(consultation, services.ward_choices())
    return render_template("consultations/staff_preview.html", consultation=consultation, form=form)


@bp.route("/staff/consultations/<int:consultation_id>/responses/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_enter_response(consultation_id):
    """Officers type in paper forms, event notes and phone answers so they count too."""
    consultation = _consultation(consultation_id)
    if consultation.status not in ("open", "closed"):
        return render_template("consultations/not_open.html", consultation=consultation, staff=True), 409
    form = build_response_form(consultation, services.ward_choices(), staff_entry=True)
    if not form.is_submitted():
        form.submission_key.data = responses.new_submission_key()
    if form.validate_on_submit():
        problem = responses.collected_on_problem(consultation, form.collected_on.data)
        if problem is None:
            try:
                response = responses.save_response(consultation, form, channel=form.channel.data,
                                                   entered_by=current_user, collected_on=form.collected_on.data)
                my_response.send_confirmation(response)  # a paper respondent who gave an email gets their link too
                commit()
            except responses.AlreadySaved as saved:  # a double click: saved once already
                rollback()
                response = saved.response
            flash(f"Response {response.reference} saved. You can enter another.", "success")
            return redirect(url_for("consultations.staff_enter_response", consultation_id=consultation.id))
        form.collected_on.add_error(problem)
    return render_template("consultations/staff_entry.html", consultation=consultation, form=form)


# --- results -------------------------------------------------------------------------------

@bp.get("/staff/consultations/<int:consultation_id>/results")
@roles_required(*READERS)
def staff_results(consultation_id):
    consultation = _consultation(consultation_id)
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    choice = {}
    for question in consultation.choice_questions:
        answered, rows = results.choice_results(question)
        chart = bar_chart(question.text, [r.label for r in rows], [r.percent for r in rows], percent=True)
        choice[question.id] = (answered, rows, chart)
    others = {q.id: results.other_answers(q) for q in consultation.choice_questions if other.has_other(q)}
    return render_template("consultations/staff_results.html", consultation=consultation, choice=choice,
                           summaries=results.kind_summaries(consultation, threshold), others=others,
                           total=results.response_count(consultation), channels=results.by_channel(consultation),
                           profile=results.about_you_profile(consultation, threshold),
                           breakdown_by=results.BREAKDOWN_BY, threshold=threshold)


@bp.get("/staff/consultations/<int:consultation_id>/results/questions/<int:question_id>")
@roles_required(*STAFF)
def staff_free_text(consultation_id, question_id):
    consultation = _consultation(consultation_id)
    question = _question(consultation, question_id)
    if question.kind != "free_text":
        abort(404)
    search = (request.args.get("q") or "").strip()[:200]
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 7 and int(page) > 0 else 1
    pagination = results.free_text_answers(question, search, page)
    return render_template("consultations/staff_free_text.html", consultation=consultation, question=question,
                           pagination=pagination, search=search, channels=CHANNELS)


@bp.get("/staff/consultations/<int:consultation_id>/results/breakdown")
@roles_required(*READERS)
def staff_breakdown(consultation_id):
    consultation = _consultation(consultation_id)
    questions = consultation.choice_questions
    question_arg, by = request.args.get("question", ""), request.args.get("by", "")
    question = next((q for q in questions if str(q.id) == question_arg), None)
    errors = {}
    table = None
    if request.args:
        if question is None:
            errors["question"] = "Select a question"
        if by not in results.BREAKDOWN_BY:
            errors["by"] = "Select what to break the answers down by"
        if not errors:
            table = results.breakdown(question, by, current_app.config["SMALL_NUMBER_THRESHOLD"])
    return render_template("consultations/staff_breakdown.html", consultation=consultation, questions=questions,
                           question=question, by=by, errors=errors, table=table,
                           breakdown_by=results.BREAKDOWN_BY,
                           threshold=current_app.config["SMALL_NUMBER_THRESHOLD"])


@bp.get("/staff/consultations/<int:consultation_id>/responses.csv")
@roles_required(*STAFF)
def staff_export(consultation_id):
    consultation = _consultation(consultation_id)
    header, rows = results.export_rows(consultation)
    record("export.personal_data", subject=consultation, detail={"what": "responses CSV (residents' answers)"})
    commit()
    return csv_response(f"consultation-{consultation.id}-responses.csv", header, rows)


@bp.get("/staff/consultations/<int:consultation_id>/about-you.csv")
@roles_required(*READERS)
def staff_about_you_export(consultation_id):
    consultation = _consultation(consultation_id)
    header, rows = results.about_you_rows(consultation, current_app.config["SMALL_NUMBER_THRESHOLD"])
    return csv_response(f"consultation-{consultation.id}-about-you-summary.csv", header, rows)
