"""Hosts' list, topic privacy, attendance, coverage report, venues admin."""
import csv
import io
from datetime import time, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from app.common.timeutil import to_london, utcnow
from app.extensions import db as _db
from app.surgeries.models import Booking, Venue
from tests import factories
from tests.conftest import login
from tests.surgeries.conftest import flashed, london_today, make_booking, make_surgery, make_venue

TOPIC = "Rent arrears letter from the landlord"


def test_hosts_see_bookings_with_contact_details_and_topic(client, host, ward, surgery):
    cohost = factories.user(role="officer")
    surgery.cohosts = [cohost]
    _db.session.commit()
    make_booking(surgery.slots[0], name="Abena Mensah", email="abena@example.com", phone="07700 900555",
                 topic=TOPIC, access_needs="BSL interpreter")
    for user in (host, cohost):
        login(client, user)
        for url in ("/staff/surgeries", f"/staff/surgeries/{surgery.id}"):
            page = client.get(url).get_data(as_text=True)
            assert "Abena Mensah" in page and "abena@example.com" in page and "07700 900555" in page, url
            assert TOPIC in page and "BSL interpreter" in page
        client.post("/sign-out")


@pytest.mark.parametrize("role", ["councillor", "officer", "admin"])
def test_topic_is_hidden_from_staff_who_are_not_hosts(client, surgery, role):
    make_booking(surgery.slots[0], name="Abena Mensah", topic=TOPIC)
    login(client, factories.user(role=role))
    for url in ("/staff/surgeries", f"/staff/surgeries/{surgery.id}", "/staff/surgeries/coverage",
                "/staff/surgeries/coverage?format=csv"):
        page = client.get(url).get_data(as_text=True)
        assert TOPIC not in page and "Abena Mensah" not in page, url
    assert "1 slot booked." in client.get(f"/staff/surgeries/{surgery.id}").get_data(as_text=True)


def test_topic_is_never_in_residents_emails_or_invites(client, surgery, sent_emails):
    client.post(f"/surgeries/{surgery.id}", data={"slot": str(surgery.slots[0].id), "name": "A", "email": "a@example.com",
                                                  "topic": TOPIC, "meeting_mode": "in_person"})
    assert len(sent_emails) == 1
    assert TOPIC not in sent_emails[0].as_string() and "Rent arrears" not in sent_emails[0]["Subject"]


def test_mark_attendance_after_the_surgery(client, host, ward):
    past = make_surgery(host, ward, days_ahead=-1)
    came, missed = make_booking(past.slots[0]), make_booking(past.slots[1], name="B", email="b@example.com")
    login(client, host)
    url = f"/staff/surgeries/{past.id}/bookings/{{}}/attendance"
    assert client.post(url.format(came.id), data={"attendance": "attended"}).status_code == 302
    assert client.post(url.format(missed.id), data={"attendance": "no_show", "back": "index"}).headers["Location"].endswith("/staff/surgeries")
    _db.session.expire_all()
    assert _db.session.get(Booking, came.id).attendance == "attended"
    assert _db.session.get(Booking, missed.id).attendance == "no_show"
    # bad values, unknown ids, other surgeries' bookings
    client.post(url.format(came.id), data={"attendance": "maybe"})
    assert "Choose attended or did not come" in flashed(client)
    assert _db.session.get(Booking, came.id).attendance == "attended"
    assert client.post(url.format(99999), data={"attendance": "attended"}).status_code == 404
    other = make_surgery(host, ward, days_ahead=-5)
    assert client.post(f"/staff/surgeries/{other.id}/bookings/{came.id}/attendance",
                       data={"attendance": "attended"}).status_code == 404


def test_attendance_not_before_the_appointment_and_only_by_hosts(client, host, surgery):
    booking = make_booking(surgery.slots[0])
    login(client, host)
    client.post(f"/staff/surgeries/{surgery.id}/bookings/{booking.id}/attendance", data={"attendance": "attended"})
    assert "once the appointment has started" in flashed(client)
    assert _db.session.get(Booking, booking.id).attendance is None
    client.post("/sign-out")
    login(client, factories.user(role="admin"))
    assert client.post(f"/staff/surgeries/{surgery.id}/bookings/{booking.id}/attendance",
                       data={"attendance": "attended"}).status_code == 403


