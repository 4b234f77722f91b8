"""Consultation logic. Services flush; the route or CLI command commits."""
from app.common.timeutil import utcnow
from app.consultations.models import Consultation, Response


def list_public(status: str | None = None, ward_id: int | None = None, topic_slug: str | None = None):
    """Consultations residents may see (never drafts), newest closing first."""
    now = utcnow()
    status_sql = Consultation.status_expression(now)
    query = Consultation.query.filter(status_sql != "draft")
    if status:
        query = query.filter(status_sql == status)
    return query.order_by(Consultation.closes_at.desc()).all()


def responses_for_user(user):
    return Response.query.filter_by(user_id=user.id).order_by(Response.submitted_at.desc()).all()
