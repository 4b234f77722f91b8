"""Consultations, their questions, and residents' responses.

"About you" (equality monitoring) answers live in their own table, keyed by a pseudonym rather
than the response id, and are only ever reported in aggregate; they are never shown beside an
individual response.
"""
import secrets

from sqlalchemy import case, event
from sqlalchemy.orm import Session

from app.common.pseudonym import RESPONSE, pseudonym, pseudonyms

from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["Consultation", "Question", "QuestionOption", "Response", "Answer", "AboutYou",
           "Topic", "consultation_wards", "consultation_topics", "QUESTION_KINDS", "CHANNELS", "WORKFLOW_CHANNELS",
           "AUDIENCE_TAGS", "TEXT_KINDS", "ConsultationEvent", "HISTORY_ACTIONS", "ResponseImport", "ResponseImportDraft",
           "imported_responses"]

QUESTION_KINDS = {"free_text": "Free text", "single_choice": "Single choice",
                  "multiple_choice": "Multiple choice", "agreement": "Agreement scale (1 to 5)",
                  # More kinds (app/consultations/kinds/): each module adds its own key here.
                  "ranking": "Ranking", "grid": "Grid (several statements on one scale)",
                  "number": "Number", "date": "Date", "email": "Email address", "postcode": "Postcode",
                  "budget": "Budget allocation", "map": "Places on a map"}
# Counted option by option; place_rating is the Place Standard's 1-7 scale (app/places).
CHOICE_KINDS = ("single_choice", "multiple_choice", "agreement", "place_rating")
# Kinds the platform generates (a Place Standard round), never offered in the question builder.
GENERATED_KINDS = {"place_rating": "Place Standard rating (1 to 7)"}
OPTION_KINDS = ("single_choice", "multiple_choice", "ranking", "grid", "budget")  # officer lists options
# Kinds whose answers are written comments, read by the theme engine (a map place's comment too).
TEXT_KINDS = ("free_text", "map")
AGREEMENT_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree",
                    4: "Agree", 5: "Strongly agree"}
CHANNELS = {"online": "Online", "paper": "Paper form", "event": "Event or drop-in",
            "phone": "Phone", "group": "Group conversation (hosted by a community group)"}
# Channels whose responses only come from their own workflow (app/conversations), never typed
# in or imported by an officer.
WORKFLOW_CHANNELS = ("online", "group")
AUDIENCE_TAGS = ["Young people", "Older people", "Families", "Tenants",
                 "Housing association residents", "Leaseholders", "Disabled people",
                 "Businesses", "Community groups"]

