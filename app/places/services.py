"""Creating a Place Standard round and finding it again. Services flush; the caller commits.

A round is an ordinary consultation (so responding, "About you", the theme engine, CSV, the
analysis report and "You said, we did" all work unchanged) whose questions are generated: for
each of the 14 themes a required 1-7 rating and an optional comment box. PlaceQuestion records
which theme each question belongs to.
"""
from sqlalchemy import select

from app.consultations.models import Consultation, Question
from app.extensions import db
from app.places.models import PLACE_RATING, PlaceQuestion, PlaceSurvey
from app.places.themes import COMMENT_HINT, COMMENT_LABEL, SCALE_HINT, THEMES
from app.wards.models import Ward

INTRO = ("The Place Standard asks about 14 things that make a good place to live, from walking and "
         "cycling to feeling safe and having a say. Rate each one from 1 to 7 for {place}, and tell us "
         "what is good now and what could be better.\n\n"
         "1 means there is a lot of room for improvement and 7 means there is very little room for "
         "improvement. Answer from your own experience: there are no right or wrong answers.")


class PlaceError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


def create_round(*, ward: Ward | None, place_name: str | None, round_label: str, opens_at, closes_at,
                 user=None, title: str | None = None) -> PlaceSurvey:
    """A draft consultation for one place with the 28 generated questions."""
    place = ward.name if ward is not None else (place_name or "").strip()
    if not place:
        raise PlaceError("Choose a ward or enter the name of the place", "place_name")
    round_label = round_label.strip()
    consultation = Consultation(
        title=(title or f"Place Standard: {place}, {round_label}")[:200],
        summary=f"How good is {place} as a place to live? Rate 14 things from 1 to 7 and tell us "
                "what could be better."[:400],
        body=INTRO.format(place=place), borough_wide=ward is None, opens_at=opens_at, closes_at=closes_at,
        audience_tags=[], created_by=user)
    consultation.wards = [ward] if ward is not None else []
    db.session.add(consultation)
    survey = PlaceSurvey(consultation=consultation, ward=ward,
                         place_name=None if ward is not None else place[:120], round_label=round_label[:80])
    db.session.add(survey)
    for index, theme in enumerate(THEMES):
        rating = Question(consultation=consultation, position=2 * index, kind=PLACE_RATING, required=True,
                          text=f"{theme.name}: {theme.question}", hint=SCALE_HINT)
        comment = Question(consultation=consultation, position=2 * index + 1, kind="free_text", required=False,
                           text=COMMENT_LABEL.format(name=theme.name).removesuffix(" (optional)"),
                           hint=COMMENT_HINT)
        db.session.add_all([rating, comment])
        survey.questions.append(PlaceQuestion(question=rating, theme=theme.key, part="rating"))
        survey.questions.append(PlaceQuestion(question=comment, theme=theme.key, part="comment"))
    db.session.flush()
    return survey


def survey_for(consultation_id: int) -> PlaceSurvey | None:
    return db.session.scalars(select(PlaceSurvey).where(PlaceSurvey.consultation_id == consultation_id)).first()


def theme_of(question_id: int) -> str | None:
    return db.session.scalars(select(PlaceQuestion.theme).where(PlaceQuestion.question_id == question_id)).first()


def all_surveys(published_only=False) -> list[PlaceSurvey]:
    """Every round, newest first; published_only: those whose results residents may see."""
    query = select(PlaceSurvey).join(Consultation, Consultation.id == PlaceSurvey.consultation_id)
    if published_only:
        query = query.where(Consultation.results_published_at.is_not(None), Consultation.launched_at.is_not(None))
    return list(db.session.scalars(query.order_by(Consultation.opens_at.desc(), PlaceSurvey.id.desc())))


def same_place(survey: PlaceSurvey, published_only=False) -> list[PlaceSurvey]:
    """Every round about the survey's place (itself included), oldest first."""
    found = [s for s in all_surveys(published_only) if s.place_key == survey.place_key]
    if survey not in found:
        found.append(survey)
    return sorted(found, key=lambda s: (s.consultation.opens_at, s.id))


def surveys_in_ward(ward_id: int, published_only=True) -> list[PlaceSurvey]:
    return [s for s in all_surveys(published_only) if s.ward_id == ward_id]
