"""Citizens' Panel: members, anonymous join/leave counts, census reference figures, draws.

Personal data lives only in PanelMember (and the topic links that cascade with it), and their
equality answers in PanelEquality under a pseudonym of the member id. Leaving the panel deletes
both; draws keep an anonymous DrawSelection row with member_id set to NULL.
"""
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_dirty

from app.common.pseudonym import PANEL_MEMBER, pseudonym
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["PanelMember", "PanelEquality", "PanelStats", "CensusReference", "Draw", "DrawSelection", "PanelMailout",
           "panel_member_topics"]

UNCONFIRMED, ACTIVE, PAUSED = "unconfirmed", "active", "paused"
CONTACT_METHODS = [("email", "Email"), ("phone", "Phone call"), ("text", "Text message")]

panel_member_topics = db.Table(
    "panel_member_topics",
    db.Column("member_id", db.Integer, db.ForeignKey("panel_members.id", ondelete="CASCADE"), primary_key=True),
    db.Column("topic_id", db.Integer, db.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class PanelMember(db.Model):
    __tablename__ = "panel_members"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(254), nullable=False, unique=True)  # stored lower case
    phone = db.Column(db.String(30))
    # For text messages (contact_method "text", offered only when GOV.UK Notify is set up): a UK
    # mobile in E.164 form ("+447911123456"), checked with phonenumbers.
    mobile = db.Column(db.String(16))
    address_line = db.Column(db.String(200))  # first line of address; only for the household rule
    postcode = db.Column(db.String(8), nullable=False)  # normalised ("NB1 2AB")
    # Lower-cased address line + postcode with punctuation removed: one person per household
    # per draw. Null when no address line was given (the person is their own household).
    household_key = db.Column(db.String(220), index=True)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="SET NULL"), index=True)
    age_band = db.Column(db.String(20), nullable=False)  # code from app/common/equality.py
    contact_method = db.Column(db.String(10), nullable=False, default="email")  # key of CONTACT_METHODS
    access_needs = db.Column(db.Text, nullable=False, default="")
    panel_consent_at = db.Column(db.DateTime, nullable=False)  # when they ticked the panel consent
    # Equality answers are kept only when equality_consent is true; each holds a code, "prefer_not"
    # or null (not answered).
    equality_consent = db.Column(db.Boolean, nullable=False, default=False)
    equality_consent_at = db.Column(db.DateTime)  # when they said yes; null when they haven't (or withdrew)
    # sex, ethnic_group, disability and tenure are properties below: they live in PanelEquality,
    # under a pseudonym of the member id, never in this row.
    status = db.Column(db.String(12), nullable=False, default=UNCONFIRMED, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    confirmed_at = db.Column(db.DateTime)
    paused_at = db.Column(db.DateTime)

    ward = db.relationship("Ward")
    topics = db.relationship("Topic", secondary=panel_member_topics, order_by="Topic.name")

    @property
    def texts(self) -> bool:
        return self.contact_method == "text" and bool(self.mobile)

    @property
    def is_member(self) -> bool:
        return self.status in (ACTIVE, PAUSED)

    def confirm(self):
        if self.status == UNCONFIRMED:
            self.status = ACTIVE
            self.confirmed_at = utcnow()

    def pause(self):
        if self.status == ACTIVE:
            self.status = PAUSED
            self.paused_at = utcnow()

    def resume(self):
        if self.status == PAUSED:
            self.status = ACTIVE
            self.paused_at = None

    def set_equality(self, consent: bool, answers: dict):
        """Answers are dropped unless the person agreed to give them."""
        if consent and not self.equality_consent_at:
            self.equality_consent_at = utcnow()
        elif not consent:
            self.equality_consent_at = None
        self.equality_consent = consent
        for key in EQUALITY_FIELDS:
            setattr(self, key, (answers.get(key) or None) if consent else None)

    # --- equality answers, kept in PanelEquality -----------------------------------------
    # Read lazily (or for many members at once with PanelEquality.load) and written after the
    # flush that gives the member an id; see _write_panel_equality below.
    def _equality(self) -> dict:
        cached = self.__dict__.get("_equality_values")
        if cached is None:
            row = db.session.get(PanelEquality, member_key(self.id)) if self.id is not None else None
            cached = {k: getattr(row, k) if row else None for k in EQUALITY_FIELDS}
            self.__dict__["_equality_values"] = cached
        return cached

    def _set_equality_value(self, key, value):
        self._equality()[key] = value or None
        self.__dict__["_equality_changed"] = True
        flag_dirty(self)  # so the next flush sees this member even if nothing else changed

    sex = property(lambda self: self._equality()["sex"], lambda self, v: self._set_equality_value("sex", v))
    ethnic_group = property(lambda self: self._equality()["ethnic_group"],
                            lambda self, v: self._set_equality_value("ethnic_group", v))
    disability = property(lambda self: self._equality()["disability"],
                          lambda self, v: self._set_equality_value("disability", v))
    tenure = property(lambda self: self._equality()["tenure"], lambda self, v: self._set_equality_value("tenure", v))


EQUALITY_FIELDS = ("sex", "ethnic_group", "disability", "tenure")


def member_key(member_id) -> str:
    return pseudonym(PANEL_MEMBER, member_id)


class PanelEquality(db.Model):
    """A panel member's equality answers (given only with their consent), apart from their name
    and address. The key is pseudonym(PANEL_MEMBER, member id): the application, holding
    EQUALITY_KEY, reads it for the stratified lottery and the representativeness report; the
    database alone can't say whose answers these are. See docs/privacy.md."""

    __tablename__ = "panel_equality"
    __table_args__ = {"sqlite_with_rowid": False}  # row order in the file says nothing (SQLite)

    member_key = db.Column(db.String(64), primary_key=True)
    sex = db.Column(db.String(20))
    ethnic_group = db.Column(db.String(40))
    disability = db.Column(db.String(20))
    tenure = db.Column(db.String(40))

    @classmethod
    def load(cls, members) -> list:
        """Read the answers of many members in a few queries (the lottery and the report)."""
        members = [m for m in members if m.id is not None and "_equality_values" not in m.__dict__]
        by_key = {member_key(m.id): m for m in members}
        keys = list(by_key)
        found = {}
        for start in range(0, len(keys), 500):
            for row in db.session.scalars(db.select(cls).where(cls.member_key.in_(keys[start:start + 500]))):
                found[row.member_key] = row
        for key, member in by_key.items():
            row = found.get(key)
            member.__dict__["_equality_values"] = {k: getattr(row, k) if row else None for k in EQUALITY_FIELDS}
        return members


@event.listens_for(PanelMember, "expire")
def _forget_cached_equality(member, attributes):
    """Expired (e.g. after a commit): read the answers again next time, unless some are unsaved."""
    if member is None:  # the object itself has already gone (garbage collected)
        return
    if attributes is None and not member.__dict__.get("_equality_changed"):
        member.__dict__.pop("_equality_values", None)


@event.listens_for(Session, "after_flush")
def _write_panel_equality(session, _context):
    """Store changed answers once the member has an id, and erase them with the member."""
    table = PanelEquality.__table__
    connection = None
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, PanelMember) and obj.__dict__.pop("_equality_changed", False) and obj.id is not None:
            connection = connection or session.connection()
            key = member_key(obj.id)
            values = obj.__dict__["_equality_values"]
            connection.execute(table.delete().where(table.c.member_key == key))
            if any(values.values()):
                connection.execute(table.insert().values(member_key=key, **values))
    deleted = [member_key(obj.id) for obj in session.deleted if isinstance(obj, PanelMember)]
    if deleted:
        (connection or session.connection()).execute(table.delete().where(table.c.member_key.in_(deleted)))


