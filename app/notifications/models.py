"""Messages waiting to go: emails, and text messages and letters (through GOV.UK Notify).

A row is deleted once sent, so the outbox holds no old personal data.
"""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["OutboundEmail"]


class OutboundEmail(db.Model):
    __tablename__ = "outbound_emails"

    id = db.Column(db.Integer, primary_key=True)
    # email | sms | letter. SMS and letters always go through GOV.UK Notify.
    channel = db.Column(db.String(6), nullable=False, default="email", server_default="email")
    # The email address; the mobile number in E.164 form for a text; the addressee for a letter.
    to = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    body_text = db.Column(db.Text, nullable=False)
    # [{"filename", "content_type", "content" (text)}], e.g. an .ics invitation.
    attachments = db.Column(db.JSON, nullable=False, default=list)
    # Extra headers such as List-Unsubscribe, as a dict.
    headers = db.Column(db.JSON, nullable=False, default=dict)
    # What the message is (e.g. "surgery_reminder"): picks the Notify template (config NOTIFY_TEMPLATES).
    kind = db.Column(db.String(40), nullable=False, default="default", server_default="default")
    # The Notify template's placeholders (name, link...); a letter's address lines too.
    personalisation = db.Column(db.JSON)
    status = db.Column(db.String(12), nullable=False, default="queued")  # queued | failed | gave_up
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # A mass mailing an officer started (e.g. "You said, we did" to every respondent) waits until
    # then, so it can be cancelled (MAIL_HOLD_MINUTES); null for a message that goes at once.
    send_after = db.Column(db.DateTime, index=True)
    # Which mailing a held message belongs to, e.g. "ysyw:12": what "Cancel" stops as a whole.
    batch = db.Column(db.String(60), index=True)
    batch_title = db.Column(db.String(255))  # shown to officers, e.g. "You said, we did: Parks"

    def mark_failed(self, error: str, max_attempts: int | None = None):
        self.attempts += 1
        self.status = "gave_up" if max_attempts and self.attempts >= max_attempts else "failed"
        self.last_error = error[:2000]

    def try_again(self):
        """Back in the queue after being given up on (the fault, e.g. a missing template, is fixed)."""
        self.status, self.attempts = "failed", 0
