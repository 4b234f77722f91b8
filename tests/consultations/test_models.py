"""The lifecycle follows the clock: draft -> scheduled -> open -> closed -> published."""
from datetime import timedelta

import pytest

from app.common.timeutil import utcnow
from app.consultations.models import Consultation
from app.extensions import db
from tests import factories


@pytest.mark.parametrize("status", ["draft", "scheduled", "open", "closed", "published"])
def test_status_property_and_sql_expression_agree(db, status):
    consultation = factories.consultation(status=status)
    assert consultation.status == status
    sql_status = db.session.query(Consultation.status_expression(utcnow())).filter(
        Consultation.id == consultation.id).scalar()
    assert sql_status == status


def test_status_changes_with_time_alone(db):
    consultation = factories.consultation(status="open")
    now = utcnow()
    assert consultation.status_at(consultation.opens_at - timedelta(seconds=1)) == "scheduled"
    assert consultation.status_at(now) == "open"
    assert consultation.status_at(consultation.closes_at) == "closed"
    assert consultation.status_at(consultation.closes_at + timedelta(days=1)) == "closed"


def test_close_early_then_publish(db):
    consultation = factories.consultation(status="open")
    with pytest.raises(ValueError):
        consultation.publish_results()
    consultation.close()
    assert consultation.status == "closed"
    assert not consultation.is_accepting_responses
    consultation.publish_results()
    assert consultation.status == "published"


def test_launch_leaves_draft(db):
    consultation = factories.consultation(status="draft")
    consultation.launch()
    assert consultation.status == "open"
    consultation.unlaunch()
    assert consultation.status == "draft"


def test_database_refuses_close_before_open(db):
    consultation = factories.consultation(status="open")
    consultation.closes_at = consultation.opens_at - timedelta(hours=1)
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()
