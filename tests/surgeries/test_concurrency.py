"""The reminder command's idempotence, and the database refusing double bookings (races included)."""
import threading
from types import SimpleNamespace
from datetime import time

import pytest
from sqlalchemy.exc import IntegrityError

from app.common.transaction import commit
from app.extensions import db as _db
from app.surgeries import bookings, notify
from app.surgeries.models import Booking, Venue
from tests import factories
from tests.conftest import login
from tests.surgeries.conftest import make_booking, make_surgery, make_venue

needs_postgres = pytest.mark.skipif(
    "postgresql" not in (__import__("os").environ.get("DATABASE_URL") or ""),
    reason="Needs PostgreSQL (DATABASE_URL): SQLite serialises all writers with one database lock, so "
           "there is no concurrent insert to race; the unique index itself is tested on SQLite below.")


@pytest.fixture()
def tomorrow(host, ward):
    """A surgery tomorrow with three bookings: two by email, one phone only."""
    surgery = make_surgery(host, ward, days_ahead=1, start=time(10, 0), end=time(11, 0))
    make_booking(surgery.slots[0], name="A", email="a@example.com", topic="Private A")
    make_booking(surgery.slots[1], name="B", email="b@example.com")
    make_booking(surgery.slots[2], name="C", email=None, phone="07700 900000")
    return surgery


def test_reminders_go_once_even_when_run_twice(app, tomorrow, host, ward, sent_emails):
    later = make_surgery(host, ward, days_ahead=3)
    make_booking(later.slots[0], name="Later", email="later@example.com")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["surgeries", "send-reminders"])
    assert result.exit_code == 0 and "Sent 2 reminders" in result.output
    assert sorted(m["To"] for m in sent_emails) == ["a@example.com", "b@example.com"]
    assert all(m["Subject"].startswith("Reminder: ward surgery tomorrow") for m in sent_emails)
    assert "Private A" not in sent_emails[0].as_string()
    result = runner.invoke(args=["surgeries", "send-reminders"])
    assert "Sent 0 reminders" in result.output and len(sent_emails) == 2
    assert Booking.query.filter(Booking.reminder_sent_at.isnot(None)).count() == 2


def test_cancelled_bookings_get_no_reminder(app, tomorrow, sent_emails):
    booking = Booking.query.filter_by(name="A").one()
    booking.cancel()
    _db.session.commit()
    assert bookings.send_due_reminders(commit) == 1
    assert [m["To"] for m in sent_emails] == ["b@example.com"]


def test_claim_is_atomic(app, tomorrow):
    booking_id = Booking.query.filter_by(name="A").one().id
    from app.common.timeutil import utcnow
    assert bookings.claim_reminder(booking_id, utcnow()) is True
    assert bookings.claim_reminder(booking_id, utcnow()) is False


