"""Audit events. Rows are written once: the mapper refuses updates and deletes, and only the
retention purge (a bulk statement run by `flask audit purge`) removes old rows."""
from sqlalchemy import event

from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["AuditEvent"]


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id = db.Column(db.Integer, primary_key=True)
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    event = db.Column(db.String(60), nullable=False, index=True)  # e.g. "sign_in.failure"
    outcome = db.Column(db.String(20), nullable=False, default="success")  # success, failure, refused
    # No foreign key on purpose: nothing done to a user row may change or remove audit rows.
    actor_id = db.Column(db.Integer, index=True)
    actor_label = db.Column(db.String(200))  # "Name (j***@example.org)" as it was at the time
    subject = db.Column(db.String(120))  # what it was done to, "user:12", "panel_member:5"
    client_address = db.Column(db.String(64))
    detail = db.Column(db.JSON)  # small dict; email addresses masked


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditLogIsAppendOnly("audit events are removed only by the retention purge")
