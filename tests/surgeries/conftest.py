"""Builders for surgery tests. They commit, so live servers and other threads see the rows."""
import itertools
from datetime import date, time, timedelta

import pytest

from app.common.timeutil import to_london, utcnow
from app.extensions import db as _db
from app.surgeries import scheduling
from app.surgeries.models import Booking, Venue
from tests import factories

_venue_seq = itertools.count(1)


def make_venue(ward, name=None, **fields):
    venue = Venue(name=name or f"Venue for {ward.name}", address="1 High Street, Northbrook, NB1 2AB", ward=ward,
                  step_free=True, accessible_toilet=True, hearing_loop=False, parking="Two Blue Badge bays",
                  public_transport="Bus 47", opening_notes="Side room", **fields)
    _db.session.add(venue)
    _db.session.commit()
    return venue


def london_today() -> date:
    return to_london(utcnow()).date()


def make_surgery(host, ward=None, venue=None, days_ahead=10, start=time(10, 0), end=time(11, 0), slot_minutes=15,
                 kind="slots", cohosts=(), remote_option="none", day=None):
    """A surgery `days_ahead` days from today (negative: in the past; built without validation)."""
    ward = ward or host.ward or factories.ward()
    venue = venue or make_venue(ward, name=f"Venue {ward.name} {next(_venue_seq)}")
    plan = scheduling.SurgeryPlan(ward=ward, venue=venue, host=host, day=day or london_today() + timedelta(days=days_ahead),
                                  start=start, end=end, kind=kind, slot_minutes=slot_minutes,
                                  remote_option=remote_option, cohosts=list(cohosts))
    surgery = scheduling.build_surgery(plan, plan.day)
    _db.session.commit()
    return surgery


def make_booking(slot, name="Ann Resident", email="ann@example.com", phone=None, topic="Damp in my flat", **fields):
    booking = Booking(slot=slot, name=name, email=email, phone=phone, topic=topic, **fields)
    _db.session.add(booking)
    _db.session.commit()
    return booking


@pytest.fixture()
def ward(db):
    return factories.ward(name="Kingsmead")


@pytest.fixture()
def host(db, ward):
    return factories.user(role="councillor", ward=ward)


@pytest.fixture()
def surgery(host, ward):
    return make_surgery(host, ward)


def flashed(client) -> str:
    """The flash messages waiting in the session, joined (read without rendering a page)."""
    with client.session_transaction() as session:
        return " ".join(message for _, message in session.get("_flashes", []))