def test_coverage_grid_and_csv(client, host, ward, officer):
    quiet = factories.ward(name="Quiet Ward")
    held = make_surgery(host, ward, days_ahead=-3, start=time(10, 0), end=time(11, 0))
    make_booking(held.slots[0], attendance="attended", topic=TOPIC)
    make_booking(held.slots[1], name="B", email="b@example.com", attendance="no_show")
    login(client, officer)
    response = client.get("/staff/surgeries/coverage")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Quiet Ward" in page and "No surgery" in page and "Missed" in page  # text, not only colour
    assert "Held" in page and "2 of 4 slots booked" in page and "1 attended, 1 did not come" in page
    assert TOPIC not in page
    response = client.get("/staff/surgeries/coverage?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    month = held.starts_at.strftime("%Y-%m")
    row = next(r for r in rows if r["Ward"] == "Kingsmead" and r["Month"] == month)
    assert (row["Surgeries held"], row["Slots offered"], row["Slots booked"], row["Attended"], row["Did not come"]) == \
        ("1", "4", "2", "1", "1")
    assert (row["Status"], row["Missed month"]) == ("Held", "no")
    assert len(rows) == 2 * 12
    assert all(r["Surgeries held"] == "0" for r in rows if r["Ward"] == "Quiet Ward")
    this_month = to_london(utcnow()).strftime("%Y-%m")
    quiet_rows = {r["Month"]: r for r in rows if r["Ward"] == "Quiet Ward"}
    assert all((r["Status"], r["Missed month"]) == ("No surgery", "yes") for m, r in quiet_rows.items() if m < this_month)
    assert quiet_rows[this_month]["Missed month"] == "no"  # the month isn't over yet


def test_coverage_csv_marks_a_month_with_only_a_cancelled_surgery(client, host, ward, officer):
    this_month = london_today().replace(day=1)
    held = make_surgery(host, ward, day=this_month - relativedelta(months=3) + timedelta(days=9))
    gone = make_surgery(host, ward, day=this_month - relativedelta(months=2) + timedelta(days=9))
    gone.cancel()
    upcoming = make_surgery(host, ward, day=this_month + relativedelta(months=1) + timedelta(days=9))
    _db.session.commit()
    login(client, officer)
    first, last = this_month - relativedelta(months=4), this_month + relativedelta(months=1)
    response = client.get(f"/staff/surgeries/coverage?format=csv&from={first:%Y-%m}&to={last:%Y-%m}")
    rows = {r["Month"]: (r["Status"], r["Missed month"])
            for r in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
            if r["Ward"] == "Kingsmead"}
    assert rows == {
        f"{first:%Y-%m}": ("No surgery", "yes"),
        f"{held.starts_at:%Y-%m}": ("Held", "no"),
        f"{gone.starts_at:%Y-%m}": ("Cancelled", "yes"),
        f"{this_month - relativedelta(months=1):%Y-%m}": ("No surgery", "yes"),
        f"{this_month:%Y-%m}": ("No surgery", "no"),
        f"{upcoming.starts_at:%Y-%m}": ("Planned", "no"),
    }


@pytest.mark.parametrize("query", ["from=garbage", "from=2026-13", "from=2026-05&to=2025-01", "from=1990-01&to=2026-01",
                                   "to=" + "9" * 10_000])
def test_coverage_bad_range(officer_client, query):
    response = officer_client.get("/staff/surgeries/coverage?" + query)
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)


def test_coverage_custom_range(officer_client):
    page = officer_client.get("/staff/surgeries/coverage?from=2026-01&to=2026-03").get_data(as_text=True)
    assert "January 2026 to March 2026" in page


def test_admin_manages_venues(admin_client, ward):
    data = {"name": "Fairbank Hub", "address": "5 Fair Road", "ward": str(ward.id), "access": ["step_free", "hearing_loop"],
            "parking": "None", "public_transport": "Bus 12", "opening_notes": "Weekdays"}
    assert admin_client.post("/staff/admin/venues/new", data=data).status_code == 302
    venue = Venue.query.one()
    assert venue.step_free and venue.hearing_loop and not venue.accessible_toilet and venue.ward_id == ward.id
    page = admin_client.get("/staff/admin/venues").get_data(as_text=True)
    assert "Fairbank Hub" in page
    assert admin_client.get(f"/staff/admin/venues/{venue.id}").status_code == 200
    data.update(access=["accessible_toilet"], name="Fairbank Community Hub")
    assert admin_client.post(f"/staff/admin/venues/{venue.id}", data=data).status_code == 302
    _db.session.expire_all()
    venue = _db.session.get(Venue, venue.id)
    assert venue.name == "Fairbank Community Hub" and venue.accessible_toilet and not venue.step_free
    assert admin_client.get("/staff/admin/venues/999").status_code == 404


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Enter the venue&#39;s name"),
    ({"name": "N" * 100_000}, "Venue name must be 160 characters or fewer"),
    ({"address": ""}, "Enter the address"),
    ({"ward": "abc"}, "Select the ward the venue is in"),
    ({"ward": "999"}, "Select the ward the venue is in"),
    ({"access": ["jacuzzi"]}, "Select options from the list"),
    ({"parking": "p" * 3000}, "Parking must be 2000 characters or fewer"),
    ({"name": "Existing Hall"}, "There is already a venue with this name"),
])
def test_venue_bad_input(admin_client, ward, fields, message):
    make_venue(ward, name="Existing Hall")
    data = {"name": "New Hall", "address": "5 Fair Road", "ward": str(ward.id), "parking": "", "public_transport": "",
            "opening_notes": ""}
    data.update(fields)
    response = admin_client.post("/staff/admin/venues/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page, page[:300]
    assert Venue.query.count() == 1


def test_venues_are_admin_only(client, councillor):
    login(client, councillor)
    assert client.get("/staff/admin/venues").status_code == 403
    assert client.get("/staff/admin/venues/new").status_code == 403
