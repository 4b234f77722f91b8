"""Residents: find by postcode or ward, book, confirmation email with .ics, change and cancel."""
import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from app.common.signing import make_token
from app.extensions import db as _db
from app.surgeries import notify
from app.surgeries.models import Booking
from app.wards.models import Postcode
from tests.surgeries.conftest import make_booking, make_surgery


def _book(client, surgery, chosen=None, **fields):
    data = {"slot": str((chosen or surgery.slots[0]).id), "name": "Ann Resident", "email": "ann@example.com",
            "phone": "", "topic": "Damp in my flat", "access_needs": "", "meeting_mode": "in_person"}
    data.update(fields)
    return client.post(f"/surgeries/{surgery.id}", data=data)


def _calendar(message):
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0], Calendar.from_ical(parts[0].get_content())


def _event(cal):
    return next(c for c in cal.walk("VEVENT"))


def test_find_by_postcode_goes_to_the_ward(client, surgery, ward):
    _db.session.add(Postcode(postcode="NB4 1AA", ward_id=ward.id))
    _db.session.commit()
    response = client.get("/surgeries?postcode=nb41aa")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/surgeries/ward/{ward.slug}")
    page = client.get(f"/surgeries/ward/{ward.slug}").get_data(as_text=True)
    assert surgery.venue.name in page and "Book one of 4 free times" in page
    assert "Step-free access" in page and "Bus 47" in page


@pytest.mark.parametrize("query, message", [
    ("postcode=NOTAPC", "Enter a real postcode"),
    ("postcode=ZZ9+9ZZ", "could not find that postcode"),
    ("postcode=&ward=", "Enter a postcode or choose a ward"),
    ("ward=no-such-ward", "Choose a ward from the list"),
    ("postcode=" + "A" * 100_000, "must be 10 characters or fewer"),
])
def test_find_bad_input(client, ward, query, message):
    response = client.get("/surgeries?" + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_find_by_ward(client, ward):
    assert client.get(f"/surgeries?ward={ward.slug}").headers["Location"].endswith(f"/surgeries/ward/{ward.slug}")
    assert client.get("/surgeries/ward/nowhere").status_code == 404


def test_book_a_slot_sends_confirmation_with_invitation(client, surgery, sent_emails):
    slot = surgery.slots[1]
    response = _book(client, surgery, slot, topic="My neighbour's secret problem")
    assert response.status_code == 302
    confirmed = client.get(response.headers["Location"])
    assert confirmed.status_code == 200 and "Booking confirmed" in confirmed.get_data(as_text=True)
    booking = Booking.query.one()
    assert booking.slot_id == slot.id and booking.active and booking.topic == "My neighbour's secret problem"

    assert len(sent_emails) == 1
    message = sent_emails[0]
    assert message["To"] == "ann@example.com"
    assert "secret" not in message["Subject"].lower()
    assert "secret" not in message.get_body(("plain",)).get_content().lower()
    part, cal = _calendar(message)
    assert "secret" not in part.get_content().lower()
    assert part.get_param("method") == "REQUEST" and str(cal["METHOD"]) == "REQUEST"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    event = _event(cal)
    assert str(event["UID"]) == booking.uid
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London" or getattr(start.tzinfo, "key", "") == "Europe/London"
    assert start.astimezone(tz=None).utctimetuple()[:5] == slot.starts_at.utctimetuple()[:5]
    assert event.decoded("DTEND") - start == timedelta(minutes=15)
    assert "DTSTART;TZID=Europe/London:" in part.get_content()
    assert surgery.venue.name in str(event["LOCATION"])
    assert str(event["ORGANIZER"]).startswith("mailto:")


def test_confirmation_page_without_email_shows_the_link(client, surgery, sent_emails):
    response = _book(client, surgery, email="", phone="07700 900123")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "keep this page" in page and sent_emails == []


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Enter your name"),
    ({"email": "", "phone": ""}, "Enter an email address or a phone number, or both"),
    ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ({"phone": "call me maybe"}, "Enter a phone number"),
    ({"slot": ""}, "Choose a time"),
    ({"slot": "abc"}, "Choose a time"),
    ({"slot": "99999999999999999999"}, "Choose a time"),
    ({"meeting_mode": "telepathy"}, "Select how you would like to meet"),
    ({"meeting_mode": "phone"}, "Select how you would like to meet"),  # not offered at this surgery
    ({"name": "A" * 100_000}, "Name must be 120 characters or fewer"),
    ({"topic": "T" * 100_000}, "1000 characters or fewer"),
    ({"access_needs": "x" * 5000}, "1000 characters or fewer"),
    ({"email": "a" * 300 + "@example.com"}, "254 characters or fewer"),
])
def test_booking_bad_input_is_explained_and_kept(client, surgery, fields, message):
    response = _book(client, surgery, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:300]
    assert message in page and "There is a problem" in page
    assert Booking.query.count() == 0
    if fields.get("name", "x") == "" and "topic" not in fields:
        assert "Damp in my flat" in page  # what they typed is kept


