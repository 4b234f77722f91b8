"""Queue emails inside the caller's transaction; they are sent only after it commits."""
import logging

from flask import current_app

from app.common.masking import mask_email, mask_emails_in
from app.common.transaction import after_commit
from app.common.urls import absolute_url
from app.extensions import db
from app.notifications.backends import build_message, deliver
from app.notifications.models import OutboundEmail

log = logging.getLogger(__name__)


def email_link(endpoint: str, **values) -> str:
    """An absolute link for an email, built on BASE_URL; works in CLI commands and jobs too."""
    return absolute_url(endpoint, **values)


def send_email(to: str, subject: str, body_text: str, attachments=None, headers=None) -> OutboundEmail:
    record = OutboundEmail(to=to, subject=subject, body_text=body_text,
                           attachments=attachments or [], headers=headers or {})
    db.session.add(record)
    db.session.flush()
    after_commit(deliver_email, record.id)
    return record


def deliver_email(email_id: int):
    """Send one queued email; delete it on success, keep it as failed otherwise."""
    record = db.session.get(OutboundEmail, email_id)
    if record is None:
        return
    try:
        deliver(build_message(record))
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried later
        log.warning("email %s to %s failed: %s", record.id, mask_email(record.to), mask_emails_in(str(exc)))
        record.mark_failed(str(exc))
    else:
        db.session.delete(record)
    db.session.flush()


def retry_failed(limit: int = 500) -> int:
    ids = [row.id for row in OutboundEmail.query.filter(OutboundEmail.status.in_(["failed", "queued"]))
           .order_by(OutboundEmail.id).limit(limit)]
    for email_id in ids:
        deliver_email(email_id)
    return len(ids)


def forget_address(address: str) -> int:
    """Erase unsent mail to an address (used when a person asks to be forgotten)."""
    return OutboundEmail.query.filter(db.func.lower(OutboundEmail.to) == address.lower()).delete(
        synchronize_session=False)
