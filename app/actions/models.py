"""Action plans (plan -> priority -> objective -> numbered action) and "You said, we did".

An action carries its milestones and dated progress updates. A "You said, we did" page belongs
to one closed consultation and holds one officer response per theme or group of themes.
"""
from datetime import date

from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["ActionPlan", "Action", "Milestone", "ProgressUpdate", "YouSaidWeDid", "ThemeResponse", "YsywVersion",
           "ImportDraft", "PlanEvent", "ysyw_response_themes", "ACTION_STATUSES", "RESPONSE_KINDS"]

ACTION_STATUSES = {"not_started": "Not started", "on_track": "On track", "at_risk": "At risk",
                   "completed": "Completed", "cant_proceed": "Can't proceed"}
# GOV.UK tag colour for each status.
STATUS_TAG_CLASSES = {"not_started": "govuk-tag--grey", "on_track": "govuk-tag--green",
                      "at_risk": "govuk-tag--orange", "completed": "govuk-tag--blue",
                      "cant_proceed": "govuk-tag--red"}
# Chart colour for each status, matching its tag (GOV.UK colour palette), so a status keeps its
# colour whichever statuses a chart happens to show.
STATUS_CHART_COLOURS = {"not_started": "#505a5f", "on_track": "#00703c", "at_risk": "#f47738",
                        "completed": "#1d70b8", "cant_proceed": "#d4351c"}
# "set_aside": a theme only one comment raised, not answered on its own, with the reason why.
RESPONSE_KINDS = {"we_did": "We did", "we_are_doing": "We are doing", "we_cant": "We can't",
                  "set_aside": "Set aside"}


class ActionPlan(db.Model):
    __tablename__ = "action_plans"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)  # e.g. "Fairer Action Plan 2025 to 2029"
    summary = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # False = a draft only staff see. The import sets it False; plans made any other way (demo
    # data, plans that existed before drafts) are public, as they always were.
    published = db.Column(db.Boolean, nullable=False, default=True)

    actions = db.relationship("Action", back_populates="plan", order_by="Action.position",
                              cascade="all, delete-orphan")
    events = db.relationship("PlanEvent", back_populates="plan", passive_deletes=True,
                             order_by="[PlanEvent.occurred_at.desc(), PlanEvent.id.desc()]")

    @property
    def priorities(self) -> list[str]:
        """Priorities in the order they first appear in the plan."""
        return _priorities(self.actions)

    @property
    def public_actions(self) -> list["Action"]:
        """The actions residents see: none while the plan is a draft, never hidden ones."""
        return [a for a in self.actions if a.published] if self.published else []

    @property
    def public_priorities(self) -> list[str]:
        return _priorities(self.public_actions)


def _priorities(actions) -> list[str]:
    seen = []
    for action in actions:
        if action.priority not in seen:
            seen.append(action.priority)
    return seen


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
    # False = unpublished by an officer: gone from public pages and the API, kept for staff.
    published = db.Column(db.Boolean, nullable=False, default=True)

    plan = db.relationship("ActionPlan", back_populates="actions")
    portfolio_holder = db.relationship("User")
    milestones = db.relationship("Milestone", back_populates="action", cascade="all, delete-orphan",
                                 order_by="[Milestone.target_date.asc().nulls_last(), Milestone.id]")
    updates = db.relationship("ProgressUpdate", back_populates="action", cascade="all, delete-orphan",
                              order_by="[ProgressUpdate.update_date.desc(), ProgressUpdate.id.desc()]")

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

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)

    @property
    def status_tag_class(self) -> str:
        return STATUS_TAG_CLASSES.get(self.status, "")

    @property
    def display_title(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_public(self) -> bool:
        """Shown on public pages and in the API: published, in a published plan."""
        return bool(self.published and self.plan is not None and self.plan.published)

    # Unpublished milestones and updates count nowhere, for staff as for residents: the summary
    # figures (last update, percent, overdue) then always match what the public page says.
    @property
    def public_milestones(self) -> list["Milestone"]:
        return [m for m in self.milestones if m.published]

    @property
    def public_updates(self) -> list["ProgressUpdate"]:
        return [u for u in self.updates if u.published]

    @property
    def last_update(self):
        return next(iter(self.public_updates), None)

    @property
    def latest_percent(self):
        return next((u.percent for u in self.public_updates if u.percent is not None), None)

    def overdue_milestones(self, today: date) -> list["Milestone"]:
        return [m for m in self.public_milestones if m.is_overdue(today)]

    def text_for_matching(self) -> str:
        return "\n".join(filter(None, [self.title, self.description, self.objective, self.how_we_will_know]))


class Milestone(db.Model):
    __tablename__ = "action_milestones"

    id = db.Column(db.Integer, primary_key=True)
    action_id = db.Column(db.Integer, db.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True)
    title = db.Column(db.String(300), nullable=False)
    period_text = db.Column(db.String(80), nullable=False, default="")  # as published, e.g. "April to June 2026"
    target_date = db.Column(db.Date)  # end of the period; null when the plan gave no recognisable date
    completed_on = db.Column(db.Date)  # when it was met; null = not met yet
    published = db.Column(db.Boolean, nullable=False, default=True)  # False = staff only

    action = db.relationship("Action", back_populates="milestones")

    def is_overdue(self, today: date) -> bool:
        return self.completed_on is None and self.target_date is not None and self.target_date < today

    @property
    def met_late(self) -> bool:
        return bool(self.completed_on and self.target_date and self.completed_on > self.target_date)

    def mark_met(self, on: date):
        self.completed_on = on


class ProgressUpdate(db.Model):
    __tablename__ = "action_updates"

    id = db.Column(db.Integer, primary_key=True)
    action_id = db.Column(db.Integer, db.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True)
    update_date = db.Column(db.Date, nullable=False)  # the date the update reports on (London)
    text = db.Column(db.Text, nullable=False)
    percent = db.Column(db.SmallInteger)  # optional 0..100 "how far along"
    author_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    published = db.Column(db.Boolean, nullable=False, default=True)  # False = staff only

    action = db.relationship("Action", back_populates="updates")
    author = db.relationship("User")

    __table_args__ = (db.CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)",
                                         name="percent_range"),)


