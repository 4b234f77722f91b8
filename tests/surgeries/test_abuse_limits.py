"""Issue 14, finding 4 on surgery bookings: bookings and moves email the address on the booking,
so one machine could fill a ward's surgeries and flood someone else's inbox."""
from datetime import time

from app.surgeries import notify
from app.surgeries.models import Booking
from tests.surgeries.conftest import make_booking, make_surgery


def _booking_data(slot, email):
    return {"slot": str(slot.id), "name": "Ann Resident", "email": email, "phone": "", "topic": "",
            "access_needs": "", "meeting_mode": "in_person"}


def test_bookings_to_one_address_are_capped_and_the_form_is_kept(limited_app, host, ward):
    app = limited_app()
    surgery = make_surgery(host, ward, start=time(9, 0), end=time(12, 0), slot_minutes=10)  # 18 times
    client = app.test_client()
    statuses = [client.post(f"/surgeries/{surgery.id}", data=_booking_data(slot, "victim@example.org")).status_code
                for slot in surgery.slots[:12]]
    assert statuses == [302] * 5 + [429] * 7
    assert len(app.extensions["sent_emails"]) == 5 and Booking.query.count() == 5
    page = client.post(f"/surgeries/{surgery.id}", data=_booking_data(surgery.slots[15], "victim@example.org"))
    text = page.get_data(as_text=True)
    assert "govuk-error-summary" in text and "already sent several emails to this address" in text
    assert 'value="Ann Resident"' in text and 'value="victim@example.org"' in text


def test_one_machine_cannot_fill_the_surgeries(limited_app, host, ward):
    app = limited_app()
    surgery = make_surgery(host, ward, start=time(9, 0), end=time(12, 0), slot_minutes=10)
    client = app.test_client()
    for n, slot in enumerate(surgery.slots):
        client.post(f"/surgeries/{surgery.id}", data=_booking_data(slot, f"made-up-{n}@example.org"))
    assert Booking.query.count() == 10


def test_moving_a_booking_back_and_forth_cannot_flood_its_address(limited_app, host, ward):
    app = limited_app()
    surgery = make_surgery(host, ward, start=time(9, 0), end=time(10, 0), slot_minutes=15)
    booking = make_booking(surgery.slots[0], email="victim@example.org")
    client = app.test_client()
    link = f"/surgeries/booking/{notify.manage_token(booking)}/move"
    # Back and forth between two times; once refused, the booking stays on the second.
    targets = [surgery.slots[1], surgery.slots[2]] * 2 + [surgery.slots[1]] + [surgery.slots[2]] * 15
    statuses = [client.post(link, data={"slot": str(slot.id)}).status_code for slot in targets]
    assert statuses == [302] * 5 + [429] * 15
    assert len(app.extensions["sent_emails"]) == 5
    assert "moved too many times" in client.post(link, data={"slot": str(surgery.slots[3].id)}).get_data(as_text=True)
