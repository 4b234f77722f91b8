"""Consultation logic. Services flush; the route or CLI command commits.

Responses live in responses.py and results in results.py.
"""
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from app.common.timeutil import format_london, utcnow
from app.consultations import kinds
from app.consultations.models import (OPTION_KINDS, Answer, Consultation, ConsultationEvent, Question, QuestionOption,
                                      Response, Topic, consultation_topics, consultation_wards)
from app.extensions import db
from app.wards.models import Ward
from app.wards.services import slugify

PUBLIC_GROUPS = [("open", "Open consultations"), ("scheduled", "Opening soon"),
                 ("closed", "Closed: results coming soon"), ("published", "Results published")]


def _people_have(count) -> str:
    return "1 person has" if count == 1 else f"{count} people have"


class ConsultationError(Exception):
    """Something an officer asked for that we refuse, with a message to show beside `field`."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


# --- lists ---------------------------------------------------------------------------------

def list_public(status: str | None = None, ward_id: int | None = None, topic_slug: str | None = None):
    """Consultations residents may see (never drafts), newest closing first.

    A ward filter keeps borough-wide consultations: they concern every ward.
    """
    now = utcnow()
    status_sql = Consultation.status_expression(now)
    query = Consultation.query.filter(status_sql != "draft")
    if status:
        query = query.filter(status_sql == status)
    if ward_id is not None:
        in_ward = db.session.query(consultation_wards.c.consultation_id).filter(
            consultation_wards.c.ward_id == ward_id)
        query = query.filter(or_(Consultation.borough_wide.is_(True), Consultation.id.in_(in_ward)))
    if topic_slug:
        with_topic = db.session.query(consultation_topics.c.consultation_id).join(
            Topic, Topic.id == consultation_topics.c.topic_id).filter(Topic.slug == topic_slug)
        query = query.filter(Consultation.id.in_(with_topic))
    # The list shows each one's wards and topics: load them with it, not one query each.
    return query.order_by(Consultation.closes_at.desc()).options(
        selectinload(Consultation.wards), selectinload(Consultation.topics)).all()


def grouped_public(ward_id=None, topic_slug=None) -> list[tuple[str, str, list]]:
    """(status, heading, consultations) in the order residents see them; open ones soonest-closing first."""
    now = utcnow()
    by_status = {status: [] for status, _ in PUBLIC_GROUPS}
    for consultation in list_public(ward_id=ward_id, topic_slug=topic_slug):
        by_status[consultation.status_at(now)].append(consultation)
    by_status["open"].sort(key=lambda c: c.closes_at)
    by_status["scheduled"].sort(key=lambda c: c.opens_at)
    return [(status, heading, by_status[status]) for status, heading in PUBLIC_GROUPS]


def list_for_staff():
    return Consultation.query.order_by(Consultation.created_at.desc(), Consultation.id.desc()).all()


def response_counts() -> dict[int, int]:
    rows = db.session.query(Response.consultation_id, func.count(Response.id)).group_by(Response.consultation_id)
    return dict(rows.all())


def all_topics():
    return Topic.query.order_by(Topic.name).all()


def public_topics():
    """Topics of consultations residents may see: a draft's topics must not leak into the filter."""
    visible = db.session.query(consultation_topics.c.topic_id).join(
        Consultation, Consultation.id == consultation_topics.c.consultation_id).filter(
        Consultation.status_expression(utcnow()) != "draft")
    return Topic.query.filter(Topic.id.in_(visible)).order_by(Topic.name).all()


def topic_choices():
    return [(str(t.id), t.name) for t in all_topics()]


def ward_choices():
    return [(str(w.id), w.name) for w in Ward.query.order_by(Ward.name).all()]


def responses_for_user(user):
    return Response.query.filter_by(user_id=user.id).order_by(Response.submitted_at.desc()).all()


# --- creating and editing ----------------------------------------------------------------------

def topics_named(names) -> list[Topic]:
    """Existing topics with these names (any case), creating the ones that are new."""
    found = []
    for name in names:
        slug = slugify(name)
        if not slug:
            continue
        topic = Topic.query.filter(or_(func.lower(Topic.name) == name.lower(), Topic.slug == slug)).first()
        if topic is None:
            topic = Topic(name=name, slug=slug)
            db.session.add(topic)
            db.session.flush()
        if topic not in found:
            found.append(topic)
    return found


def save_consultation(form, user, consultation=None) -> Consultation:
    """Create (consultation=None) or update a consultation from a validated ConsultationForm."""
    if consultation is None:
        consultation = Consultation(created_by=user)
    consultation.opens_at, consultation.closes_at = form.opens_at, form.closes_at
    consultation.title = form.title.data.strip()
    consultation.summary = form.summary.data.strip()
    consultation.body = form.body.data.strip().replace("\r\n", "\n")
    consultation.borough_wide = form.scope.data == "borough"
    ward_ids = [int(w) for w in form.wards.data or []] if not consultation.borough_wide else []
    consultation.wards = Ward.query.filter(Ward.id.in_(ward_ids)).all() if ward_ids else []
    topic_ids = [int(t) for t in form.topics.data or []]
    topics = Topic.query.filter(Topic.id.in_(topic_ids)).all() if topic_ids else []
    for topic in topics_named(form.new_topic_names()):
        if topic not in topics:
            topics.append(topic)
    consultation.topics = topics
    consultation.audience_tags = list(form.audience_tags.data or [])
    db.session.add(consultation)
    db.session.flush()
    return consultation