def _run_together(app, count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results[index] = work(index)
                _db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@needs_postgres
def test_reminders_run_concurrently_send_each_once(app, tomorrow, host, ward, sent_emails):
    more = make_surgery(host, ward, days_ahead=1, start=time(14, 0), end=time(16, 0))
    for i, slot in enumerate(more.slots):
        make_booking(slot, name=f"R{i}", email=f"r{i}@example.com")
    results, errors = _run_together(app, 6, lambda i: bookings.send_due_reminders(commit))
    assert errors == []
    assert sum(results) == 2 + len(more.slots)
    addresses = [m["To"] for m in sent_emails]
    assert len(addresses) == len(set(addresses)) == 2 + len(more.slots)


def test_database_refuses_a_second_active_booking_of_a_slot(surgery):
    make_booking(surgery.slots[0])
    _db.session.add(Booking(slot_id=surgery.slots[0].id, name="Second", email="s@example.com"))
    with pytest.raises(IntegrityError):
        _db.session.flush()
    _db.session.rollback()
    # a cancelled booking does not hold the slot
    first = Booking.query.one()
    first.cancel()
    _db.session.commit()
    make_booking(surgery.slots[0], name="Second", email="s@example.com")
    assert Booking.query.count() == 2


def _assert_loser_page(page, index, other):
    """What typed is kept, the free times at the ward's other surgery are offered, and the error
    summary's link points at an element that exists."""
    assert "someone else has just booked that time" in page
    assert f'value="Racer {index}"' in page and f'value="racer{index}@example.com"' in page
    assert "All times at this surgery are booked" in page
    for slot in other.slots:
        assert f'value="{slot.id}"' in page
    assert 'href="#slot"' in page and 'id="slot"' in page


def test_loser_of_the_last_slot_keeps_what_they_typed_and_sees_other_surgeries(client, surgery, host, ward):
    """The race as SQLite can show it: the last time is booked between the page loading and the
    resident pressing the button."""
    other = make_surgery(host, ward, days_ahead=20)
    for slot in surgery.slots[:-1]:
        make_booking(slot, name="Earlier", email=None, phone="07700 900001")
    last = surgery.slots[-1]
    assert f'value="{last.id}"' in client.get(f"/surgeries/{surgery.id}").get_data(as_text=True)
    make_booking(last, name="Winner", email="winner@example.com")
    response = client.post(f"/surgeries/{surgery.id}", data={
        "slot": str(last.id), "name": "Racer 7", "email": "racer7@example.com", "meeting_mode": "in_person"})
    assert response.status_code == 409
    _assert_loser_page(response.get_data(as_text=True), 7, other)
    # ...and can book one of those times from the same page, at once
    response = client.post(f"/surgeries/{surgery.id}", data={
        "slot": str(other.slots[1].id), "name": "Racer 7", "email": "racer7@example.com", "meeting_mode": "in_person"})
    assert response.status_code == 302
    assert Booking.query.filter_by(slot_id=other.slots[1].id, name="Racer 7").count() == 1


def test_loser_with_nothing_free_in_the_ward_gets_a_working_error_link(client, surgery):
    for slot in surgery.slots[:-1]:
        make_booking(slot, name="Earlier", email=None, phone="07700 900001")
    make_booking(surgery.slots[-1], name="Winner", email="winner@example.com")
    response = client.post(f"/surgeries/{surgery.id}", data={
        "slot": str(surgery.slots[-1].id), "name": "Racer 1", "email": "racer1@example.com",
        "meeting_mode": "in_person"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "there are no other free times in Kingsmead" in page
    assert 'href="#slot"' in page and 'id="slot"' in page


@needs_postgres
def test_race_for_the_last_free_slot_gives_exactly_one_booking(app, surgery, host, ward):
    other = make_surgery(host, ward, days_ahead=20)
    for slot in surgery.slots[:-1]:
        make_booking(slot, name="Earlier", email=None, phone="07700 900001")
    last = surgery.slots[-1]
    count = 24

    def attempt(index):
        client = app.test_client()
        response = client.post(f"/surgeries/{surgery.id}", data={
            "slot": str(last.id), "name": f"Racer {index}", "email": f"racer{index}@example.com",
            "meeting_mode": "in_person"})
        return response.status_code, response.get_data(as_text=True)

    results, errors = _run_together(app, count, attempt)
    assert errors == []
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1, statuses
    assert statuses.count(409) == count - 1, statuses
    for index, (status, page) in enumerate(results):
        if status == 409:
            _assert_loser_page(page, index, other)
    _db.session.expire_all()
    assert Booking.query.filter_by(slot_id=last.id).count() == 1
    assert Booking.query.filter_by(slot_id=last.id, status="active").count() == 1
    assert Booking.query.filter(Booking.slot_id.in_([s.id for s in other.slots])).count() == 0


@needs_postgres
def test_race_with_free_slots_left_shows_them_to_the_loser(app, surgery):
    contested = surgery.slots[0]

    def attempt(index):
        response = app.test_client().post(f"/surgeries/{surgery.id}", data={
            "slot": str(contested.id), "name": f"Racer {index}", "email": f"r{index}@example.com", "meeting_mode": "in_person"})
        return response.status_code, response.get_data(as_text=True)

    results, errors = _run_together(app, 20, attempt)
    assert errors == [] and [s for s, _ in results].count(302) == 1
    loser_page = next(page for status, page in results if status == 409)
    for slot in surgery.slots[1:]:
        assert f'value="{slot.id}"' in loser_page
    assert Booking.query.count() == 1


def test_database_refuses_venue_names_differing_only_in_case(ward):
    make_venue(ward, name="Civic Centre")
    _db.session.add(Venue(name="CIVIC centre", address="Elsewhere", ward=ward))
    with pytest.raises(IntegrityError):
        _db.session.flush()
    _db.session.rollback()


@needs_postgres
def test_two_admins_saving_one_venue_name_at_once_get_a_field_error_not_a_500(app, ward):
    # Plain addresses: the threads must not touch the main thread's session's objects.
    admins = [SimpleNamespace(email=factories.user(role="admin").email) for _ in range(8)]
    ward_id = ward.id

    def attempt(index):
        client = app.test_client()
        login(client, admins[index])
        response = client.post("/staff/admin/venues/new", data={
            "name": "Fairbank Hub" if index % 2 else "FAIRBANK HUB", "address": "5 Fair Road",
            "ward": str(ward_id), "parking": "", "public_transport": "", "opening_notes": ""})
        return response.status_code, response.get_data(as_text=True)

    results, errors = _run_together(app, len(admins), attempt)
    assert errors == []
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1 and statuses.count(400) == len(admins) - 1, statuses
    assert all("There is already a venue with this name" in page for status, page in results if status == 400)
    assert Venue.query.count() == 1


@needs_postgres
def test_two_cancels_at_once_cancel_once(app, surgery, sent_emails):
    booking = make_booking(surgery.slots[0])
    link = f"/surgeries/booking/{notify.manage_token(booking)}/cancel"
    results, errors = _run_together(app, 8, lambda i: app.test_client().post(link).status_code)
    assert errors == [] and sorted(results) == [302] + [409] * 7, results
    assert len(sent_emails) == 1
    _db.session.expire_all()
    assert _db.session.get(Booking, booking.id).sequence == 1