class PanelStats(db.Model):
    """Anonymous monthly counts that survive erasure: how many joined, left or were purged."""

    __tablename__ = "panel_stats"

    id = db.Column(db.Integer, primary_key=True)
    month = db.Column(db.String(7), nullable=False)  # "2026-05" (UTC)
    event = db.Column(db.String(12), nullable=False)  # joined | left | purged
    count = db.Column(db.Integer, nullable=False, default=0)

    __table_args__ = (db.UniqueConstraint("month", "event", name="one_panel_stat_per_month_event"),)


class CensusReference(db.Model):
    """The borough's population by group (Census 2021 counts the council supplies)."""

    __tablename__ = "panel_census_reference"

    id = db.Column(db.Integer, primary_key=True)
    characteristic = db.Column(db.String(20), nullable=False)  # key of groups.CHARACTERISTICS
    group_key = db.Column(db.String(80), nullable=False)  # see groups.py (ward: the ward name)
    count = db.Column(db.Integer, nullable=False)

    __table_args__ = (db.UniqueConstraint("characteristic", "group_key", name="one_census_row_per_group"),)


DRAW_QUEUED, DRAW_RUNNING, DRAW_DONE, DRAW_FAILED = "queued", "running", "done", "failed"
DRAW_STATUSES = {DRAW_QUEUED: "Waiting to start", DRAW_RUNNING: "Running", DRAW_DONE: "Done", DRAW_FAILED: "Failed"}