def answer_count(question) -> int:
    return db.session.query(func.count(func.distinct(Answer.response_id))).filter(
        Answer.question_id == question.id).scalar()


def _option_answer_counts(question) -> dict[int, int]:
    rows = db.session.query(Answer.option_id, func.count(Answer.id)).filter(
        Answer.question_id == question.id, Answer.option_id.is_not(None)).group_by(Answer.option_id)
    return dict(rows.all())


def add_question(consultation, form) -> Question:
    position = max((q.position for q in consultation.questions), default=-1) + 1
    question = Question(consultation=consultation, position=position, kind=form.kind.data)
    db.session.add(question)
    _apply_question_form(question, form, {})
    db.session.flush()
    return question


def update_question(question, form):
    """Change a question without corrupting answers already given.

    With answers, the type cannot change and an option people chose cannot be removed
    (options are matched by their wording, so rewording one counts as removing it).
    """
    answered = answer_count(question)
    if answered and form.kind.data != question.kind:
        raise ConsultationError(f"You cannot change the type of question: {_people_have(answered)} "
                                "already answered it", "kind")
    kind = kinds.kind_for(question)
    if answered and kind is not None and kind.uses_options and kind.settings_from_form(form) != question.settings:
        # A grid's scale, a budget's total or limits, a ranking's length: answers were given on these.
        raise ConsultationError(f"You cannot change how this question is answered: {_people_have(answered)} "
                                "already answered it", "kind")
    _apply_question_form(question, form, _option_answer_counts(question) if answered else {})
    db.session.flush()


def _apply_question_form(question, form, option_counts):
    question.kind = form.kind.data
    question.text = form.text.data.strip()
    question.hint = (form.hint.data or "").strip()
    question.required = bool(form.required.data)
    question.max_choices = form.max_choices_value()
    kind = kinds.kind_for(question)
    question.settings = (kind.settings_from_form(form) if kind is not None
                         else {"other": True} if question.kind in ("single_choice", "multiple_choice")
                         and form.other.data else {})
    if question.kind not in OPTION_KINDS:
        question.options = []
        return
    labels = form.option_labels()
    existing = {o.label: o for o in question.options}
    removed = [o for label, o in existing.items() if label not in labels]
    blocked = [o for o in removed if option_counts.get(o.id)]
    if blocked:
        names = ", ".join(f"'{o.label}' ({option_counts[o.id]} chose it)" for o in blocked)
        raise ConsultationError(f"You cannot remove or reword options people have already chosen: {names}. "
                                "Put them back as they were, or add a new option.", "options")
    options = []
    for position, label in enumerate(labels):
        option = existing.get(label) or QuestionOption(label=label)
        option.position = position
        options.append(option)
    question.options = options


def move_question(question, direction: str):
    """Swap with the neighbour above or below; positions are renumbered 0..n-1."""
    questions = list(question.consultation.questions)
    index = questions.index(question)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(questions):
        questions[index], questions[target] = questions[target], questions[index]
    for position, q in enumerate(questions):
        q.position = position
    db.session.flush()
    db.session.expire(question.consultation, ["questions"])


def delete_question(question):
    answered = answer_count(question)
    if answered:
        raise ConsultationError(f"You cannot delete this question: {_people_have(answered)} already answered it.")
    consultation = question.consultation
    consultation.questions.remove(question)
    for position, q in enumerate(consultation.questions):
        q.position = position
    db.session.flush()


# --- lifecycle ---------------------------------------------------------------------------------

def record_history(consultation, action, actor=None, detail=""):
    """Add a line to the consultation's history (who, when, what)."""
    db.session.add(ConsultationEvent(
        consultation_id=consultation.id, action=action, detail=detail[:300],
        actor_id=getattr(actor, "id", None), actor_name=getattr(actor, "name", None)))
    db.session.flush()


def launch(consultation, actor=None):
    if not consultation.questions:
        raise ConsultationError("Add at least one question before you open the consultation.")
    if consultation.closes_at <= utcnow():
        raise ConsultationError("The closing date has passed. Change the dates before you open the consultation.")
    consultation.launch()
    record_history(consultation, "launched", actor,
                   f"Open from {format_london(consultation.opens_at)} to {format_london(consultation.closes_at)}")


def close_early(consultation, actor=None):
    if consultation.status != "open":
        raise ConsultationError("Only an open consultation can be closed.")
    planned = consultation.closes_at
    consultation.close()
    record_history(consultation, "closed", actor, f"It was due to close on {format_london(planned)}")


def reopen(consultation, closes_at, actor=None):
    """Take responses again until ``closes_at`` (naive UTC, in the future)."""
    if consultation.status != "closed":
        raise ConsultationError("Only a closed consultation whose results are not published can be reopened.")
    if closes_at <= utcnow():
        raise ConsultationError("The new closing date and time must be in the future.")
    consultation.reopen(closes_at)
    record_history(consultation, "reopened", actor, f"Now closes on {format_london(closes_at)}")


def publish_results(consultation, actor=None):
    try:
        consultation.publish_results()
    except ValueError as exc:
        raise ConsultationError(str(exc)) from None
    record_history(consultation, "published", actor)


def return_to_draft(consultation, actor=None):
    """Undo a launch before anyone has answered (e.g. opened by mistake)."""
    if consultation.status not in ("scheduled", "open"):
        raise ConsultationError("Only a scheduled or open consultation can go back to draft.")
    if consultation.responses.count():
        raise ConsultationError("People have already responded, so it cannot go back to draft.")
    consultation.unlaunch()
    record_history(consultation, "returned_to_draft", actor)