def test_phone_meeting_needs_a_phone_number(client, host, ward, sent_emails):
    surgery = make_surgery(host, ward, remote_option="phone")
    response = _book(client, surgery, meeting_mode="phone", phone="")
    assert response.status_code == 400 and "so we can call you" in response.get_data(as_text=True)
    assert _book(client, surgery, meeting_mode="phone", phone="07700 900456").status_code == 302


def test_taken_slot_shows_clear_message_and_other_free_slots(client, surgery):
    make_booking(surgery.slots[0])
    response = _book(client, surgery, surgery.slots[0], name="Late Comer")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "someone else has just booked that time" in page
    assert "Late Comer" in page  # what they typed is kept
    free_ids = set(re.findall(r'name="slot" type="radio" value="(\d+)"', page))
    assert free_ids == {str(s.id) for s in surgery.slots[1:]}
    assert Booking.query.count() == 1


def test_unknown_past_and_cancelled_surgeries_are_404(client, host, ward):
    assert client.get("/surgeries/999").status_code == 404
    assert client.get("/surgeries/abc").status_code == 404
    past = make_surgery(host, ward, days_ahead=-3)
    assert client.get(f"/surgeries/{past.id}").status_code == 404
    future = make_surgery(host, ward, days_ahead=20)
    future.cancel()
    _db.session.commit()
    assert client.get(f"/surgeries/{future.id}").status_code == 404


def test_drop_in_surgery_has_nothing_to_book(client, host, ward):
    surgery = make_surgery(host, ward, kind="drop_in")
    assert surgery.slots == []
    page = client.get(f"/surgeries/{surgery.id}").get_data(as_text=True)
    assert "you do not need to book" in page
    assert client.post(f"/surgeries/{surgery.id}", data={"name": "x"}).status_code == 200
    assert Booking.query.count() == 0


def _manage(client, booking):
    return "/surgeries/booking/" + notify.manage_token(booking)


def test_cancel_from_signed_link_sends_cancel_ics(app, client, surgery, sent_emails):
    _book(client, surgery)
    booking = Booking.query.one()
    first_uid = booking.uid
    link = _manage(client, booking)
    assert "Cancel the booking" in client.get(link).get_data(as_text=True)
    assert client.get(link + "/cancel").status_code == 200
    response = client.post(link + "/cancel")
    assert response.status_code == 302
    _db.session.expire_all()
    booking = _db.session.get(Booking, booking.id)
    assert booking.status == "cancelled" and booking.sequence == 1
    message = sent_emails[-1]
    assert message["Subject"].startswith("Booking cancelled")
    part, cal = _calendar(message)
    assert part.get_param("method") == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    event = _event(cal)
    assert str(event["UID"]) == first_uid and int(event["SEQUENCE"]) == 1 and str(event["STATUS"]) == "CANCELLED"
    # the slot is free again, and the cancelled link can't cancel twice
    assert client.post(link + "/cancel").status_code == 409
    assert _book(client, surgery, name="Next Person", email="next@example.com").status_code == 302


