"""Residents who book a surgery and choose texts: a UK mobile checked on booking, the confirmation
and the reminder by text through GOV.UK Notify (a local stub, tests/notify_stub.py)."""
from app.common.transaction import commit
from app.extensions import db as _db
from app.notifications.models import OutboundEmail
from app.notifications.phones import MOBILE_ERROR
from app.surgeries import bookings
from app.surgeries.models import Booking
from tests.notify_stub import template_for
from tests.surgeries.conftest import make_booking, make_surgery


def _book(client, surgery, **fields):
    data = {"slot": str(surgery.slots[0].id), "name": "Ann Resident", "email": "ann@example.com", "phone": "",
            "topic": "Damp in my flat", "access_needs": "", "meeting_mode": "in_person"}
    data.update(fields)
    return client.post(f"/surgeries/{surgery.id}", data=data)


def test_text_is_offered_only_with_notify(client, surgery, app, notify):
    assert 'name="contact_preference"' in client.get(f"/surgeries/{surgery.id}").get_data(as_text=True)
    app.config["NOTIFY_API_KEY"] = None
    assert 'name="contact_preference"' not in client.get(f"/surgeries/{surgery.id}").get_data(as_text=True)
    response = _book(client, surgery, contact_preference="text", mobile="07911 123456")
    assert response.status_code == 400 and "Select how we should send" in response.get_data(as_text=True)
    assert Booking.query.count() == 0


def test_bad_mobile_numbers_get_a_message_beside_the_field_and_keep_what_was_typed(client, surgery, notify):
    for typed, message in (("", "Enter a UK mobile number so we can text you, or choose email"),
                           ("0161 496 0000", MOBILE_ERROR), ("+1 202 555 0100", MOBILE_ERROR),
                           ("07911", MOBILE_ERROR)):
        response = _book(client, surgery, contact_preference="text", mobile=typed, name="Bo")
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, typed
        assert 'href="#mobile"' in page and f'value="{typed}"' in page and 'value="Bo"' in page
    assert Booking.query.count() == 0 and notify.received == []


def test_confirmation_by_text_and_email_then_the_reminder_by_text_only(app, client, host, ward, notify):
    surgery = make_surgery(host, ward, days_ahead=1)
    response = _book(client, surgery, contact_preference="text", mobile="07911 123 456")
    assert response.status_code == 302
    booking = Booking.query.one()
    assert booking.contact_preference == "text" and booking.mobile == "+447911123456"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We have sent a text message to 07911 123456" in page and "We will text you a reminder" in page
    text = notify.of("sms")[0]
    assert text["phone_number"] == "+447911123456"
    assert text["template_id"] == template_for("sms", "surgery_booking_confirmation")
    fields = text["personalisation"]
    assert fields["name"] == "Ann Resident" and surgery.venue.name in fields["where"]
    assert "/surgeries/booking/" in fields["link"] and fields["link"] in fields["body"]
    assert "Damp" not in str(text)  # the topic is only for the hosts
    email = notify.of("email")[0]  # they gave an email too: it carries the details and the link
    assert email["template_id"] == template_for("email", "surgery_booking_confirmation")
    notify.reset()
    assert bookings.send_due_reminders(commit) == 1
    assert notify.of("email") == []
    reminder = notify.of("sms")[0]
    assert reminder["template_id"] == template_for("sms", "surgery_reminder")
    assert reminder["personalisation"]["when"] == fields["when"] and "reminder" in reminder["personalisation"]["body"]


def test_email_choosers_are_reminded_by_email_through_notify(host, ward, notify):
    surgery = make_surgery(host, ward, days_ahead=1)
    make_booking(surgery.slots[0], email="ann@example.com")
    assert bookings.send_due_reminders(commit) == 1
    assert notify.of("sms") == []
    reminder = notify.of("email")[0]
    assert reminder["email_address"] == "ann@example.com"
    assert reminder["template_id"] == template_for("email", "surgery_reminder")


def test_a_text_only_booking_needs_no_email_and_is_texted_not_called_when_cancelled(client, host, ward, notify):
    from tests.conftest import login

    surgery = make_surgery(host, ward)
    assert _book(client, surgery, email="", contact_preference="text", mobile="07911123456").status_code == 302
    login(client, host)
    assert client.post(f"/staff/surgeries/{surgery.id}/cancel").status_code == 302
    assert [t["template_id"] for t in notify.of("sms")] == [template_for("sms", "surgery_booking_confirmation"),
                                                            template_for("sms", "surgery_cancelled")]
    assert _db.session.get(Booking, Booking.query.one().id).needs_call is False


def test_a_reminder_notify_refuses_is_kept_and_not_claimed_twice(app, host, ward, notify):
    surgery = make_surgery(host, ward, days_ahead=1)
    make_booking(surgery.slots[0], email=None, contact_preference="text", mobile="+447911123456")
    notify.fail_next(429)
    assert bookings.send_due_reminders(commit) == 1
    assert OutboundEmail.query.one().status == "failed"  # kept for `flask send-emails`
    assert bookings.send_due_reminders(commit) == 0  # the booking was claimed: no second text queued
    app.test_cli_runner().invoke(args=["send-emails"])
    assert [t["phone_number"] for t in notify.of("sms")] == ["+447911123456"]
