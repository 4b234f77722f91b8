"""Themes found in the free-text answers to one question, and their links to council actions.

Themes belong to a question, not to one analysis run: a re-run updates them in place so an
officer's renames, merges and "not relevant" marks survive.
"""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["ThemeAnalysis", "Theme", "ThemeAssignment", "ThemeActionLink"]


class ThemeAnalysis(db.Model):
    """One run of the theme engine over a question's answers (a background job)."""

    __tablename__ = "theme_analyses"

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True)
    status = db.Column(db.String(12), nullable=False, default="queued")  # queued|running|done|failed
    progress = db.Column(db.Integer, nullable=False, default=0)  # percent, shown while running
    message = db.Column(db.String(255), nullable=False, default="")  # current step or error for officers
    requested_themes = db.Column(db.Integer)  # null = chosen automatically
    seed = db.Column(db.Integer, nullable=False, default=0)
    # The officer asked to group every comment afresh; otherwise a run starts from the previous
    # run's themes when it can (warm_started says whether it did: see docs/themes.md).
    fresh = db.Column(db.Boolean, nullable=False, default=False)
    warm_started = db.Column(db.Boolean, nullable=False, default=False)
    comment_count = db.Column(db.Integer, nullable=False, default=0)
    non_answer_count = db.Column(db.Integer, nullable=False, default=0)
    seconds = db.Column(db.Float)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    finished_at = db.Column(db.DateTime)
    # Answer ids the engine set aside as non-answers ("n/a", "nothing"), and groups of answer ids
    # whose text is the same or nearly so (campaign or copy-paste responses), largest first.
    non_answer_ids = db.Column(db.JSON, nullable=False, default=list)
    duplicate_groups = db.Column(db.JSON, nullable=False, default=list)
    # Answers clearly not in English, set aside for someone who reads the language rather than
    # forced into English themes: {"<answer id>": "<ISO 639-1 code>"} (JSON keys are strings).
    language_ids = db.Column(db.JSON, nullable=False, default=dict)
    # The fitted engine (opaque bytes from app/themes/engine.py) and, by the engine's theme
    # number, the Theme.id it became: together they place answers that arrive after the run
    # without re-clustering. Null for a failed run or if the engine could not be saved.
    model_state = db.Column(db.LargeBinary)
    theme_ids = db.Column(db.JSON, nullable=False, default=list)

    question = db.relationship("Question")

    @property
    def is_finished(self) -> bool:
        return self.status in ("done", "failed")

    def start(self, message="Starting"):
        self.status, self.progress, self.message = "running", 1, message

    def report(self, progress: int, message: str):
        self.progress, self.message = max(0, min(99, int(progress))), message[:255]

    def succeed(self, seconds: float):
        self.status, self.progress, self.message = "done", 100, "Finished"
        self.seconds, self.finished_at = seconds, utcnow()

    def fail(self, message: str):
        self.status, self.message, self.finished_at = "failed", message[:255], utcnow()


class Theme(db.Model):
    __tablename__ = "themes"

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True)
    label = db.Column(db.String(120), nullable=False)  # the engine's label
    officer_label = db.Column(db.String(120))  # an officer's rename; wins over `label` and survives re-runs
    keywords = db.Column(db.JSON, nullable=False, default=list)
    size = db.Column(db.Integer, nullable=False, default=0)  # comments whose first theme this is
    # Answer ids of the most representative comments, best first.
    examples = db.Column(db.JSON, nullable=False, default=list)
    # What the engine needs to recognise this theme in a later run (e.g. centroid, key terms).
    signature = db.Column(db.JSON, nullable=False, default=dict)
    # One sentence from the theme's most representative comment, personal details removed:
    # always a resident's own words, never generated text.
    description = db.Column(db.String(400), nullable=False, default="")
    # How alike the theme's comments are, 0..1 (null before this was measured); `weak` is set
    # when the engine found the theme to be a mix or its coherence low: the officer checks it.
    coherence = db.Column(db.Float)
    weak = db.Column(db.Boolean, nullable=False, default=False)
    merged_into_id = db.Column(db.Integer, db.ForeignKey("themes.id", ondelete="SET NULL"))  # set when merged away
    not_relevant = db.Column(db.Boolean, nullable=False, default=False)  # officer: noise, hide from reports
    # Set on the parts an officer split off this theme: the parts are an officer's decision, so
    # a re-run keeps them and shares their comments out again (see services._store_fit).
    split_from_id = db.Column(db.Integer, db.ForeignKey("themes.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    question = db.relationship("Question")
    merged_into = db.relationship("Theme", remote_side=[id], foreign_keys=[merged_into_id])
    split_from = db.relationship("Theme", remote_side=[id], foreign_keys=[split_from_id])
    action_links = db.relationship("ThemeActionLink", back_populates="theme", cascade="all, delete-orphan")

    @property
    def display_label(self) -> str:
        return self.officer_label or self.label

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None and not self.not_relevant


class ThemeAssignment(db.Model):
    """A comment (a free-text answer) in a theme; rank 1 is its main theme, ranks 2, 3, ... the
    other themes it clearly raises, closest first."""

    __tablename__ = "theme_assignments"

    id = db.Column(db.Integer, primary_key=True)
    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False, index=True)
    theme_id = db.Column(db.Integer, db.ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True)
    rank = db.Column(db.SmallInteger, nullable=False, default=1)
    score = db.Column(db.Float)
    by_officer = db.Column(db.Boolean, nullable=False, default=False)  # a manual move: kept on re-run

    answer = db.relationship("Answer")
    theme = db.relationship("Theme")

    __table_args__ = (db.UniqueConstraint("answer_id", "rank", name="one_theme_per_rank"),)


class ThemeActionLink(db.Model):
    """A suggested or officer-decided link between a theme and a council action."""

    __tablename__ = "theme_action_links"

    id = db.Column(db.Integer, primary_key=True)
    theme_id = db.Column(db.Integer, db.ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True)
    action_id = db.Column(db.Integer, db.ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True)
    score = db.Column(db.Float)  # engine's similarity 0..1; null when an officer added it by hand
    status = db.Column(db.String(12), nullable=False, default="suggested")  # suggested|confirmed|rejected
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = db.Column(db.DateTime)

    theme = db.relationship("Theme", back_populates="action_links")
    action = db.relationship("Action")
    decided_by = db.relationship("User")

    __table_args__ = (db.UniqueConstraint("theme_id", "action_id", name="one_link_per_pair"),)

    def confirm(self, user):
        self.status, self.decided_by, self.decided_at = "confirmed", user, utcnow()

    def reject(self, user):
        self.status, self.decided_by, self.decided_at = "rejected", user, utcnow()
