"""Statements residents vote on (agree / disagree / pass), in the manner of Polis.

A consultation may have one statements conversation. Officers seed it with statements;
residents vote on them one at a time and may add their own, which an officer approves before
anyone else sees them. Residents need no account: each is an anonymous `Participant` whose id
lives only in their signed session cookie.
"""
from app.common.pseudonym import pseudonym
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["Conversation", "Statement", "Participant", "Vote", "DeliberationAboutYou", "ConversationResults",
           "STATEMENT_STATUSES", "VOTE_VALUES", "PARTICIPANT"]

# What a statement's `status` may be. Only approved statements are shown to voters.
STATEMENT_STATUSES = {"pending": "Waiting for moderation", "approved": "Approved", "rejected": "Rejected"}
# The form value of each vote and how it is stored (as Polis: +1 agree, -1 disagree, 0 pass).
VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
# The pseudonym purpose for a participant's "About you" row (app/common/pseudonym.py); frozen.
PARTICIPANT = "deliberation-participant"
STATEMENT_MAX = 200  # characters, for seed and residents' statements alike


class Conversation(db.Model):
    __tablename__ = "deliberation_conversations"

    id = db.Column(db.Integer, primary_key=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"),
                                nullable=False, unique=True)
    # The question the statements answer, shown above each one.
    topic = db.Column(db.String(300), nullable=False)
    residents_may_add = db.Column(db.Boolean, nullable=False, default=True)  # may residents propose statements
    # Set when an officer publishes the summary (opinion groups, consensus) on the public page.
    results_published_at = db.Column(db.DateTime)
    # Goes up by one whenever votes, approved statements or linked "About you" answers change:
    # the cached results (ConversationResults) are for one version and recomputed after that.
    version = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    consultation = db.relationship("Consultation")
    statements = db.relationship("Statement", back_populates="conversation", order_by="Statement.id",
                                 cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_open(self) -> bool:
        """Votes and new statements are taken while the consultation is open."""
        return self.consultation.status == "open"

    def approved(self):
        return [s for s in self.statements if s.status == "approved"]

    def pending(self):
        return [s for s in self.statements if s.status == "pending"]

    def publish_results(self):
        self.results_published_at = utcnow()

    def withdraw_results(self):
        self.results_published_at = None


class Statement(db.Model):
    __tablename__ = "deliberation_statements"

    id = db.Column(db.Integer, primary_key=True)
    conversation_id = db.Column(db.Integer, db.ForeignKey("deliberation_conversations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    text = db.Column(db.String(STATEMENT_MAX), nullable=False)  # a resident's is stored redacted
    status = db.Column(db.String(10), nullable=False, default="pending")  # a key of STATEMENT_STATUSES
    from_resident = db.Column(db.Boolean, nullable=False, default=False)  # False: an officer's seed statement
    submitted_by_id = db.Column(db.Integer, db.ForeignKey("deliberation_participants.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    moderated_at = db.Column(db.DateTime)
    moderated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    conversation = db.relationship("Conversation", back_populates="statements")

    __table_args__ = (db.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),)

    def moderate(self, approve: bool, user):
        self.status = "approved" if approve else "rejected"
        self.moderated_at = utcnow()
        self.moderated_by_id = getattr(user, "id", None)


class Participant(db.Model):
    """One anonymous resident in one conversation: no name, email, account or address is kept."""
    __tablename__ = "deliberation_participants"

    id = db.Column(db.Integer, primary_key=True)
    conversation_id = db.Column(db.Integer, db.ForeignKey("deliberation_conversations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Ticked "link my votes to my About you answers": only then is a DeliberationAboutYou row kept.
    consented = db.Column(db.Boolean, nullable=False, default=False)


class Vote(db.Model):
    """A participant's latest vote on a statement; voting again replaces it."""
    __tablename__ = "deliberation_votes"

    participant_id = db.Column(db.Integer, db.ForeignKey("deliberation_participants.id", ondelete="CASCADE"),
                               primary_key=True)
    statement_id = db.Column(db.Integer, db.ForeignKey("deliberation_statements.id", ondelete="CASCADE"),
                             primary_key=True, index=True)
    value = db.Column(db.SmallInteger, nullable=False)  # 1 agree, -1 disagree, 0 pass (VOTE_VALUES)
    voted_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.CheckConstraint("value IN (-1, 0, 1)", name="value"),)


class DeliberationAboutYou(db.Model):
    """Optional "About you" answers of a participant who consented to link them to their votes,
    stored as the other "About you" tables are (docs/privacy.md): under a keyed hash of the
    participant id, so the database alone can't line them up with the votes."""
    __tablename__ = "deliberation_about_you"
    __table_args__ = {"sqlite_with_rowid": False}

    respondent_key = db.Column(db.String(64), primary_key=True)  # pseudonym(PARTICIPANT, participant id)
    conversation_id = db.Column(db.Integer, db.ForeignKey("deliberation_conversations.id", ondelete="CASCADE"),
                                nullable=False, index=True)
    # Codes from app/common/equality.py, "prefer_not", or NULL when not answered.
    age_band = db.Column(db.String(20))
    disability = db.Column(db.String(20))
    tenure = db.Column(db.String(40))

    @staticmethod
    def key_for(participant_id) -> str:
        return pseudonym(PARTICIPANT, participant_id)


class ConversationResults(db.Model):
    """The opinion groups last computed for a conversation (nlp/opinion.py), kept so pages don't
    recompute them on every view: valid while `version` equals the conversation's."""
    __tablename__ = "deliberation_results"

    conversation_id = db.Column(db.Integer, db.ForeignKey("deliberation_conversations.id", ondelete="CASCADE"),
                                primary_key=True)
    version = db.Column(db.Integer, nullable=False)
    computed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    data = db.Column(db.JSON, nullable=False)  # see services.compute_results
