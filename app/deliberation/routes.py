"""Residents' pages: vote on statements one at a time, suggest one, and (once published) read
what the opinion groups think. Staff pages are in staff_routes.py.

A resident is an anonymous participant whose id is kept in their signed session cookie; every
vote is an ordinary form POST followed by a redirect to the next statement, so no JavaScript
is needed.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.common import limits
from app.common.transaction import commit, rollback
from app.consultations.routes import public_consultation
from app.deliberation import services
from app.deliberation.forms import ABOUT_LABELS, AboutYouForm, ProposeForm
from app.deliberation.models import VOTE_VALUES, Participant
from app.extensions import db, limiter

bp = Blueprint("deliberation", __name__, template_folder="templates")
_PARTICIPANTS = "deliberation_participants"  # session: conversation id -> participant id


@bp.app_context_processor
def _charts():
    from app.deliberation.charts import legend_symbol, opinion_map

    return {"opinion_map": opinion_map, "legend_symbol": legend_symbol}


@bp.app_template_global()
def statements_conversation(consultation_id):
    """The consultation's statements conversation, or None (for the consultation pages' links)."""
    return services.conversation_for(consultation_id)


def _conversation(consultation_id):
    consultation = public_consultation(consultation_id)
    conversation = services.conversation_for(consultation.id)
    if conversation is None:
        abort(404)
    return consultation, conversation


def _participant(conversation, create=False) -> Participant | None:
    ids = session.get(_PARTICIPANTS) or {}
    known = ids.get(str(conversation.id)) if isinstance(ids, dict) else None
    participant = db.session.get(Participant, known) if isinstance(known, int) else None
    if participant is not None and participant.conversation_id != conversation.id:
        participant = None
    if participant is None and create:
        participant = services.new_participant(conversation)
        session[_PARTICIPANTS] = {**(ids if isinstance(ids, dict) else {}), str(conversation.id): participant.id}
    return participant


def _int(value):
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def _closed(consultation, conversation, status=200):
    return render_template("deliberation/closed.html", consultation=consultation, conversation=conversation), status


def _vote_page(consultation, conversation, participant, about_form=None, status=200):
    voted = services.votes_of(participant)
    current = None
    again = _int(request.args.get("statement"))
    if again is not None:
        try:
            current = services.approved_statement(conversation, again)
        except services.StatementUnavailable:
            abort(404)
    current = current or services.next_statement(conversation, voted)
    if about_form is None:
        about = services.about_you_of(participant)
        about_form = AboutYouForm(formdata=None, obj=about)
        about_form.consent.data = bool(participant and participant.consented)
    approved = conversation.approved()
    by_id = {s.id: s for s in approved}
    return render_template(
        "deliberation/vote.html", consultation=consultation, conversation=conversation, current=current,
        voted=voted, done=sum(1 for s in approved if s.id in voted), total=len(approved),
        your_votes=[(by_id[i], v) for i, v in voted.items() if i in by_id], about_form=about_form,
        about_labels=ABOUT_LABELS, vote_labels={1: "Agree", -1: "Disagree", 0: "Pass"}), status


@bp.route("/consultations/<int:consultation_id>/statements", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])  # one vote every second: far more than anyone reads
def vote(consultation_id):
    consultation, conversation = _conversation(consultation_id)
    if not conversation.is_open:
        return _closed(consultation, conversation, 410 if request.method == "POST" else 200)
    if request.method == "GET":
        return _vote_page(consultation, conversation, _participant(conversation))
    choice, statement_id = request.form.get("vote"), _int(request.form.get("statement_id"))
    if choice not in VOTE_VALUES or statement_id is None:
        abort(400)
    try:
        services.approved_statement(conversation, statement_id)
    except services.StatementUnavailable:
        abort(404)
    participant = _participant(conversation, create=True)
    try:
        services.record_vote(conversation, participant, statement_id, choice)
        commit()
    except IntegrityError:
        rollback()  # the same vote sent twice at the same moment: the first one stands
    return redirect(url_for("deliberation.vote", consultation_id=consultation.id, _anchor="statement"))


@bp.post("/consultations/<int:consultation_id>/statements/about-you")
@limiter.limit(limits.POSTS_PER_CLIENT)
def about_you(consultation_id):
    consultation, conversation = _conversation(consultation_id)
    if not conversation.is_open:
        return _closed(consultation, conversation, 410)
    form = AboutYouForm()
    if not form.validate():
        return _vote_page(consultation, conversation, _participant(conversation), about_form=form, status=400)
    participant = _participant(conversation, create=True)
    services.save_about_you(conversation, participant, bool(form.consent.data), form.answers())
    commit()
    flash("Your votes are linked to your About you answers." if form.consent.data and any(form.answers().values())
          else "Your votes are not linked to any About you answers.", "success")
    return redirect(url_for("deliberation.vote", consultation_id=consultation.id))


@bp.route("/consultations/<int:consultation_id>/statements/new", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def propose(consultation_id):
    consultation, conversation = _conversation(consultation_id)
    if not conversation.residents_may_add:
        abort(404)
    if not conversation.is_open:
        return _closed(consultation, conversation, 410 if request.method == "POST" else 200)
    form = ProposeForm()
    if form.validate_on_submit():
        if limits.over_limit("deliberation_statement", form):
            return render_template("deliberation/propose.html", consultation=consultation,
                                   conversation=conversation, form=form), 429
        services.submit_statement(conversation, _participant(conversation, create=True), form.text.data)
        commit()
        flash("Thank you. Other people will see your statement once we have checked it.", "success")
        return redirect(url_for("deliberation.vote", consultation_id=consultation.id))
    return render_template("deliberation/propose.html", consultation=consultation, conversation=conversation,
                           form=form), 400 if request.method == "POST" else 200


@bp.get("/consultations/<int:consultation_id>/statements/results")
def public_results(consultation_id):
    consultation, conversation = _conversation(consultation_id)
    if conversation.results_published_at is None:
        if current_user.is_authenticated and current_user.is_staff:
            return redirect(url_for("deliberation_staff.results", consultation_id=consultation.id))
        abort(404)
    data = services.results(conversation)
    commit()
    return render_template("deliberation/results.html", consultation=consultation, conversation=conversation,
                           data=data, staff=False)
