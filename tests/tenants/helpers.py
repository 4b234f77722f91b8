"""Builders for tenant survey tests: a survey from the template and responses to it."""
from datetime import timedelta

from app.common.timeutil import utcnow
from app.consultations.models import AboutYou, Answer, Response
from app.extensions import db
from app.tenants import services, tsm

LANDLORDS = ["Northbrook Council", "Riverside Homes"]
ESTATES = ["Canal Estate", "Hill Estate"]


def survey(status="closed", user=None):
    now = utcnow()
    opens, closes = ((now - timedelta(days=30), now - timedelta(days=1)) if status == "closed"
                     else (now - timedelta(days=1), now + timedelta(days=30)))
    consultation = services.create_from_template(title="Tenant satisfaction survey 2027", landlords=LANDLORDS,
                                                 estates=ESTATES, opens_at=opens, closes_at=closes, user=user)
    if status != "draft":
        consultation.launched_at = opens - timedelta(days=1)
    db.session.commit()
    return services.survey_for(consultation)


def respond(survey, landlord=None, estate=None, filters=None, measures=None, text=None, about=None,
            keep_informed=None):
    """One response. measures: {code: option label}; filters: {key: "Yes"/"No"}."""
    response = Response(consultation_id=survey.consultation_id, keep_informed=bool(keep_informed),
                        contact_email=keep_informed)

    def pick(question, label):
        option = next(o for o in question.options if o.label == label)
        response.answers.append(Answer(question_id=question.id, option_id=option.id))

    if landlord:
        pick(survey.question_for("landlord"), landlord)
    if estate:
        pick(survey.question_for("estate"), estate)
    for key, label in (filters or {}).items():
        pick(survey.question_for("filter", key), label)
    for code, label in (measures or {}).items():
        pick(survey.question_for("measure", code), label)
    if text:
        response.answers.append(Answer(question_id=survey.question_for("anything_else").id, text=text))
    db.session.add(response)
    db.session.flush()
    if about:
        db.session.add(AboutYou(response_id=response.id, consultation_id=survey.consultation_id, **about))
    db.session.commit()
    return response


def labels(code):
    return tsm.BY_CODE[code].options
