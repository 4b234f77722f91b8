"""Group conversations: a community group, school, faith group or tenants' association hosts a
conversation with its own members using the council's questions, then reports back what was said.

A host registers (no password); an officer approves or declines them; an approved host works
through an emailed signed link. A record the officer accepts becomes one Response (channel
"group") whose free-text answers feed the themes, weighted by the people taking part and
labelled as a group's view.
"""
import secrets

from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["ConversationHost", "ConversationRecord", "ConversationEntry", "ConversationPhoto",
           "HOST_KINDS", "HOST_STATUSES", "RECORD_STATUSES", "GROUP_TALLIES", "GENERIC_QUESTIONS"]

HOST_KINDS = {"community": "Community group", "school": "School or college", "faith": "Faith group",
              "tenants": "Tenants' or residents' association", "other": "Another kind of group"}
HOST_STATUSES = {"pending": "Waiting for a decision", "approved": "Approved", "declined": "Declined"}
RECORD_STATUSES = {"submitted": "Sent to the council", "returned": "Returned to the host",
                   "accepted": "Accepted"}
# Optional anonymous tallies besides age bands: key -> label on the sign-in sheet and record.
GROUP_TALLIES = {"disabled": "Disabled people", "carers": "Unpaid carers", "tenants": "Tenants",
                 "new_english": "People whose first language is not English"}
# A host talking about a topic rather than an open consultation uses these.
GENERIC_QUESTIONS = ["What is good about {topic} where you live?",
                     "What would make the biggest difference to {topic} where you live?",
                     "What should the council do first, and what could your group do?"]


class ConversationHost(db.Model):
    __tablename__ = "conversation_hosts"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)  # the contact person
    organisation = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(20), nullable=False, default="community")  # a key of HOST_KINDS
    email = db.Column(db.String(254), nullable=False, index=True)
    # What they will talk about: an open consultation, or else a topic (generic questions).
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    topic_id = db.Column(db.Integer, db.ForeignKey("topics.id", ondelete="SET NULL"))
    status = db.Column(db.String(10), nullable=False, default="pending")  # a key of HOST_STATUSES
    decline_reason = db.Column(db.String(1000), nullable=False, default="")
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = db.Column(db.DateTime)
    # Part of every signed link; raising it makes the host's old links stop working.
    link_version = db.Column(db.Integer, nullable=False, default=1)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    consultation = db.relationship("Consultation")
    topic = db.relationship("Topic")
    decided_by = db.relationship("User")
    records = db.relationship("ConversationRecord", back_populates="host", cascade="all, delete-orphan",
                              order_by="ConversationRecord.id", passive_deletes=True)

    @property
    def subject(self) -> str:
        if self.consultation is not None:
            return self.consultation.title
        return self.topic.name if self.topic is not None else "Your area"

    @property
    def status_label(self) -> str:
        return HOST_STATUSES.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return HOST_KINDS.get(self.kind, self.kind)

    def approve(self, officer):
        self.status, self.decline_reason = "approved", ""
        self.decided_by, self.decided_at = officer, utcnow()

    def decline(self, officer, reason: str):
        self.status, self.decline_reason = "declined", reason
        self.decided_by, self.decided_at = officer, utcnow()
        self.link_version += 1  # any link sent earlier stops working


class ConversationRecord(db.Model):
    """What one conversation said, as its host reported it. Editable by the host until accepted."""

    __tablename__ = "conversation_records"

    id = db.Column(db.Integer, primary_key=True)
    host_id = db.Column(db.Integer, db.ForeignKey("conversation_hosts.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    held_on = db.Column(db.Date, nullable=False)  # UK date of the conversation
    place = db.Column(db.String(200), nullable=False)
    participants = db.Column(db.Integer, nullable=False)  # people taking part (the host's count)
    # Optional anonymous counts: {age band code or GROUP_TALLIES key: people}; never per person.
    tallies = db.Column(db.JSON, nullable=False, default=dict)
    status = db.Column(db.String(10), nullable=False, default="submitted")  # a key of RECORD_STATUSES
    officer_note = db.Column(db.String(1000), nullable=False, default="")  # why it was returned
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at = db.Column(db.DateTime)
    # The response made from this record on acceptance (channel "group"): its free-text answers
    # are what the themes see.
    response_id = db.Column(db.Integer, db.ForeignKey("responses.id", ondelete="SET NULL"), unique=True)

    host = db.relationship("ConversationHost", back_populates="records")
    consultation = db.relationship("Consultation")
    decided_by = db.relationship("User")
    response = db.relationship("Response")
    entries = db.relationship("ConversationEntry", back_populates="record", cascade="all, delete-orphan",
                              order_by="(ConversationEntry.position, ConversationEntry.id)", passive_deletes=True)
    photos = db.relationship("ConversationPhoto", back_populates="record", cascade="all, delete-orphan",
                             order_by="ConversationPhoto.id", passive_deletes=True)

    __table_args__ = (db.CheckConstraint("participants > 0", name="conversation_has_people"),)

    @property
    def status_label(self) -> str:
        return RECORD_STATUSES.get(self.status, self.status)

    @property
    def editable(self) -> bool:
        return self.status != "accepted"

    def entries_for(self, position: int):
        return [e for e in self.entries if e.position == position]

    def accept(self, officer, response):
        if not self.editable:
            raise ValueError("This record has already been accepted")
        self.status, self.officer_note, self.response = "accepted", "", response
        self.decided_by, self.accepted_at = officer, utcnow()

    def send_back(self, officer, note: str):
        if not self.editable:
            raise ValueError("An accepted record can't be returned")
        self.status, self.officer_note, self.decided_by = "returned", note, officer

    def resubmit(self):
        self.status, self.updated_at = "submitted", utcnow()


class ConversationEntry(db.Model):
    """What was said for one question: the host's notes on the group's view, or one person's words."""

    __tablename__ = "conversation_entries"

    id = db.Column(db.Integer, primary_key=True)
    record_id = db.Column(db.Integer, db.ForeignKey("conversation_records.id", ondelete="CASCADE"),
                          nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)  # the question's place in the kit (0-based)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id", ondelete="SET NULL"))  # null: generic question
    question_text = db.Column(db.String(500), nullable=False)  # as the kit asked it
    kind = db.Column(db.String(10), nullable=False, default="notes")  # "notes" (the group) | "person"
    text = db.Column(db.Text, nullable=False)
    # The answer made from it on acceptance (free-text consultation questions only).
    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="SET NULL"), unique=True)

    record = db.relationship("ConversationRecord", back_populates="entries")


def _stored_name() -> str:
    return secrets.token_hex(16)


class ConversationPhoto(db.Model):
    """A flipchart photo: checked to be a real image, re-encoded without its metadata, kept on
    disk under UPLOAD_DIR/conversations/<stored_name> and shown to staff only."""

    __tablename__ = "conversation_photos"

    id = db.Column(db.Integer, primary_key=True)
    record_id = db.Column(db.Integer, db.ForeignKey("conversation_records.id", ondelete="CASCADE"),
                          nullable=False, index=True)
    stored_name = db.Column(db.String(40), nullable=False, unique=True, default=_stored_name)  # random, no extension
    content_type = db.Column(db.String(20), nullable=False)  # from our own check: image/jpeg or image/png
    size = db.Column(db.Integer, nullable=False)  # bytes as stored (after re-encoding)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    record = db.relationship("ConversationRecord", back_populates="photos")

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"
