"""A Place Standard round for one place: a consultation whose questions are the tool's 14
ratings and 14 comment boxes, so responses, "About you", the theme engine, CSV and reports work
as for any consultation. These tables add only what is particular to the Place Standard.
"""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["PlaceSurvey", "PlaceQuestion", "PLACE_RATING"]

PLACE_RATING = "place_rating"  # Question.kind of a theme's 1-7 rating (scale_value in answers)


class PlaceSurvey(db.Model):
    """One round of the Place Standard for one place (a ward, or a place the council names)."""

    __tablename__ = "place_standard_surveys"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, unique=True)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="SET NULL"), index=True)
    # A named place (a town centre, an estate) when the place is not a ward; null for a ward.
    place_name = db.Column(db.String(120))
    # Rounds asked at the same time share a label ("Spring 2026"), to compare places side by side.
    round_label = db.Column(db.String(80), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    consultation = db.relationship("Consultation")
    ward = db.relationship("Ward")
    questions = db.relationship("PlaceQuestion", back_populates="survey", cascade="all, delete-orphan",
                                passive_deletes=True)

    @property
    def place(self) -> str:
        return self.ward.name if self.ward is not None else (self.place_name or "Unnamed place")

    @property
    def place_key(self) -> str:
        """The same for every round about the same place (for comparisons over time)."""
        if self.ward_id is not None:
            return f"ward:{self.ward_id}"
        return "name:" + " ".join((self.place_name or "").lower().split())


class PlaceQuestion(db.Model):
    """Which theme a generated question belongs to, and whether it is the rating or the comment."""

    __tablename__ = "place_standard_questions"

    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    survey_id = db.Column(db.Integer, db.ForeignKey("place_standard_surveys.id", ondelete="CASCADE"),
                          nullable=False, index=True)
    theme = db.Column(db.String(30), nullable=False)  # a key of themes.BY_KEY
    part = db.Column(db.String(10), nullable=False)  # "rating" or "comment"

    survey = db.relationship("PlaceSurvey", back_populates="questions")
    question = db.relationship("Question")
