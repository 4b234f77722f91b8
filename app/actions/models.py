"""Action plans: plan -> priority -> objective -> numbered action (extended by the action-plan work)."""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["ActionPlan", "Action", "ACTION_STATUSES"]

ACTION_STATUSES = {"not_started": "Not started", "on_track": "On track", "at_risk": "At risk",
                   "completed": "Completed", "cant_proceed": "Can't proceed"}


class ActionPlan(db.Model):
    __tablename__ = "action_plans"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)  # e.g. "Fairer Action Plan 2025 to 2029"
    summary = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    actions = db.relationship("Action", back_populates="plan", order_by="Action.position",
                              cascade="all, delete-orphan")


class Action(db.Model):
    __tablename__ = "actions"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("action_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    priority = db.Column(db.String(200), nullable=False, default="")  # the plan's aim or priority
    objective = db.Column(db.Text, nullable=False, default="")
    number = db.Column(db.String(20), nullable=False, default="")  # as published, e.g. "2.3"
    title = db.Column(db.String(300), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    how_we_will_know = db.Column(db.Text, nullable=False, default="")  # progress measures
    portfolio_holder_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))  # cabinet councillor
    lead_officer = db.Column(db.String(200), nullable=False, default="")
    timescale = db.Column(db.String(120), nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default="not_started")  # a key of ACTION_STATUSES
    status_reason = db.Column(db.Text)  # required, and shown publicly, when status is cant_proceed
    status_changed_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    plan = db.relationship("ActionPlan", back_populates="actions")
    portfolio_holder = db.relationship("User")

    def set_status(self, status: str, reason: str | None = None):
        if status not in ACTION_STATUSES:
            raise ValueError(f"Unknown status {status}")
        if status == "cant_proceed" and not (reason or "").strip():
            raise ValueError("Say why this action can't proceed")
        changed = status != self.status
        self.status = status
        self.status_reason = reason.strip() if status == "cant_proceed" else None
        if changed:
            self.status_changed_at = utcnow()
        return changed

    def text_for_matching(self) -> str:
        return "\n".join(filter(None, [self.title, self.description, self.objective, self.how_we_will_know]))
