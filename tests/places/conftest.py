"""Helpers for Place Standard tests: a round in a given state and responses to it."""
from datetime import timedelta

from app.common.timeutil import utcnow
from app.consultations.models import AboutYou, Answer, Response
from app.extensions import db
from app.places import services
from app.places.themes import THEMES


def make_round(ward=None, place_name=None, label="Spring 2027", status="open", days_ago=0):
    now = utcnow().replace(microsecond=0) - timedelta(days=days_ago)
    if status == "open":
        opens, closes = now - timedelta(days=1), now + timedelta(days=20)
    else:
        opens, closes = now - timedelta(days=30), now - timedelta(days=2)
    survey = services.create_round(ward=ward, place_name=place_name or (None if ward else "Test place"),
                                   round_label=label, opens_at=opens,
                                   closes_at=closes)
    c = survey.consultation
    if status != "draft":
        c.launched_at = opens - timedelta(hours=1)
    if status == "published":
        c.results_published_at = now
    db.session.commit()
    return survey


def rating_questions(survey):
    return [q for q in survey.consultation.questions if q.kind == "place_rating"]


def add_response(survey, ratings, about=None, comments=None):
    """ratings: {theme key: 1..7} (or one int for every theme); about: AboutYou column values."""
    consultation = survey.consultation
    by_theme = {pq.theme: {} for pq in survey.questions}
    for pq in survey.questions:
        by_theme[pq.theme][pq.part] = pq.question_id
    response = Response(consultation=consultation)
    db.session.add(response)
    for theme in THEMES:
        value = ratings if isinstance(ratings, int) else ratings.get(theme.key)
        if value is not None:
            response.answers.append(Answer(question_id=by_theme[theme.key]["rating"], scale_value=value))
        if comments and theme.key in comments:
            response.answers.append(Answer(question_id=by_theme[theme.key]["comment"], text=comments[theme.key]))
    db.session.add(response)
    db.session.flush()
    if about:
        db.session.add(AboutYou(response_id=response.id, consultation_id=consultation.id, **about))
    db.session.commit()
    return response


def form_for(survey, ratings=4, **overrides):
    """Response form data rating every theme (and no comments), as the browser would send it."""
    data = {}
    for q in survey.consultation.questions:
        if q.kind == "place_rating":
            data[q.field_name] = str(ratings)
    data.update(overrides)
    return data
