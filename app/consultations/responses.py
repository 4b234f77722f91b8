"""Saving a response (online, or entered by an officer from paper, an event or a phone call).

A response, its answers and its "About you" row are written together in one transaction by
the caller's commit(): nothing is ever half-saved.
"""
import re
import secrets

from sqlalchemy import select

from app.common import equality
from app.common.timeutil import to_london, utcnow
from app.consultations import kinds
from app.consultations.forms import ABOUT_YOU_FIELDS
from app.consultations.kinds import other
from app.consultations.models import AboutYou, Answer, Response
from app.consultations.results import question_choices
from app.extensions import db
from app.maps import services as map_services


class ResponseClosed(Exception):
    """The consultation is not taking responses (closed, not yet open, or a draft)."""


class AlreadySaved(Exception):
    """This form was sent before and its response is stored: `response` is that response."""

    def __init__(self, response):
        super().__init__(response.reference)
        self.response = response


_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


def clean_submission_key(value) -> str | None:
    """The form's key if it is one we could have issued; anything else is ignored."""
    return value if isinstance(value, str) and _KEY.match(value) else None


def response_for_submission(consultation, key) -> Response | None:
    if not key:
        return None
    return db.session.scalars(select(Response).where(
        Response.consultation_id == consultation.id, Response.submission_key == key)).first()


def response_for_user(consultation, user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Response.query.filter_by(consultation_id=consultation.id, user_id=user.id).first()


def form_data(response) -> dict:
    """A response as form data, to pre-fill the form when a resident changes their answers."""
    data = {}
    by_question = {}
    for answer in response.answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    for question in response.consultation.questions:
        answers = by_question.get(question.id, [])
        if question.kind == "map":
            data[question.field_name] = map_services.form_data(answers)
            continue
        kind = kinds.kind_for(question)
        if kind is not None:
            data.update(kind.form_data(question, answers))
            continue
        data.update(other.form_data(question, answers))
        answers = [a for a in answers if question.kind == "free_text" or a.option_id or a.scale_value]
        if question.kind == "free_text":
            data[question.field_name] = answers[0].text if answers else ""
        elif question.kind == "multiple_choice":
            data[question.field_name] = [str(a.option_id) for a in answers] + (
                [other.VALUE] if other.form_data(question, by_question.get(question.id, [])).get(
                    other.field_name(question)) else [])
        elif question.kind in ("agreement", "place_rating"):
            data[question.field_name] = str(answers[0].scale_value) if answers else None
        else:
            data[question.field_name] = (str(answers[0].option_id) if answers else
                                         other.VALUE if data.get(other.field_name(question)) else None)
    about = AboutYou.for_response(response.id)
    if about is not None:
        for name in ABOUT_YOU_FIELDS:
            column = name.removeprefix("about_")
            value = getattr(about, "ward_id" if column == "ward" else column)
            data[name] = str(value) if value is not None else None
    data["keep_informed"] = response.keep_informed
    data["contact_email"] = response.contact_email or ""
    return data


def answers_as_text(response) -> list[tuple]:
    """(question, [answer text, ...]) for every question, in order: the resident's own read-only
    copy. "About you" answers are deliberately not here: they are never shown beside a response."""
    by_question = {}
    for answer in response.answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    rows = []
    for question in response.consultation.questions:
        answers = by_question.get(question.id, [])
        kind = kinds.kind_for(question)
        if kind is not None:
            rows.append((question, kind.as_text(question, answers) if answers else []))
            continue
        labels = dict(question_choices(question))  # the labels the results and CSV use
        rows.append((question, [(other.cell(a.text) if question.is_choice else a.text) if a.text is not None
                                else labels.get(a.option_id if a.scale_value is None else a.scale_value, "")
                                for a in answers]))
    return rows


def collected_on_problem(consultation, collected_on) -> str | None:
    """Why a paper/event/phone collection date cannot be right, or None."""
    closes_on = to_london(consultation.closes_at).date()
    if collected_on > closes_on:
        return f"Date collected must be on or before the closing date, {closes_on:%-d %B %Y}"
    if collected_on > to_london(utcnow()).date():
        return "Date collected must be today or in the past"
    return None


def save_response(consultation, form, *, user=None, response=None, channel="online", entered_by=None,
                  collected_on=None, check_key=True) -> Response:
    """Create a response, or replace the answers of `response`, from a validated form.

    A form whose submission key is already stored raises AlreadySaved; with check_key=False the
    key isn't looked up first and the flush raises IntegrityError instead (one query fewer, for
    callers that answer that as a double send). `consultation` may be detached (read-only)."""
    if response is None:
        key = clean_submission_key(form.submission_key.data)
        earlier = response_for_submission(consultation, key) if check_key else None
        if earlier is not None:
            raise AlreadySaved(earlier)
    if channel == "online" and not consultation.is_accepting_responses:
        raise ResponseClosed()
    new = response is None
    if response is None:
        response = Response(consultation_id=consultation.id, channel=channel, entered_by=entered_by,
                            collected_on=collected_on, submission_key=key,
                            user=user if user is not None and user.is_authenticated else None)
        db.session.add(response)
    else:
        response.answers.clear()
        response.updated_at = utcnow()
    for question in consultation.questions:
        kind = kinds.kind_for(question)
        found = (kind.answers(question, form) if kind is not None
                 else _answers_for(question, form[question.field_name].data) + other.answers(question, form))
        response.answers.extend(a if isinstance(a, Answer) else Answer(question_id=question.id, **a) for a in found)
    response.keep_informed = bool(form.keep_informed.data)
    email = (form.contact_email.data or "").strip().lower()
    response.contact_email = email if response.keep_informed and email else None
    db.session.flush()
    _save_about_you(response, form, new=new)
    return response


def _answers_for(question, value) -> list[Answer]:
    if question.kind == "map":
        return map_services.answers_for(question, value)
    if question.kind == "free_text":
        text = (value or "").strip().replace("\r\n", "\n")
        return [Answer(question_id=question.id, text=text)] if text else []
    if question.kind == "multiple_choice":
        # Keep the officer's option order, whatever order the browser sent.
        chosen = {str(v) for v in value or []}
        return [Answer(question_id=question.id, option_id=o.id) for o in question.options if str(o.id) in chosen]
    if not value or value == other.VALUE:
        return []
    if question.kind in ("agreement", "place_rating"):
        return [Answer(question_id=question.id, scale_value=int(value))]
    return [Answer(question_id=question.id, option_id=int(value))]


def _save_about_you(response, form, new=False):
    values = {name.removeprefix("about_"): (form[name].data or None) for name in ABOUT_YOU_FIELDS}
    ward = values.pop("ward")
    # "Prefer not to say" for ward is kept as not answered: ward_id can only hold a ward.
    values["ward_id"] = int(ward) if ward and ward != equality.PREFER_NOT else None
    answered = any(v is not None for v in values.values()) or ward == equality.PREFER_NOT
    if new and not answered:
        return  # nothing to store and, for a new response, nothing stored before to remove
    about = None if new else AboutYou.for_response(response.id)
    if not answered:
        if about is not None:
            db.session.delete(about)
        db.session.flush()
        return
    if about is None:
        about = AboutYou(response_id=response.id, consultation_id=response.consultation_id)
        db.session.add(about)
    for column, value in values.items():
        setattr(about, column, value)
    db.session.flush()
