"""Emails waiting to go. A row is deleted once sent, so the outbox holds no old personal data."""
from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["OutboundEmail"]


class OutboundEmail(db.Model):
    __tablename__ = "outbound_emails"

    id = db.Column(db.Integer, primary_key=True)
    to = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    body_text = db.Column(db.Text, nullable=False)
    # [{"filename", "content_type", "content" (text)}], e.g. an .ics invitation.
    attachments = db.Column(db.JSON, nullable=False, default=list)
    # Extra headers such as List-Unsubscribe, as a dict.
    headers = db.Column(db.JSON, nullable=False, default=dict)
    status = db.Column(db.String(12), nullable=False, default="queued")  # queued | failed
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    def mark_failed(self, error: str):
        self.status = "failed"
        self.attempts += 1
        self.last_error = error[:2000]
