"""Public consultation pages: list, details, respond, confirmation and published results.

Staff pages are in staff_routes.py on the same blueprint (URLs under /staff/consultations).
"""
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.common import limits
from app.common.transaction import commit, rollback
from app.consultations import my_response, respond_cache, responses, results, services
from app.consultations.access import scope_readers
from app.consultations.forms import build_response_form
from app.consultations.models import Consultation, Question, Response
from app.extensions import db, limiter
from app.wards.models import Ward

# The ward rule for councillors reading staff pages (public pages are not affected).
bp = scope_readers(Blueprint("consultations", __name__, template_folder="templates"))
_REFERENCES = "consultation_references"  # session: consultation id -> last reference shown


def public_consultation(consultation_id, options=()) -> Consultation:
    """The consultation if residents may see it; drafts are 404 for everyone outside /staff."""
    consultation = db.session.get(Consultation, consultation_id, options=options)
    if consultation is None or consultation.status == "draft":
        abort(404)
    return consultation


def _int_arg(name):
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/consultations")
def index():
    ward_id = _int_arg("ward")
    ward = db.session.get(Ward, ward_id) if ward_id else None
    topics = services.public_topics()
    topic = next((t for t in topics if t.slug == request.args.get("topic")), None)
    groups = services.grouped_public(ward_id=ward.id if ward else None, topic_slug=topic.slug if topic else None)
    return render_template("consultations/index.html", groups=groups, wards=Ward.query.order_by(Ward.name).all(),
                           topics=topics, ward=ward, topic=topic)


@bp.get("/consultations/<int:consultation_id>")
def show(consultation_id):
    consultation = public_consultation(consultation_id)
    return render_template("consultations/show.html", consultation=consultation,
                           own_response=responses.response_for_user(consultation, current_user))


@bp.route("/consultations/<int:consultation_id>/respond", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])  # per address; a household on one connection fits easily
def respond(consultation_id):
    # An anonymous POST checks and stores the form against rows kept between requests (no
    # queries before the insert); anything else reads them here (see respond_cache.py).
    kept = respond_cache.form_parts(consultation_id) \
        if request.method == "POST" and not current_user.is_authenticated else None
    if kept is not None and kept.consultation.is_accepting_responses:
        consultation, existing = kept.consultation, None
        form = build_response_form(consultation, kept.ward_choices, form_class=kept.form_class)
    else:
        kept = None
        # The form is built from every question and its options: two queries, not one per question.
        consultation = _form_consultation(consultation_id)
        if not consultation.is_accepting_responses:
            if request.method == "POST":  # a retry of a form that was stored before it closed
                earlier = responses.response_for_submission(
                    consultation, responses.clean_submission_key(request.form.get("submission_key")))
                if earlier is not None:
                    return _confirm(consultation_id, earlier.reference)
            return render_template("consultations/not_open.html", consultation=consultation)
        existing = responses.response_for_user(consultation, current_user)
        form = build_response_form(consultation, services.ward_choices(),
                                   data=responses.form_data(existing) if existing and request.method == "GET" else None)
    if not form.is_submitted():
        form.submission_key.data = responses.new_submission_key()
        if current_user.is_authenticated and not existing:
            form.contact_email.data = current_user.email
    status = 200
    if form.validate_on_submit():
        if limits.over_limit("consultation_response", form):
            status = 429
        else:
            try:
                # Kept rows: no lookup of the submission key first; a form sent again breaks the
                # key's unique constraint and is answered below, as a double send always was.
                response = responses.save_response(consultation, form, user=current_user, response=existing,
                                                   check_key=kept is None)
                if existing is None:
                    my_response.send_confirmation(response)
                reference = response.reference  # read before the commit, after which it is a query
                commit()
            except responses.AlreadySaved as saved:  # this form was sent before: show its reference
                rollback()
                return _confirm(consultation_id, saved.response.reference)
            except IntegrityError:  # sent twice at once: the other request stored it, or it was a clash
                rollback()
                earlier = responses.response_for_submission(
                    consultation, responses.clean_submission_key(form.submission_key.data))
                if earlier is not None:
                    return _confirm(consultation_id, earlier.reference)
                return redirect(url_for("consultations.respond", consultation_id=consultation.id))
            except responses.ResponseClosed:  # it closed while the form was being checked
                rollback()
                return render_template("consultations/not_open.html", consultation=_form_consultation(consultation_id))
            return _confirm(consultation_id, reference)
    if kept is not None:  # the page is drawn from this request's own rows (the kept ones are read-only)
        consultation = _form_consultation(consultation_id)
    return render_template("consultations/respond.html", consultation=consultation, form=form,
                           existing=existing), status


def _form_consultation(consultation_id):
    return public_consultation(consultation_id, options=[
        selectinload(Consultation.questions).selectinload(Question.options)])


def _confirm(consultation_id, reference):
    session[_REFERENCES] = {**session.get(_REFERENCES, {}), str(consultation_id): reference}
    return redirect(url_for("consultations.confirmation", consultation_id=consultation_id))


@bp.get("/consultations/<int:consultation_id>/respond/confirmation")
def confirmation(consultation_id):
    consultation = public_consultation(consultation_id)
    reference = session.get(_REFERENCES, {}).get(str(consultation.id))
    if reference is None:
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    response = my_response.find_by_reference(reference)
    token = my_response.link_token(response) if response is not None else None
    return render_template("consultations/confirmation.html", consultation=consultation, reference=reference,
                           token=token)


@bp.get("/consultations/<int:consultation_id>/results")
def public_results(consultation_id):
    consultation = public_consultation(consultation_id)
    if consultation.status != "published":
        abort(404)
    return render_template("consultations/public_results.html", consultation=consultation,
                           total=results.response_count(consultation), channels=results.by_channel(consultation),
                           choice_results={q.id: results.choice_results(q) for q in consultation.choice_questions},
                           summaries=results.kind_summaries(
                               consultation, current_app.config["SMALL_NUMBER_THRESHOLD"], public=True),
                           threshold=current_app.config["SMALL_NUMBER_THRESHOLD"])


@bp.get("/account/responses/<int:response_id>")
@login_required
def own_response(response_id):
    """A signed-in resident's own answers, read-only (linked from their account page)."""
    response = db.session.get(Response, response_id)
    if response is None or response.user_id != current_user.id:
        abort(404)
    return render_template("consultations/own_response.html", response=response,
                           consultation=response.consultation, answers=responses.answers_as_text(response),
                           token=my_response.link_token(response))


from app.consultations import staff_routes  # noqa: E402,F401  (registers the /staff views on bp)
from app.consultations import routes_my_response  # noqa: E402,F401  ("What happened to my response")
from app.consultations import routes_lifecycle  # noqa: E402,F401  (launch, close, reopen: confirmed first)
from app.consultations import routes_import  # noqa: E402,F401  (responses imported from a CSV file)
