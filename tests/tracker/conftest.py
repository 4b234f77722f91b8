from datetime import timedelta

import pytest

from app.common.transaction import commit
from app.tracker import services
from app.tracker.models import london_today
from tests import factories


def make_round(name="Spring", status="open"):
    today = london_today()
    dates = {"open": (today - timedelta(days=3), today + timedelta(days=10)),
             "upcoming": (today + timedelta(days=2), today + timedelta(days=20)),
             "closed": (today - timedelta(days=40), today - timedelta(days=1))}[status]
    tracker_round = services.create_round(name, *dates)
    commit()
    return tracker_round


def add_answers(tracker_round, ward, answers, about=None, times=1):
    """Record `times` identical responses (the round is opened for the moment if need be)."""
    saved = tracker_round.opens_on, tracker_round.closes_on, tracker_round.closed_early_at
    today = london_today()
    tracker_round.opens_on, tracker_round.closes_on, tracker_round.closed_early_at = today, today, None
    for _ in range(times):
        services.record_response(tracker_round, ward, answers, about or {})
    tracker_round.opens_on, tracker_round.closes_on, tracker_round.closed_early_at = saved
    commit()


@pytest.fixture()
def ward(db):
    return factories.ward("Kingsmead")


@pytest.fixture()
def open_round(db):
    return make_round("Spring 2027", "open")