consultation_wards = db.Table(
    "consultation_wards",
    db.Column("consultation_id", db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    db.Column("ward_id", db.Integer, db.ForeignKey("wards.id", ondelete="CASCADE"), primary_key=True),
)
consultation_topics = db.Table(
    "consultation_topics",
    db.Column("consultation_id", db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    db.Column("topic_id", db.Integer, db.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


HISTORY_ACTIONS = {"launched": "Launched", "closed": "Closed early", "reopened": "Reopened",
                   "published": "Results published", "returned_to_draft": "Returned to draft",
                   "ysyw_published": "“You said, we did” published",
                   "ysyw_withdrawn": "“You said, we did” withdrawn",
                   "ysyw_emails_cancelled": "Emails about “You said, we did” cancelled",
                   "responses_imported": "Responses imported from a CSV file",
                   "import_undone": "Import undone"}


class ConsultationEvent(db.Model):
    """One line of a consultation's history: who changed its state, when, and how. Kept as
    long as the consultation (unlike the security audit log, which is purged)."""

    __tablename__ = "consultation_events"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    action = db.Column(db.String(30), nullable=False)  # a key of HISTORY_ACTIONS
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    actor_name = db.Column(db.String(200))  # the name as it was, so history outlives the account
    detail = db.Column(db.String(300), nullable=False, default="")  # e.g. the new closing time

    @property
    def action_label(self):
        return HISTORY_ACTIONS.get(self.action, self.action)


class Topic(db.Model):
    """A subject residents filter by, e.g. "Parks and green spaces"."""

    __tablename__ = "topics"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False, unique=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)


class Consultation(db.Model):
    __tablename__ = "consultations"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.String(400), nullable=False, default="")
    body = db.Column(db.Text, nullable=False, default="")  # plain text; paragraphs split on blank lines
    borough_wide = db.Column(db.Boolean, nullable=False, default=True)  # else: only `wards`
    audience_tags = db.Column(db.JSON, nullable=False, default=list)  # names from AUDIENCE_TAGS
    # All times naive UTC. Null launched_at means draft (staff-only preview).
    launched_at = db.Column(db.DateTime)
    opens_at = db.Column(db.DateTime, nullable=False)
    closes_at = db.Column(db.DateTime, nullable=False)
    results_published_at = db.Column(db.DateTime)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    wards = db.relationship("Ward", secondary=consultation_wards, order_by="Ward.name")
    topics = db.relationship("Topic", secondary=consultation_topics, order_by="Topic.name")
    questions = db.relationship("Question", back_populates="consultation", order_by="Question.position",
                                cascade="all, delete-orphan")
    responses = db.relationship("Response", back_populates="consultation", lazy="dynamic",
                                cascade="all, delete-orphan", passive_deletes=True)
    created_by = db.relationship("User")
    history = db.relationship("ConsultationEvent", order_by="ConsultationEvent.occurred_at.desc(), "
                              "ConsultationEvent.id.desc()", cascade="all, delete-orphan",
                              passive_deletes=True)

    __table_args__ = (db.CheckConstraint("closes_at > opens_at", name="closes_after_opens"),)

    # --- lifecycle: draft -> scheduled -> open -> closed -> results published ---------------
    def status_at(self, now) -> str:
        if self.launched_at is None:
            return "draft"
        if self.results_published_at is not None:
            return "published"
        if now < self.opens_at:
            return "scheduled"
        if now < self.closes_at:
            return "open"
        return "closed"

    @property
    def status(self) -> str:
        return self.status_at(utcnow())

    @classmethod
    def status_expression(cls, now):
        """The same rule as status_at(), as SQL, for filtering lists."""
        return case(
            (cls.launched_at.is_(None), "draft"),
            (cls.results_published_at.is_not(None), "published"),
            (cls.opens_at > now, "scheduled"),
            (cls.closes_at > now, "open"),
            else_="closed",
        )

    @property
    def is_accepting_responses(self) -> bool:
        return self.status == "open"

    def launch(self):
        """Leave draft: it opens (or is scheduled) by time."""
        if self.launched_at is None:
            self.launched_at = utcnow()

    def unlaunch(self):
        """Back to draft; results published earlier must not reappear if it is launched again."""
        self.launched_at = None
        self.results_published_at = None

    def close(self):
        """Close early; a consultation otherwise closes at closes_at by itself."""
        now = utcnow()
        if self.status == "open":
            self.closes_at = max(now, self.opens_at.replace(microsecond=0))

    def reopen(self, closes_at):
        """Take responses again until a new closing time (a closed consultation whose results
        are not yet published)."""
        if self.status != "closed":
            raise ValueError("Only a closed consultation whose results are not published can be reopened")
        self.closes_at = closes_at

    def publish_results(self):
        if self.status != "closed":
            raise ValueError("Only a closed consultation can have its results published")
        self.results_published_at = utcnow()

    def concerns_ward(self, ward_id) -> bool:
        return self.borough_wide or any(w.id == ward_id for w in self.wards)

    @property
    def free_text_questions(self):
        return [q for q in self.questions if q.kind in TEXT_KINDS]

    @property
    def choice_questions(self):
        return [q for q in self.questions if q.kind in CHOICE_KINDS]

    def __repr__(self):
        return f"<Consultation {self.id} {self.title!r}>"


class Question(db.Model):
    __tablename__ = "questions"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=0)  # order shown, set by the officer
    kind = db.Column(db.String(20), nullable=False)  # a key of QUESTION_KINDS
    text = db.Column(db.String(500), nullable=False)
    hint = db.Column(db.String(500), nullable=False, default="")
    required = db.Column(db.Boolean, nullable=False, default=False)
    # Multiple choice only: the most options a resident may tick ("Choose up to three"); null = any.
    max_choices = db.Column(db.SmallInteger)
    # What the newer kinds need beyond options (app/consultations/kinds/): e.g. {"other": true}
    # on a choice question, {"min": 0, "max": 10, "whole": true} on a number, the scale of a
    # grid, the total of a budget. {} for the first four kinds.
    settings = db.Column(db.JSON, nullable=False, default=dict, server_default="{}")

    consultation = db.relationship("Consultation", back_populates="questions")
    options = db.relationship("QuestionOption", back_populates="question", order_by="QuestionOption.position",
                              cascade="all, delete-orphan")

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def kind_label(self) -> str:
        return QUESTION_KINDS.get(self.kind) or GENERATED_KINDS.get(self.kind, self.kind)

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def kind_template(self) -> str | None:
        """The template with a registered kind's field and results macros (None: the first four)."""
        from app.consultations.kinds import kind_for  # here: the kinds import these models
        kind = kind_for(self)
        return kind.template if kind is not None else None

    def setting(self, name, default=None):
        return (self.settings or {}).get(name, default)

    def choice_labels(self) -> list[tuple[str, str]]:
        """(value, label) pairs a resident can pick, including the agreement scale."""
        if self.kind == "agreement":
            return [(str(v), label) for v, label in AGREEMENT_LABELS.items()]
        if self.kind == "place_rating":  # the Place Standard's 1-7 scale (app/places)
            from app.places.themes import RATING_LABELS
            return [(str(v), label) for v, label in RATING_LABELS.items()]
        return [(str(o.id), o.label) for o in self.options]


class QuestionOption(db.Model):
    __tablename__ = "question_options"

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    label = db.Column(db.String(200), nullable=False)

    question = db.relationship("Question", back_populates="options")


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over the phone
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(2))