ysyw_response_themes = db.Table(
    "ysyw_response_themes",
    db.Column("response_id", db.Integer, db.ForeignKey("ysyw_responses.id", ondelete="CASCADE"), primary_key=True),
    # Unique: a theme gets exactly one response on its page.
    db.Column("theme_id", db.Integer, db.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True,
              unique=True),
)


class YouSaidWeDid(db.Model):
    """The "You said, we did" page of one consultation; public once published_at is set."""

    __tablename__ = "ysyw_pages"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, unique=True)
    summary = db.Column(db.Text, nullable=False, default="")  # officer's introduction, plain text
    published_at = db.Column(db.DateTime)
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    consultation = db.relationship("Consultation")
    published_by = db.relationship("User")
    responses = db.relationship("ThemeResponse", back_populates="page", cascade="all, delete-orphan",
                                order_by="ThemeResponse.position, ThemeResponse.id")
    versions = db.relationship("YsywVersion", cascade="all, delete-orphan", order_by="YsywVersion.number")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publish(self, user):
        self.published_at, self.published_by = utcnow(), user

    def withdraw(self):
        """Take the page down; its responses stay, ready to be corrected and published again."""
        self.published_at = None


class YsywVersion(db.Model):
    """One published state of a "You said, we did" page, kept so its public history shows what
    changed and when: a version at each publication and each change to a published page."""

    __tablename__ = "ysyw_versions"

    id = db.Column(db.Integer, primary_key=True)
    page_id = db.Column(db.Integer, db.ForeignKey("ysyw_pages.id", ondelete="CASCADE"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)  # 1, 2, ... per page
    note = db.Column(db.String(300), nullable=False)  # what changed, shown to the public
    # The page as residents saw it: {"summary", "responses": [{"themes", "kind", "kind_label",
    # "text", "action_id", "action_title"}]}.
    content = db.Column(db.JSON, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (db.UniqueConstraint("page_id", "number"),)


class ThemeResponse(db.Model):
    """What the council did about one theme or a group of themes."""

    __tablename__ = "ysyw_responses"

    id = db.Column(db.Integer, primary_key=True)
    page_id = db.Column(db.Integer, db.ForeignKey("ysyw_pages.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    kind = db.Column(db.String(20), nullable=False)  # a key of RESPONSE_KINDS
    # What we did / are doing, or for "we_cant" the reason why not (for "set_aside", why the
    # one-comment theme is not answered on its own). Plain text.
    text = db.Column(db.Text, nullable=False)
    action_id = db.Column(db.Integer, db.ForeignKey("actions.id", ondelete="SET NULL"), index=True)  # we_are_doing
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    page = db.relationship("YouSaidWeDid", back_populates="responses")
    action = db.relationship("Action")
    themes = db.relationship("Theme", secondary=ysyw_response_themes, order_by="Theme.size.desc()")

    @property
    def kind_label(self) -> str:
        return RESPONSE_KINDS.get(self.kind, self.kind)


class ImportDraft(db.Model):
    """A checked plan CSV waiting for its officer to confirm the import.

    Kept here rather than sent back through the browser: a large file would exceed the form size
    limit, and the confirm step can't be handed a different file. Deleted on import; stale ones
    are removed when the next file is checked.
    """

    __tablename__ = "action_import_drafts"

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(64), nullable=False, unique=True)  # random, unguessable
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    csv_text = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)


class PlanEvent(db.Model):
    """One line of a plan's history: imported, published, unpublished or deleted, by whom, when.

    The text names the item in words (e.g. "Deleted action 2.3 Light the routes") so the line
    still reads right once the item itself is gone. A deleted plan's events keep its title and
    lose the link to it.
    """

    __tablename__ = "action_plan_events"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("action_plans.id", ondelete="SET NULL"), index=True)
    plan_title = db.Column(db.String(200), nullable=False)  # as it was, for when the plan is deleted
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    user_name = db.Column(db.String(200), nullable=False, default="")  # kept if the account goes
    verb = db.Column(db.String(12), nullable=False)  # imported|published|unpublished|deleted
    text = db.Column(db.String(600), nullable=False)

    plan = db.relationship("ActionPlan", back_populates="events")
    user = db.relationship("User")
