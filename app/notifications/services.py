"""Queue emails, texts and letters inside the caller's transaction; they go only after it commits.

Each message has a `kind` (e.g. "panel_invitation") and `personalisation` (the values a GOV.UK
Notify template's placeholders take); the SMTP and outbox backends use the subject and text.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from app.common.masking import mask_contact, mask_emails_in, mask_phones_in
from app.common.transaction import after_commit
from app.common.timeutil import utcnow
from app.common.urls import absolute_url
from app.extensions import db
from app.notifications import notify
from app.notifications.backends import build_message, deliver
from app.notifications.models import OutboundEmail

log = logging.getLogger(__name__)


def email_link(endpoint: str, **values) -> str:
    """An absolute link for an email, built on BASE_URL; works in CLI commands and jobs too."""
    return absolute_url(endpoint, **values)


@dataclass(frozen=True)
class Mailing:
    """A mass mailing an officer started: its messages wait MAIL_HOLD_MINUTES so it can be
    cancelled (or sent at once) from the held mailings page."""

    key: str  # e.g. "ysyw:12"
    title: str  # e.g. "You said, we did: Parks and green spaces"


def send_email(to: str, subject: str, body_text: str, attachments=None, headers=None,
               kind: str = "default", personalisation: dict | None = None,
               mailing: Mailing | None = None) -> OutboundEmail:
    return _queue(OutboundEmail(to=to, subject=subject, body_text=body_text, attachments=attachments or [],
                                headers=headers or {}, kind=kind, personalisation=personalisation), mailing)


def send_sms(mobile: str, kind: str, body_text: str, personalisation: dict | None = None,
             mailing: Mailing | None = None) -> OutboundEmail:
    """A text message through GOV.UK Notify to a UK mobile in E.164 form (app/notifications/phones.py)."""
    return _queue(OutboundEmail(channel="sms", to=mobile, subject=f"Text message: {kind}", body_text=body_text,
                                kind=kind, personalisation=personalisation), mailing)


def send_letter(address_lines: list[str], kind: str, subject: str, body_text: str,
                personalisation: dict | None = None) -> OutboundEmail:
    """A letter through GOV.UK Notify: the addressee first and the postcode last in `address_lines`."""
    fields = notify.address_fields(address_lines)
    return _queue(OutboundEmail(channel="letter", to=fields["address_line_1"][:254], subject=subject,
                                body_text=body_text, kind=kind, personalisation={**(personalisation or {}), **fields}))


def _queue(record: OutboundEmail, mailing: Mailing | None = None) -> OutboundEmail:
    hold = current_app.config.get("MAIL_HOLD_MINUTES", 0)
    if mailing is not None and hold > 0:
        # `flask send-emails` (every minute) sends it once the hold is over.
        record.batch, record.batch_title = mailing.key, mailing.title[:255]
        record.send_after = utcnow() + timedelta(minutes=hold)
        db.session.add(record)
        db.session.flush()
        return record
    db.session.add(record)
    db.session.flush()
    after_commit(deliver_email, record.id)
    return record


def held_mailings() -> list[dict]:
    """Mailings still waiting, soonest first: key, title, how many messages, when they go."""
    rows = db.session.execute(
        select(OutboundEmail.batch, func.min(OutboundEmail.batch_title), func.count(),
               func.min(OutboundEmail.send_after))
        .where(OutboundEmail.batch.is_not(None), OutboundEmail.send_after > utcnow())
        .group_by(OutboundEmail.batch).order_by(func.min(OutboundEmail.send_after))).all()
    return [{"key": key, "title": title, "count": count, "send_after": when} for key, title, count, when in rows]


def hold_minutes() -> int:
    return current_app.config.get("MAIL_HOLD_MINUTES", 0)


def cancel_held(key: str, user) -> int:
    """An officer stops a held mailing: recorded in the security audit log."""
    from app.audit.services import record

    count = cancel_mailing(key)
    record("mailing.cancelled", actor=user, subject=key, detail={"messages": count})
    return count


def cancel_mailing(key: str) -> int:
    """Stop a held mailing's messages that have not gone yet; returns how many."""
    return OutboundEmail.query.filter(OutboundEmail.batch == key, OutboundEmail.send_after > utcnow()).delete(
        synchronize_session=False)


def release_mailing(key: str, user=None) -> int:
    """Send a held mailing now rather than when its hold ends."""
    from app.audit.services import record

    ids = list(db.session.scalars(select(OutboundEmail.id).where(
        OutboundEmail.batch == key, OutboundEmail.send_after > utcnow())))
    OutboundEmail.query.filter(OutboundEmail.id.in_(ids)).update({"send_after": None}, synchronize_session=False)
    for email_id in ids:
        after_commit(deliver_email, email_id)
    if ids:
        record("mailing.sent_now", actor=user, subject=key, detail={"messages": len(ids)})
    return len(ids)


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
    """Try queued and failed messages once more, and held ones whose hold is over; with
    ``given_up``, those given up on too."""
    if given_up:
        for record in OutboundEmail.query.filter(OutboundEmail.status == "gave_up"):
            record.try_again()
        db.session.flush()
    due = or_(OutboundEmail.send_after.is_(None), OutboundEmail.send_after <= utcnow())
    ids = [row.id for row in OutboundEmail.query.filter(OutboundEmail.status.in_(["failed", "queued"]), due)
           .order_by(OutboundEmail.id).limit(limit)]
    for email_id in ids:
        deliver_email(email_id)
    return len(ids)


def send_held(limit: int = 5000) -> int:
    """Send held mailings whose hold is over (run every minute; failures wait for `retry_failed`)."""
    ids = list(db.session.scalars(select(OutboundEmail.id).where(
        OutboundEmail.status == "queued", OutboundEmail.attempts == 0, OutboundEmail.send_after.is_not(None),
        OutboundEmail.send_after <= utcnow()).order_by(OutboundEmail.id).limit(limit)))
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
