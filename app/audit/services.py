"""Record audit events (services flush; the caller commits), read them back, purge old ones."""
import re
from datetime import timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select

from app.audit.models import AuditEvent
from app.common.masking import mask_email, mask_emails_in
from app.common.timeutil import utcnow
from app.extensions import db

# Every event the app records, with how it is shown on the admin page.
EVENTS = {
    "sign_in.success": "Signed in",
    "sign_in.failure": "Sign-in failed",
    "sign_in.throttled": "Sign-in refused: too many attempts",
    "sign_out": "Signed out",
    "sign_out.other_devices": "Signed out of other devices",
    "account.registered": "Resident account registered",
    "account.confirmed": "Resident confirmed their email address",
    "account.invited": "Staff member invited",
    "account.invite_accepted": "Invitation accepted",
    "account.role_changed": "Role changed",
    "account.deactivated": "Account deactivated",
    "account.reactivated": "Account reactivated",
    "sign_in.password_accepted": "Password accepted: second factor asked for",
    "sign_in.sso_accepted": "Single sign-on accepted: second factor asked for",
    "account.sso_linked": "Single sign-on linked to an account",
    "account.sso_unlinked": "Single sign-on unlinked by an admin",
    "second_factor.set_up": "Second factor set up",
    "second_factor.failure": "Second-factor code or security key refused",
    "second_factor.throttled": "Second-factor code refused: too many attempts",
    "second_factor.recovery_code_used": "Recovery code used",
    "second_factor.recovery_codes_renewed": "New recovery codes made",
    "second_factor.reset": "Second factor reset by an admin",
    "second_factor.key_added": "Security key added",
    "second_factor.key_removed": "Security key removed",
    "password.changed": "Password changed",
    "password.reset_requested": "Password reset requested",
    "password.reset": "Password reset by emailed link",
    "export.personal_data": "Personal data exported",
    "record.viewed": "Named person's record viewed",
    "erasure": "Personal data erased",
    "retention.run": "Retention run",
    "mailing.cancelled": "Held mailing to residents cancelled",
    "mailing.sent_now": "Held mailing to residents sent at once",
}
OUTCOMES = ("success", "failure", "refused")


def _subject_text(subject) -> str | None:
    if subject is None or isinstance(subject, str):
        return subject
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(subject).__name__).lower()  # PanelMember -> panel_member
    return f"{kind}:{subject.id}"


def _clean(value):
    if isinstance(value, str):
        return mask_emails_in(value)[:500]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value][:50]
    return value


def record(event: str, *, actor=None, subject=None, outcome: str = "success", detail: dict | None = None):
    """Add one audit event and flush. `actor` defaults to the signed-in user, if any;
    `subject` is a model instance or a short "kind:id" text; email addresses in `detail` are masked."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    if actor is None and has_request_context():
        from flask_login import current_user

        actor = current_user if current_user.is_authenticated else None
    row = AuditEvent(
        occurred_at=utcnow(), event=event, outcome=outcome,
        actor_id=getattr(actor, "id", None),
        actor_label=f"{actor.name} ({mask_email(actor.email)})"[:200] if actor is not None else None,
        subject=_subject_text(subject),
        client_address=request.remote_addr if has_request_context() else None,
        detail=_clean(detail) if detail else None)
    db.session.add(row)
    db.session.flush()
    from app.operations.metrics import SECURITY_EVENTS

    SECURITY_EVENTS.labels(event, outcome).inc()
    return row


def search(event=None, actor=None, outcome=None, start=None, end=None):
    """A query of events, newest first, filtered by event, actor text, outcome and date range."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if event:
        query = query.where(AuditEvent.event == event)
    if outcome:
        query = query.where(AuditEvent.outcome == outcome)
    if actor:
        query = query.where(func.lower(AuditEvent.actor_label).contains(actor.lower(), autoescape=True))
    if start:
        query = query.where(AuditEvent.occurred_at >= start)
    if end:
        query = query.where(AuditEvent.occurred_at < end)
    return query


def purge(days: int | None = None, now=None) -> int:
    """Delete events older than AUDIT_RETENTION_DAYS (idempotent) and record the run."""
    days = current_app.config["AUDIT_RETENTION_DAYS"] if days is None else days
    cutoff = (now or utcnow()) - timedelta(days=days)
    removed = db.session.execute(delete(AuditEvent.__table__).where(AuditEvent.occurred_at < cutoff)).rowcount
    current_app.logger.info("audit purge: removed %d event(s) older than %d days (before %s)", removed, days, cutoff.isoformat())
    record("retention.run", detail={"what": "audit events", "removed": removed, "older_than_days": days})
    return removed