class Response(db.Model):
    __tablename__ = "responses"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True)
    reference = db.Column(db.String(12), nullable=False, unique=True, default=_new_reference)  # shown to the resident
    # Set when a signed-in resident responds: one response each, editable until close.
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    channel = db.Column(db.String(10), nullable=False, default="online")  # a key of CHANNELS
    entered_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))  # officer, for paper/event/phone
    collected_on = db.Column(db.Date)  # paper/event/phone: when the person answered (UK date); online: None
    # "Keep me informed" (You said, we did / action progress emails); email kept only if ticked.
    keep_informed = db.Column(db.Boolean, nullable=False, default=False)
    contact_email = db.Column(db.String(254))
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(db.DateTime)
    # A one-time key carried by the form that created this response: the same form sent again
    # (a double click, a retry after a timeout) finds this response instead of making another.
    submission_key = db.Column(db.String(64), unique=True)

    consultation = db.relationship("Consultation", back_populates="responses")
    answers = db.relationship("Answer", back_populates="response", cascade="all, delete-orphan",
                              passive_deletes=True)
    user = db.relationship("User", foreign_keys=[user_id])
    entered_by = db.relationship("User", foreign_keys=[entered_by_id])

    __table_args__ = (db.UniqueConstraint("consultation_id", "user_id", name="one_response_per_user"),)


class Answer(db.Model):
    """One answer; a multiple-choice question has one row per ticked option.

    The newer kinds (app/consultations/kinds/) reuse these columns: ranking and grid have a row
    per option with its rank or scale point in scale_value; budget a row per item with the amount
    in `number`; "Other – please specify" a row with `text` and no option; email and postcode
    keep the (normalised) text.
    """

    __tablename__ = "answers"

    id = db.Column(db.Integer, primary_key=True)
    response_id = db.Column(db.Integer, db.ForeignKey("responses.id", ondelete="CASCADE"), nullable=False, index=True)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True)
    text = db.Column(db.Text)  # free text
    option_id = db.Column(db.Integer, db.ForeignKey("question_options.id", ondelete="CASCADE"))  # single/multiple choice
    scale_value = db.Column(db.SmallInteger)  # agreement scale 1..5; a rank; a grid's scale point
    number = db.Column(db.Float)  # number questions; a budget item's amount
    date_value = db.Column(db.Date)  # date questions

    response = db.relationship("Response", back_populates="answers")
    question = db.relationship("Question")
    option = db.relationship("QuestionOption")


