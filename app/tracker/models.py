"""Shared-goal tracker: rounds of a short survey, anonymous answers, and national benchmarks."""
from datetime import date

from app.common.timeutil import to_london, utcnow
from app.extensions import db

__all__ = ["TrackerRound", "TrackerResponse", "TrackerAnswer", "TrackerAboutYou", "TrackerBenchmark"]


# The pseudonym purpose for tracker responses (app/common/pseudonym.py); frozen once data exists.
TRACKER_RESPONSE = "tracker-response"


def london_today() -> date:
    return to_london(utcnow()).date()


class TrackerRound(db.Model):
    __tablename__ = "tracker_rounds"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False, unique=True)
    # Open from the start of opens_on to the end of closes_on, London dates.
    opens_on = db.Column(db.Date, nullable=False)
    closes_on = db.Column(db.Date, nullable=False)
    # Set when an officer closes the round before closes_on; it stays closed.
    closed_early_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    responses = db.relationship("TrackerResponse", back_populates="round", cascade="all, delete-orphan",
                                passive_deletes=True, lazy="dynamic")

    __table_args__ = (db.CheckConstraint("closes_on >= opens_on", name="ck_tracker_rounds_dates"),)

    def status(self, today: date | None = None) -> str:
        today = today or london_today()
        if self.closed_early_at is not None or today > self.closes_on:
            return "closed"
        return "open" if today >= self.opens_on else "upcoming"

    @property
    def is_open(self) -> bool:
        return self.status() == "open"

    @property
    def is_closed(self) -> bool:
        return self.status() == "closed"

    def close_now(self):
        if self.is_closed:
            raise ValueError("This round has already closed")
        self.closed_early_at = utcnow()

    def __repr__(self):
        return f"<TrackerRound {self.name}>"


class TrackerResponse(db.Model):
    """One resident's answers. Anonymous: no account, email or time of day is kept, only the date.
    Their "About you" answers are in TrackerAboutYou, which no column here points to."""
    __tablename__ = "tracker_responses"

    id = db.Column(db.Integer, primary_key=True)
    round_id = db.Column(db.Integer, db.ForeignKey("tracker_rounds.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="RESTRICT"), nullable=False, index=True)
    submitted_on = db.Column(db.Date, nullable=False, default=london_today)

    round = db.relationship("TrackerRound", back_populates="responses")
    ward = db.relationship("Ward")
    answers = db.relationship("TrackerAnswer", back_populates="response", cascade="all, delete-orphan",
                              passive_deletes=True)


class TrackerAnswer(db.Model):
    """One answered indicator; an indicator left blank has no row."""
    __tablename__ = "tracker_answers"

    id = db.Column(db.Integer, primary_key=True)
    response_id = db.Column(db.Integer, db.ForeignKey("tracker_responses.id", ondelete="CASCADE"),
                            nullable=False)
    indicator = db.Column(db.String(40), nullable=False)  # a code in app/tracker/indicators.py
    answer = db.Column(db.String(40), nullable=False)  # a choice code of that indicator

    response = db.relationship("TrackerResponse", back_populates="answers")

    __table_args__ = (db.UniqueConstraint("response_id", "indicator", name="uq_tracker_answers_response_indicator"),
                      db.Index("ix_tracker_answers_indicator_answer", "indicator", "answer"))


class TrackerAboutYou(db.Model):
    """Optional equality answers of one response, stored as consultations store theirs (docs/privacy.md):
    under a keyed hash of the response id, so a database dump can't line up someone's age band,
    disability and home with their ward, date and answers. Only the application, holding
    EQUALITY_KEY, matches the two, to count results by group."""
    __tablename__ = "tracker_about_you"
    # SQLite: rows in key order, not insertion order, so row order doesn't match the responses'.
    __table_args__ = {"sqlite_with_rowid": False}

    respondent_key = db.Column(db.String(64), primary_key=True)  # pseudonym(TRACKER_RESPONSE, response id)
    round_id = db.Column(db.Integer, db.ForeignKey("tracker_rounds.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    # Codes from app/common/equality.py, "prefer_not", or NULL when not answered.
    age_band = db.Column(db.String(20), nullable=True)
    disability = db.Column(db.String(20), nullable=True)
    tenure = db.Column(db.String(40), nullable=True)


class TrackerBenchmark(db.Model):
    """The national figure an officer entered for one indicator: the percentage agreeing, as published."""
    __tablename__ = "tracker_benchmarks"

    indicator = db.Column(db.String(40), primary_key=True)
    percent = db.Column(db.Numeric(4, 1), nullable=False)
    year = db.Column(db.String(20), nullable=False)  # survey year as published, e.g. "2023/24"
    source = db.Column(db.String(200), nullable=False, default="")  # e.g. publication name and table
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
