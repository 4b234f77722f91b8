"""A resident finds a surgery by postcode, books a slot, then moves and cancels it from the
link in the email they were sent."""
import re
from email import message_from_bytes, policy

import pytest
from playwright.sync_api import expect

from app.common.timeutil import format_london
from app.extensions import db as _db
from app.surgeries.models import Booking
from app.wards.models import Postcode
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.surgeries.conftest import make_surgery


@pytest.fixture()
def emailed(smtp_server, app, monkeypatch):
    """Emails from the live server go to the real SMTP server too: the live app is built from
    Settings, so point Settings at it before `page` starts the server."""
    from tests.conftest import Settings

    for key in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT"):
        monkeypatch.setattr(Settings, key, app.config[key], raising=False)
    return smtp_server


def _manage_link(message) -> str:
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:\d+/surgeries/booking/\S+", text).group(0)


def test_find_book_move_and_cancel_a_surgery_slot(emailed, live_notify, page, db):
    ward = factories.ward(name="Hollybush")
    host = factories.user(role="councillor", ward=ward, name="Helen Marsh")
    surgery = make_surgery(host, ward, days_ahead=8)
    later = make_surgery(host, ward, days_ahead=15)
    _db.session.add(Postcode(postcode="NB2 3QS", ward_id=ward.id))
    _db.session.commit()

    page.goto("/surgeries")
    assert_accessible(page, "find a surgery")
    page.get_by_label("Enter your postcode").fill("nb2 3qs")
    page.get_by_role("button", name="Find surgeries").click()
    expect(page.get_by_role("heading", name="Hollybush", level=1)).to_be_visible()
    assert_accessible(page, "ward surgeries")

    page.get_by_role("link", name="Book one of 4 free times").first.click()
    assert_accessible(page, "surgery and booking form")
    page.get_by_role("button", name="Book this time").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "booking form with errors")

    page.get_by_label("10:15am to 10:30am").check()
    page.get_by_label("Full name").fill("Abena Mensah")
    page.get_by_label("Email address").fill("abena@example.com")
    page.get_by_label("What would you like to talk about? (optional)").fill("Damp in my flat")
    expect(page.get_by_label("UK mobile number")).to_be_hidden()  # revealed under "Text message"
    page.get_by_label("Text message").check()
    page.get_by_label("UK mobile number").fill("07911 123456")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="Booking confirmed")).to_be_visible()
    expect(page.get_by_text("We have sent a text message to 07911 123456")).to_be_visible()
    assert_accessible(page, "booking confirmed")

    booking = Booking.query.one()
    assert booking.name == "Abena Mensah" and booking.active
    assert [m["To"] for m in emailed] == ["abena@example.com"]
    page.goto(_manage_link(emailed[0]))  # the link as the resident gets it
    assert_accessible(page, "manage booking")

    page.get_by_role("link", name="Change the time").click()
    assert_accessible(page, "change the time")
    new_slot = later.slots[2]
    page.get_by_label(format_london(new_slot.starts_at, "%A %-d %B, %-I:%M%p") + " at " + later.venue.name).check()
    page.get_by_role("button", name="Change the time").click()
    expect(page.get_by_text("Your booking has moved to")).to_be_visible()
    assert_accessible(page, "booking moved")
    _db.session.expire_all()
    assert Booking.query.one().slot_id == new_slot.id

    page.goto(_manage_link(emailed[-1]))  # the link in the "Booking changed" email works too
    page.get_by_role("link", name="Cancel the booking").click()
    assert_accessible(page, "confirm cancellation")
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
    assert_accessible(page, "booking cancelled")
    _db.session.expire_all()
    assert Booking.query.one().status == "cancelled"
    assert [m["Subject"].split(":")[0].strip() for m in emailed] == ["Booking confirmed", "Booking changed", "Booking cancelled"]
    # She chose texts too: each went through GOV.UK Notify (the stub) with its own template.
    from tests.notify_stub import template_for

    assert [(t["phone_number"], t["template_id"]) for t in live_notify.of("sms")] == [
        ("+447911123456", template_for("sms", kind))
        for kind in ("surgery_booking_confirmation", "surgery_booking_moved", "surgery_booking_cancelled")]


def test_host_pages_are_accessible(page, db):
    from tests.surgeries.conftest import make_booking

    ward = factories.ward(name="Kingsmead")
    host = factories.user(role="councillor", ward=ward)
    past = make_surgery(host, ward, days_ahead=-2)
    make_booking(past.slots[0])
    make_surgery(host, ward, days_ahead=5)
    sign_in(page, host)
    for url, label in (("/staff/surgeries", "host's surgeries"), ("/staff/surgeries/new", "create a surgery"),
                       ("/staff/surgeries/coverage", "coverage report")):
        page.goto(url)
        assert_accessible(page, label)
    page.goto("/staff/surgeries/new")
    page.get_by_role("button", name="Create surgery").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "create a surgery with errors")


def test_losing_the_last_time_keeps_what_was_typed_and_offers_other_surgeries(page, db):
    from tests.surgeries.conftest import make_booking

    ward = factories.ward(name="Hollybush")
    host = factories.user(role="councillor", ward=ward)
    surgery = make_surgery(host, ward, days_ahead=8)
    other = make_surgery(host, ward, days_ahead=15)
    for slot in surgery.slots[:-1]:
        make_booking(slot, name="Earlier", email="earlier@example.com")
    page.goto(f"/surgeries/{surgery.id}")
    page.get_by_label("10:45am to 11:00am").check()
    page.get_by_label("Full name").fill("Abena Mensah")
    page.get_by_label("Email address").fill("abena@example.com")
    make_booking(surgery.slots[-1], name="Quicker", email="quick@example.com")  # someone else wins
    page.get_by_role("button", name="Book this time").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("someone else has just booked that time")
    expect(page.get_by_label("Full name")).to_have_value("Abena Mensah")
    assert_accessible(page, "lost the last time")
    summary.get_by_role("link").click()  # the summary's link leads to the choices
    expect(page.locator("#slot")).to_be_focused()
    page.get_by_label(format_london(other.slots[0].starts_at, "%A %-d %B, %-I:%M%p") + " at " + other.venue.name).check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="Booking confirmed")).to_be_visible()
    _db.session.expire_all()
    assert Booking.query.filter_by(name="Abena Mensah").one().slot_id == other.slots[0].id
