"""A consultation made from the tenant perception survey template, which of its questions is
which measure, and the Tenant Board's reviews of the plan that answers it."""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["TenantSurvey", "TenantSurveyItem", "TenantBoardReview"]

ITEM_KINDS = ("landlord", "estate", "filter", "measure", "anything_else")


class TenantSurvey(db.Model):
    """Marks a consultation as a tenant perception survey. The consultation, its questions and
    responses are ordinary ones; this and its items say what each question measures."""

    __tablename__ = "tenant_surveys"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    consultation = db.relationship("Consultation")
    items = db.relationship("TenantSurveyItem", back_populates="survey", cascade="all, delete-orphan",
                            passive_deletes=True)
    reviews = db.relationship("TenantBoardReview", back_populates="survey", cascade="all, delete-orphan",
                              passive_deletes=True, order_by="TenantBoardReview.created_at.desc(), "
                                                           "TenantBoardReview.id.desc()")

    def question_for(self, kind, key=None):
        for item in self.items:
            if item.kind == kind and item.key == key:
                return item.question
        return None


class TenantSurveyItem(db.Model):
    """One generated question and its role in the survey."""

    __tablename__ = "tenant_survey_items"

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(db.Integer, db.ForeignKey("tenant_surveys.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False,
                            unique=True)
    kind = db.Column(db.String(20), nullable=False)  # one of ITEM_KINDS
    # measure: "TP01".."TP12"; filter: a key of tsm.FILTERS; else null
    key = db.Column(db.String(20))

    survey = db.relationship("TenantSurvey", back_populates="items")
    question = db.relationship("Question")


class TenantBoardReview(db.Model):
    """A Tenant Board member's review of the action plan that answers a survey: a note, and
    whether they sign the plan off. Kept as a history: each review is a new row."""

    __tablename__ = "tenant_board_reviews"

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(db.Integer, db.ForeignKey("tenant_surveys.id", ondelete="CASCADE"), nullable=False,
                          index=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("action_plans.id", ondelete="SET NULL"))
    plan_title = db.Column(db.String(200), nullable=False, default="")  # as it was, if the plan goes
    note = db.Column(db.Text, nullable=False)
    signed_off = db.Column(db.Boolean, nullable=False, default=False)  # the board agrees the plan answers the survey
    reviewer_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_name = db.Column(db.String(200), nullable=False)  # the name as it was
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    survey = db.relationship("TenantSurvey", back_populates="reviews")
    plan = db.relationship("ActionPlan")