class Draw(db.Model):
    """One stratified lottery for an event, kept for audit: inputs, seed and outcome."""

    __tablename__ = "panel_draws"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)  # the event
    size = db.Column(db.Integer, nullable=False)  # N wanted
    seed = db.Column(db.String(20), nullable=False)  # decimal text: with the inputs, reproduces the draw
    # {characteristic: {group_key: [min, max]}}
    quotas = db.Column(db.JSON, nullable=False, default=dict)
    one_per_household = db.Column(db.Boolean, nullable=False, default=True)
    method = db.Column(db.String(120), nullable=False)
    pool_size = db.Column(db.Integer, nullable=False)  # eligible members when drawn
    quotas_met = db.Column(db.Boolean, nullable=False)
    probability_min = db.Column(db.Float, nullable=False)  # over members who could be selected
    probability_max = db.Column(db.Float, nullable=False)
    # {pool key: probability} for the whole pool; erased members' keys are removed. A pool key is
    # draws.pool_key(member id), an HMAC under EQUALITY_KEY: without the key the pool can't be
    # matched to members (docs/privacy.md).
    probabilities = db.Column(db.JSON, nullable=False, default=dict)
    # The pool as the lottery saw it, so `flask panel verify-draw` can re-run it:
    # {pool key: {"g": {characteristic: group_key}, "h": keyed hash of the household or null}}.
    # Like the probabilities, a member's entry is removed when they leave.
    pool_snapshot = db.Column(db.JSON, nullable=False, default=dict, server_default="{}")
    time_limit_hit = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Replacement rounds: [{"seed", "at", "replaced", "added"}]
    rounds = db.Column(db.JSON, nullable=False, default=list)
    invitations_sent_at = db.Column(db.DateTime)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The lottery runs as a background job. Until status is "done", pool_size, quotas_met and the
    # probabilities are placeholders (0 / False / {}).
    status = db.Column(db.String(12), nullable=False, default=DRAW_QUEUED, server_default="done")  # DRAW_STATUSES
    progress = db.Column(db.Integer, nullable=False, default=0, server_default="0")  # percent while running
    message = db.Column(db.Text, nullable=False, default="", server_default="")  # current step, or why it failed
    seconds = db.Column(db.Float)  # how long the lottery took
    panels_used = db.Column(db.Integer)  # panels the lottery gives a chance to
    probability_bound = db.Column(db.Float)  # no lottery could give everyone more than this
    finished_at = db.Column(db.DateTime)

    selections = db.relationship("DrawSelection", back_populates="draw", cascade="all, delete-orphan",
                                 order_by="DrawSelection.id")
    created_by = db.relationship("User")

    @property
    def is_finished(self) -> bool:
        return self.status in (DRAW_DONE, DRAW_FAILED)

    def start(self, message):
        self.status, self.progress, self.message = DRAW_RUNNING, 1, message

    def report(self, progress: int, message: str):
        self.progress, self.message = max(0, min(99, int(progress))), message[:255]

    def succeed(self, seconds: float):
        self.status, self.progress, self.message = DRAW_DONE, 100, "Finished"
        self.seconds, self.finished_at = seconds, utcnow()

    def fail(self, message: str):
        self.status, self.message, self.finished_at = DRAW_FAILED, message[:5000], utcnow()


PENDING, ACCEPTED, DECLINED, LEFT, REPLACED = "pending", "accepted", "declined", "left", "replaced"
REPLY_LABELS = {PENDING: "No reply yet", ACCEPTED: "Accepted", DECLINED: "Declined", LEFT: "Left the panel",
                REPLACED: "Declined, place given to someone else"}


class DrawSelection(db.Model):
    __tablename__ = "panel_draw_selections"

    id = db.Column(db.Integer, primary_key=True)
    draw_id = db.Column(db.Integer, db.ForeignKey("panel_draws.id", ondelete="CASCADE"), nullable=False, index=True)
    # Null once the member leaves the panel: the row then holds nothing about them.
    member_id = db.Column(db.Integer, db.ForeignKey("panel_members.id", ondelete="SET NULL"), index=True)
    round = db.Column(db.Integer, nullable=False, default=0)  # 0 = first draw, 1.. = replacements
    # Group of each characteristic when drawn ({characteristic: group_key}), to audit the quotas.
    groups = db.Column(db.JSON, nullable=False, default=dict)
    probability = db.Column(db.Float, nullable=False)
    reply = db.Column(db.String(10), nullable=False, default=PENDING)  # key of REPLY_LABELS
    replied_at = db.Column(db.DateTime)
    invited_at = db.Column(db.DateTime)

    draw = db.relationship("Draw", back_populates="selections")
    member = db.relationship("PanelMember")

    def record_reply(self, reply: str):
        if self.reply == REPLACED:
            # Their place went to a replacement: accepting now would make the group one too big.
            raise ValueError("replaced")
        self.reply = reply
        self.replied_at = utcnow()

    def mark_replaced(self):
        if self.reply == DECLINED:
            self.reply = REPLACED

    def forget_member(self):
        self.member_id = None
        self.groups = {}
        self.reply = LEFT


class PanelMailout(db.Model):
    """An invitation to a consultation sent to (part of) the panel: counts only, no addresses."""

    __tablename__ = "panel_mailouts"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False)
    filters = db.Column(db.JSON, nullable=False, default=dict)  # {"ward_id", "age_band", "topic_id"}
    recipients = db.Column(db.Integer, nullable=False)
    sent_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    consultation = db.relationship("Consultation")
