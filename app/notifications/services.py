"""Queue emails, texts and letters inside the caller's transaction; they go only after it commits.

Each message has a `kind` (e.g. "panel_invitation") and `personalisation` (the values a GOV.UK
Notify template's placeholders take); the SMTP and outbox backends use the subject and text.
"""
import logging

from flask import current_app

from app.common.masking import mask_contact, mask_emails_in, mask_phones_in
from app.common.transaction import after_commit
from app.common.urls import absolute_url
from app.extensions import db
from app.notifications import notify
from app.notifications.backends import build_message, deliver
from app.notifications.models import OutboundEmail

log = logging.getLogger(__name__)


def email_link(endpoint: str, **values) -> str:
    """An absolute link for an email, built on BASE_URL; works in CLI commands and jobs too."""
    return absolute_url(endpoint, **values)


def send_email(to: str, subject: str, body_text: str, attachments=None, headers=None,
               kind: str = "default", personalisation: dict | None = None) -> OutboundEmail:
    return _queue(OutboundEmail(to=to, subject=subject, body_text=body_text, attachments=attachments or [],
                                headers=headers or {}, kind=kind, personalisation=personalisation))


def send_sms(mobile: str, kind: str, body_text: str, personalisation: dict | None = None) -> OutboundEmail:
    """A text message through GOV.UK Notify to a UK mobile in E.164 form (app/notifications/phones.py)."""
    return _queue(OutboundEmail(channel="sms", to=mobile, subject=f"Text message: {kind}", body_text=body_text,
                                kind=kind, personalisation=personalisation))


def send_letter(address_lines: list[str], kind: str, subject: str, body_text: str,
                personalisation: dict | None = None) -> OutboundEmail:
    """A letter through GOV.UK Notify: the addressee first and the postcode last in `address_lines`."""
    fields = notify.address_fields(address_lines)
    return _queue(OutboundEmail(channel="letter", to=fields["address_line_1"][:254], subject=subject,
                                body_text=body_text, kind=kind, personalisation={**(personalisation or {}), **fields}))


def _queue(record: OutboundEmail) -> OutboundEmail:
    db.session.add(record)
    db.session.flush()
    after_commit(deliver_email, record.id)
    return record


def _uses_notify(record) -> bool:
    return record.channel != "email" or current_app.config["MAIL_BACKEND"] == "notify"


def deliver_email(email_id: int):
    """Send one queued message; delete it on success, keep it as failed (for a retry) otherwise."""
    record = db.session.get(OutboundEmail, email_id)
    if record is None:
        return
    try:
        if _uses_notify(record):
            notify.send(record)
        else:
            deliver(build_message(record))
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried later
        error = mask_phones_in(mask_emails_in(str(exc)))
        record.mark_failed(error, current_app.config.get("MAIL_MAX_ATTEMPTS"))
        if record.status == "gave_up":
            log.error("%s %s (%s) to %s failed %s times, given up (`flask send-emails --retry-given-up` "
                      "tries again): %s", record.channel, record.id, record.kind,
                      mask_contact(record.channel, record.to), record.attempts, error)
        else:
            log.warning("%s %s (%s) to %s failed, kept to retry: %s", record.channel, record.id, record.kind,
                        mask_contact(record.channel, record.to), error)
    else:
        db.session.delete(record)
    db.session.flush()


def retry_failed(limit: int = 500, given_up: bool = False) -> int:
    """Try queued and failed messages once more; with ``given_up``, those given up on too."""
    if given_up:
        for record in OutboundEmail.query.filter(OutboundEmail.status == "gave_up"):
            record.try_again()
        db.session.flush()
    ids = [row.id for row in OutboundEmail.query.filter(OutboundEmail.status.in_(["failed", "queued"]))
           .order_by(OutboundEmail.id).limit(limit)]
    for email_id in ids:
        deliver_email(email_id)
    return len(ids)


def forget_phone(number: str | None) -> int:
    """Erase unsent text messages to a number (E.164, as stored)."""
    if not number:
        return 0
    return OutboundEmail.query.filter(OutboundEmail.channel == "sms", OutboundEmail.to == number).delete(
        synchronize_session=False)


def forget_address(address: str) -> int:
    """Erase unsent mail to an address (used when a person asks to be forgotten)."""
    return OutboundEmail.query.filter(db.func.lower(OutboundEmail.to) == address.lower()).delete(
        synchronize_session=False)