class AboutYou(db.Model):
    """Optional equality-monitoring answers. Reported only in aggregate with small numbers hidden.

    No column points at the response: the row is stored under a keyed hash of the response id
    (app/common/pseudonym.py), so only the application, holding EQUALITY_KEY, can match the two
    (to cross-tabulate, to show a resident their own answers, to erase them). A database dump
    can't join "About you" to a contact email or an account. See docs/privacy.md.
    """

    __tablename__ = "about_you"
    # SQLite: store rows in key order rather than insertion order, so the file's row order
    # doesn't line rows up with the responses they belong to.
    __table_args__ = {"sqlite_with_rowid": False}

    respondent_key = db.Column(db.String(64), primary_key=True)  # pseudonym(RESPONSE, response id)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True)
    # Each holds a code from app/common/equality.py, "prefer_not" or null (not answered).
    age_band = db.Column(db.String(20))
    sex = db.Column(db.String(20))
    ethnic_group = db.Column(db.String(40))
    disability = db.Column(db.String(20))
    tenure = db.Column(db.String(40))
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="SET NULL"))

    # Not stored: the response id, known in memory when the app made or matched the row.
    response_id = None

    def __init__(self, response_id=None, **values):
        super().__init__(**values)
        if response_id is not None:
            self.respondent_key = respondent_key(response_id)
            self.response_id = response_id

    @classmethod
    def for_response(cls, response_id) -> "AboutYou | None":
        about = db.session.get(cls, respondent_key(response_id))
        if about is not None:
            about.response_id = response_id
        return about

    @classmethod
    def for_responses(cls, consultation_id, response_ids) -> dict[int, "AboutYou"]:
        """{response id: row} for those of `response_ids` who answered "About you". The match is
        made here, in the application, with the key; the database is never asked to join."""
        wanted = pseudonyms(RESPONSE, response_ids)
        found = {}
        for about in db.session.scalars(db.select(cls).where(cls.consultation_id == consultation_id)):
            response_id = wanted.get(about.respondent_key)
            if response_id is not None:
                about.response_id = response_id
                found[response_id] = about
        return found


def respondent_key(response_id) -> str:
    return pseudonym(RESPONSE, response_id)


@event.listens_for(Session, "after_flush")
def _erase_about_you_with_response(session, _context):
    """A response deleted through the ORM takes its "About you" row with it (erasure); a
    consultation deleted takes all of them through the consultation_id foreign key."""
    keys = [respondent_key(obj.id) for obj in session.deleted if isinstance(obj, Response)]
    if keys:
        session.connection().execute(AboutYou.__table__.delete().where(AboutYou.__table__.c.respondent_key.in_(keys)))


# Which import brought each imported response in (a table of its own rather than a column on
# `responses`: adding one to that table would rebuild it on SQLite, and the rebuild's DROP TABLE
# cascades to every answer).
imported_responses = db.Table(
    "imported_responses",
    db.Column("response_id", db.Integer, db.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True),
    db.Column("import_id", db.Integer, db.ForeignKey("response_imports.id", ondelete="CASCADE"), nullable=False,
              index=True),
)


class ResponseImport(db.Model):
    """Responses brought in together from one CSV file (paper forms, emails, an event's notes).

    Kept after it is undone (its responses deleted), so the import page and the consultation's
    history still say what happened.
    """

    __tablename__ = "response_imports"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    file_name = db.Column(db.String(200), nullable=False, default="")  # as the officer's computer named it
    row_count = db.Column(db.Integer, nullable=False, default=0)  # responses created
    channel_counts = db.Column(db.JSON, nullable=False, default=dict)  # {key of CHANNELS: responses}
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name = db.Column(db.String(200))  # the name as it was, so the list outlives the account
    undone_at = db.Column(db.DateTime)  # set when its responses were deleted
    undone_by_name = db.Column(db.String(200))

    consultation = db.relationship("Consultation")
    responses = db.relationship("Response", secondary=imported_responses, lazy="dynamic", passive_deletes=True)

    @property
    def channel_summary(self) -> str:
        return ", ".join(f"{CHANNELS.get(key, key)} {count}" for key, count in sorted(self.channel_counts.items()))

    def mark_undone(self, actor):
        self.undone_at = utcnow()
        self.undone_by_name = getattr(actor, "name", None)


class ResponseImportDraft(db.Model):
    """A checked responses CSV waiting for its officer to press "Import".

    Kept on the server rather than sent back through the browser (as action-plan drafts are), so
    the file confirmed is the file checked. Deleted on import; stale ones go when the next file
    is checked.
    """

    __tablename__ = "response_import_drafts"

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(64), nullable=False, unique=True)  # random, unguessable
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    file_name = db.Column(db.String(200), nullable=False, default="")
    csv_text = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
