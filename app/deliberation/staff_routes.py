"""Staff pages for a consultation's statements: set up, add statements, moderate residents'
statements, read the opinion groups, publish the summary. Under /staff/consultations/<id>.

Admins and officers change things; councillors read the results of their ward's consultations
(the consultations' reader rule, app/consultations/access.py).
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common.auth import COUNCILLOR, EDITORS, STAFF_ROLES, protect, roles_required
from app.common.transaction import commit
from app.consultations.access import scope_readers
from app.consultations.models import Consultation
from app.deliberation import services
from app.deliberation.forms import AddStatementsForm, SetUpForm, statement_lines
from app.deliberation.models import Statement
from app.extensions import db

bp = scope_readers(protect(Blueprint("deliberation_staff", __name__, template_folder="templates",
                                     url_prefix="/staff/consultations/<int:consultation_id>/statements"),
                           *STAFF_ROLES))
READERS = (*EDITORS, COUNCILLOR)


def _consultation(consultation_id) -> Consultation:
    return db.session.get(Consultation, consultation_id) or abort(404)


def _conversation(consultation):
    return services.conversation_for(consultation.id) or abort(404)


def _overview(consultation, message):
    flash(message, "success")
    return redirect(url_for("deliberation_staff.overview", consultation_id=consultation.id))


@bp.route("", methods=["GET", "POST"])
@roles_required(*EDITORS)
def overview(consultation_id):
    consultation = _consultation(consultation_id)
    conversation = services.conversation_for(consultation.id)
    if conversation is None:
        form = SetUpForm()
        if form.validate_on_submit():
            services.create_conversation(consultation, form.topic.data, statement_lines(form.statements.data),
                                         bool(form.residents_may_add.data), current_user)
            commit()
            return _overview(consultation, "Statements added. Residents can vote on them while the "
                                           "consultation is open.")
        return render_template("deliberation/staff_setup.html", consultation=consultation, form=form), \
            400 if request.method == "POST" else 200
    if request.method == "POST":
        abort(405)
    return render_template("deliberation/staff_overview.html", consultation=consultation,
                           conversation=conversation, add_form=AddStatementsForm(formdata=None),
                           counts=services.vote_counts(conversation))


@bp.post("/add")
@roles_required(*EDITORS)
def add(consultation_id):
    consultation = _consultation(consultation_id)
    conversation = _conversation(consultation)
    form = AddStatementsForm()
    if not form.validate():
        return render_template("deliberation/staff_overview.html", consultation=consultation,
                               conversation=conversation, add_form=form,
                               counts=services.vote_counts(conversation)), 400
    added = services.add_seed_statements(conversation, statement_lines(form.statements.data), current_user)
    commit()
    return _overview(consultation, f"{len(added)} {'statement' if len(added) == 1 else 'statements'} added.")


@bp.post("/<int:statement_id>/moderate")
@roles_required(*EDITORS)
def moderate(consultation_id, statement_id):
    consultation = _consultation(consultation_id)
    conversation = _conversation(consultation)
    statement = db.session.get(Statement, statement_id)
    if statement is None or statement.conversation_id != conversation.id:
        abort(404)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject"):
        abort(400)
    services.moderate(statement, decision == "approve", current_user)
    commit()
    return _overview(consultation, f"Statement {'approved' if decision == 'approve' else 'rejected'}: "
                                   f"“{statement.text}”")


@bp.post("/publish")
@roles_required(*EDITORS)
def publish(consultation_id):
    consultation = _consultation(consultation_id)
    conversation = _conversation(consultation)
    action = request.form.get("action")
    if action not in ("publish", "withdraw"):
        abort(400)
    if action == "publish":
        conversation.publish_results()
        message = "The summary of opinion groups is now on the public statements results page."
    else:
        conversation.withdraw_results()
        message = "The summary of opinion groups is no longer public."
    commit()
    flash(message, "success")
    return redirect(url_for("deliberation_staff.results", consultation_id=consultation.id))


@bp.get("/results")
@roles_required(*READERS)
def results(consultation_id):
    consultation = _consultation(consultation_id)
    conversation = services.conversation_for(consultation.id)
    if conversation is None:
        return render_template("deliberation/staff_none.html", consultation=consultation)
    data = services.results(conversation)
    commit()
    return render_template("deliberation/results.html", consultation=consultation, conversation=conversation,
                           data=data, staff=True)