def test_move_from_signed_link_keeps_uid_and_bumps_sequence(client, host, ward, surgery, sent_emails):
    later = make_surgery(host, ward, days_ahead=40, venue=surgery.venue)
    _book(client, surgery)
    booking = Booking.query.one()
    link = _manage(client, booking)
    page = client.get(link + "/move").get_data(as_text=True)
    assert str(later.slots[2].id) in page
    response = client.post(link + "/move", data={"slot": str(later.slots[2].id)})
    assert response.status_code == 302
    _db.session.expire_all()
    booking = _db.session.get(Booking, booking.id)
    assert booking.slot_id == later.slots[2].id and booking.sequence == 1
    part, cal = _calendar(sent_emails[-1])
    event = _event(cal)
    assert str(cal["METHOD"]) == "REQUEST" and str(event["UID"]) == booking.uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(tz=None).utctimetuple()[:5] == later.slots[2].starts_at.utctimetuple()[:5]


@pytest.mark.parametrize("value", ["", "abc", "99999999", "1" * 50])
def test_move_bad_input(client, surgery, value):
    booking = make_booking(surgery.slots[0])
    response = client.post(_manage(client, booking) + "/move", data={"slot": value})
    assert response.status_code == 400 and "Choose a new time" in response.get_data(as_text=True)


def test_move_into_a_taken_slot_is_refused(client, surgery):
    mine = make_booking(surgery.slots[0])
    make_booking(surgery.slots[1], name="Other", email="other@example.com")
    response = client.post(_manage(client, mine) + "/move", data={"slot": str(surgery.slots[1].id)})
    assert response.status_code == 400
    assert _db.session.get(Booking, mine.id).slot_id == surgery.slots[0].id


def test_tampered_link_gets_a_clear_page(client, surgery):
    booking = make_booking(surgery.slots[0])
    token = notify.manage_token(booking)
    for bad in (token[:-3] + "abc", "nonsense", make_token("surgery-booking", {"b": booking.id, "u": "other"}),
                make_token("panel", {"b": booking.id, "u": booking.uid}), make_token("surgery-booking", [1, 2]),
                "x" * 5000):
        for suffix in ("", "/cancel", "/move", "/invite.ics", "/confirmed"):
            response = client.get(f"/surgeries/booking/{bad}{suffix}")
            assert response.status_code == 404, (bad, suffix)
            assert "This link does not work" in response.get_data(as_text=True)
        assert client.post(f"/surgeries/booking/{bad}/cancel").status_code == 404
    assert _db.session.get(Booking, booking.id).active


def test_expired_link_gets_a_clear_page(app, client, surgery, monkeypatch):
    import time as _time

    from itsdangerous.timed import TimestampSigner

    booking = make_booking(surgery.slots[0])
    days = app.config.get("SURGERY_LINK_MAX_AGE_DAYS", 400)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(_time.time()) - (days + 1) * 86400)
    old_token = notify.manage_token(booking)
    monkeypatch.undo()
    response = client.post(f"/surgeries/booking/{old_token}/cancel")
    assert response.status_code == 404 and "may have expired" in response.get_data(as_text=True)
    assert _db.session.get(Booking, booking.id).active


def test_invite_download_matches_the_email(client, surgery):
    booking = make_booking(surgery.slots[0], topic="Private matter")
    response = client.get(_manage(client, booking) + "/invite.ics")
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert "Private matter" not in text
    cal = Calendar.from_ical(text)
    assert str(_event(cal)["UID"]) == booking.uid


def test_free_times_across_a_wards_surgeries_take_the_same_queries_for_two_or_five(
        client, host, ward, surgery, sql_statements):
    def counts():
        ward_page, _ = sql_statements(lambda: client.get(f"/surgeries/ward/{ward.slug}"))
        # A full surgery's form lists the free times at the ward's other surgeries.
        form_page, body = sql_statements(
            lambda: client.get(f"/surgeries/{full.id}").get_data(as_text=True))
        return len(ward_page), len(form_page), body

    full = make_surgery(host, ward, days_ahead=12)
    for slot in full.slots:
        make_booking(slot, email=f"r{slot.id}@example.com")
    few = counts()
    for days in (14, 16, 18):
        make_surgery(host, ward, days_ahead=days)
    many = counts()
    assert few[:2] == many[:2], (few[:2], many[:2])
    assert "Choose a time at another surgery" in many[2]
    assert many[2].count('name="slot"') == 4 * 4  # every free time of the four others
