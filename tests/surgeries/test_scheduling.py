"""Hosts create surgeries and series; validation; changing and cancelling tells booked residents."""
from datetime import time, timedelta

import pytest
from icalendar import Calendar

from app.extensions import db as _db
from app.surgeries import scheduling
from app.surgeries.models import Booking, Slot, Surgery
from tests import factories
from tests.conftest import login
from tests.surgeries.conftest import flashed, london_today, make_booking, make_surgery, make_venue


def _form(ward, venue, when, /, **fields):
    data = {"ward": str(ward.id), "venue": str(venue.id), "date-day": str(when.day), "date-month": str(when.month),
            "date-year": str(when.year), "start_time": "10:00", "end_time": "11:00", "kind": "slots",
            "slot_minutes": "15", "remote_option": "none", "repeat": "none", "occurrences": ""}
    data.update(fields)
    return data


@pytest.fixture()
def host_client(client, host):
    login(client, host)
    return client


def test_create_a_surgery_generates_slots(host_client, host, ward):
    venue = make_venue(ward)
    day = london_today() + timedelta(days=14)
    response = host_client.post("/staff/surgeries/new", data=_form(ward, venue, day, remote_option="phone"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    surgery = Surgery.query.one()
    assert surgery.host_id == host.id and surgery.remote_option == "phone"
    assert [s.starts_at.strftime("%M") for s in surgery.slots] == ["00", "15", "30", "45"]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=15) for s in surgery.slots)
    # 10:00 London time stored as UTC
    from app.common.timeutil import to_london
    assert to_london(surgery.starts_at).strftime("%H:%M") == "10:00"


def test_create_a_monthly_series_on_the_first_saturday(host_client, ward):
    venue = make_venue(ward)
    day = london_today() + timedelta(days=1)
    while day.weekday() != 5 or day.day > 7:
        day += timedelta(days=1)
    response = host_client.post("/staff/surgeries/new", data=_form(ward, venue, day, repeat="monthly", occurrences="4"))
    assert response.status_code == 302
    surgeries = Surgery.query.order_by(Surgery.starts_at).all()
    assert len(surgeries) == 4 and len({s.series_id for s in surgeries}) == 1
    from app.common.timeutil import to_london
    for s in surgeries:
        local = to_london(s.starts_at)
        assert local.weekday() == 5 and local.day <= 7 and local.strftime("%H:%M") == "10:00"


def test_repeat_dates_last_weekday_and_weekly():
    from datetime import date
    assert scheduling.repeat_dates(date(2027, 1, 30), "monthly", 3) == [date(2027, 1, 30), date(2027, 2, 27), date(2027, 3, 27)]
    assert scheduling.repeat_dates(date(2027, 1, 2), "weekly", 3) == [date(2027, 1, 2), date(2027, 1, 9), date(2027, 1, 16)]
    assert scheduling.describe_repeat(date(2027, 1, 2), "monthly") == "the first Saturday of each month"


@pytest.mark.parametrize("fields, message", [
    ({"date-day": "1", "date-month": "1", "date-year": "2020"}, "must be in the future"),
    ({"start_time": "11:00", "end_time": "10:00"}, "The end time must be after the start time"),
    ({"end_time": "11:10"}, "does not divide into 15-minute slots"),
    ({"slot_minutes": ""}, "Enter the slot length in minutes"),
    ({"slot_minutes": "abc"}, "whole number of minutes"),
    ({"slot_minutes": "9999"}, "Slot length must be 3 characters or fewer"),
    ({"slot_minutes": "0"}, "whole number of minutes"),
    ({"date-day": "31", "date-month": "2", "date-year": "2030"}, "must be a real date"),
    ({"date-day": "", "date-month": "", "date-year": ""}, "Enter the date of the surgery"),
    ({"date-day": "x" * 100_000}, "must be a real date"),
    ({"date-month": ""}, "The date must include a month"),
    ({"date-day": "", "date-year": ""}, "The date must include a day and a year"),
    ({"date-year": "99999"}, "Enter a year between 2000 and 2100"),
    ({"start_time": "25:00"}, "Enter the start time as hours and minutes"),
    ({"start_time": "soon"}, "Enter the start time as hours and minutes"),
    ({"end_time": "9" * 100_000}, "End time must be 10 characters or fewer"),
    ({"ward": "999"}, "Select the ward"),
    ({"ward": "abc"}, "Select the ward"),
    ({"venue": ""}, "Select the venue"),
    ({"kind": "party"}, "Select how residents see you"),
    ({"remote_option": "carrier pigeon"}, "Select whether residents can meet by phone or video"),
    ({"repeat": "monthly", "occurrences": "100"}, "from 2 to 24"),
    ({"repeat": "yearly"}, "Select whether the surgery repeats"),
    ({"cohosts": "424242"}, "Select options from the list"),
])
def test_create_bad_input(host_client, ward, fields, message):
    venue = make_venue(ward)
    response = host_client.post("/staff/surgeries/new", data=_form(ward, venue, london_today() + timedelta(days=5), **fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:500]
    assert message in page and "There is a problem" in page
    assert Surgery.query.count() == 0


def test_every_problem_is_shown_at_once(host_client, ward):
    venue = make_venue(ward)
    response = host_client.post("/staff/surgeries/new", data=_form(
        ward, venue, london_today() - timedelta(days=3), start_time="11:00", end_time="10:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The date and start time must be in the future" in page
    assert "The end time must be after the start time" in page
    assert 'href="#date-day"' in page and 'href="#end_time"' in page
    assert Surgery.query.count() == 0


def test_a_clash_and_a_bad_slot_length_are_shown_together(host_client, host, ward):
    existing = make_surgery(host, ward, days_ahead=6)
    response = host_client.post("/staff/surgeries/new", data=_form(
        ward, existing.venue, london_today() + timedelta(days=6), start_time="10:30", end_time="11:30",
        slot_minutes="25"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "does not divide into 25-minute slots" in page and "This overlaps another surgery" in page
    assert Surgery.query.count() == 1


def test_drop_in_needs_no_slot_length(host_client, ward):
    venue = make_venue(ward)
    day = london_today() + timedelta(days=5)
    response = host_client.post("/staff/surgeries/new", data=_form(ward, venue, day, kind="drop_in", slot_minutes="",
                                                                   end_time="11:10"))
    assert response.status_code == 302
    assert Slot.query.count() == 0


def test_overlapping_surgery_for_the_same_host_is_refused(host_client, host, ward):
    existing = make_surgery(host, ward, days_ahead=7, start=time(10, 0), end=time(12, 0))
    response = host_client.post("/staff/surgeries/new", data=_form(
        ward, existing.venue, london_today() + timedelta(days=7), start_time="11:30", end_time="12:30"))
    assert response.status_code == 400
    assert "overlaps another surgery" in response.get_data(as_text=True)
    # back to back is fine
    response = host_client.post("/staff/surgeries/new", data=_form(
        ward, existing.venue, london_today() + timedelta(days=7), start_time="12:00", end_time="13:00"))
    assert response.status_code == 302


def test_overlap_counts_co_hosts(host_client, host, ward):
    other = factories.user(role="councillor")
    make_surgery(other, ward, days_ahead=7, cohosts=[host])  # host is a co-host there
    response = host_client.post("/staff/surgeries/new", data=_form(ward, make_venue(ward, name="Hall"),
                                                                   london_today() + timedelta(days=7)))
    assert response.status_code == 400 and "overlaps another surgery" in response.get_data(as_text=True)
    # and adding a busy colleague as co-host is refused too
    third = factories.user(role="officer")
    make_surgery(third, ward, days_ahead=9)
    response = host_client.post("/staff/surgeries/new", data=_form(ward, make_venue(ward, name="Hall 2"),
                                                                   london_today() + timedelta(days=9), cohosts=str(third.id)))
    assert response.status_code == 400 and "overlaps another surgery" in response.get_data(as_text=True)


def test_series_with_one_clash_creates_nothing(host_client, host, ward):
    venue = make_venue(ward)
    day = london_today() + timedelta(days=3)
    make_surgery(host, ward, venue=venue, day=day + timedelta(days=14))
    response = host_client.post("/staff/surgeries/new", data=_form(ward, venue, day, repeat="weekly", occurrences="4"))
    assert response.status_code == 400
    assert Surgery.query.count() == 1


def test_venue_in_another_ward_is_allowed_with_a_note(host_client, ward):
    other_ward = factories.ward(name="Westwood Park")
    venue = make_venue(ward, name="Kingsmead Library")
    response = host_client.post("/staff/surgeries/new", data=_form(other_ward, venue, london_today() + timedelta(days=5)))
    assert response.status_code == 302
    assert "Kingsmead Library is in Kingsmead ward, not Westwood Park" in flashed(host_client)


def test_changing_a_surgery_tells_booked_residents(host_client, host, ward, surgery, sent_emails):
    kept = make_booking(surgery.slots[1], name="Kept", email="kept@example.com", topic="Secret A")
    dropped = make_booking(surgery.slots[3], name="Dropped", email="dropped@example.com")
    phone_only = make_booking(surgery.slots[2], name="Phoner", email=None, phone="07700 900111")
    uid = kept.uid
    new_day = london_today() + timedelta(days=12)
    # 2pm to 2:45pm: three slots, so the 4th booking no longer fits
    response = host_client.post(f"/staff/surgeries/{surgery.id}/edit",
                                data=_form(ward, surgery.venue, new_day, start_time="2pm", end_time="2:45pm"))
    assert response.status_code == 302
    assert "Please phone: Phoner (07700 900111)" in flashed(host_client)
    _db.session.expire_all()
    kept, dropped = _db.session.get(Booking, kept.id), _db.session.get(Booking, dropped.id)
    assert kept.active and kept.sequence == 1 and kept.uid == uid
    assert dropped.status == "cancelled"
    by_to = {m["To"]: m for m in sent_emails}
    assert set(by_to) == {"kept@example.com", "dropped@example.com"}
    cal = Calendar.from_ical(next(by_to["kept@example.com"].iter_attachments()).get_content())
    event = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "REQUEST" and str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").strftime("%H:%M") == "14:15"
    assert "Secret A" not in by_to["kept@example.com"].as_string()
    cal = Calendar.from_ical(next(by_to["dropped@example.com"].iter_attachments()).get_content())
    assert str(cal["METHOD"]) == "CANCEL"


def test_cancelling_a_surgery_sends_cancellations(host_client, surgery, sent_emails):
    booking = make_booking(surgery.slots[0])
    assert host_client.get(f"/staff/surgeries/{surgery.id}/cancel").status_code == 200
    assert host_client.post(f"/staff/surgeries/{surgery.id}/cancel").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Surgery, surgery.id).cancelled
    booking = _db.session.get(Booking, booking.id)
    assert booking.status == "cancelled" and booking.sequence == 1
    cal = Calendar.from_ical(next(sent_emails[0].iter_attachments()).get_content())
    assert str(cal["METHOD"]) == "CANCEL" and str(cal.walk("VEVENT")[0]["UID"]) == booking.uid
    assert host_client.post(f"/staff/surgeries/{surgery.id}/cancel").status_code == 409
    # residents no longer see it
    assert host_client.get(f"/surgeries/{surgery.id}").status_code == 404


def test_only_hosts_and_admins_may_change_a_surgery(client, surgery, ward):
    login(client, factories.user(role="councillor"))
    assert client.get(f"/staff/surgeries/{surgery.id}/edit").status_code == 403
    assert client.post(f"/staff/surgeries/{surgery.id}/cancel").status_code == 403
    assert client.get("/staff/surgeries/999/edit").status_code == 404
    client.post("/sign-out")
    login(client, factories.user(role="admin"))
    assert client.get(f"/staff/surgeries/{surgery.id}/edit").status_code == 200


def test_past_surgery_cannot_be_changed(host_client, host, ward):
    past = make_surgery(host, ward, days_ahead=-2)
    response = host_client.post(f"/staff/surgeries/{past.id}/edit",
                                data=_form(ward, past.venue, london_today() + timedelta(days=5)))
    assert response.status_code == 400 and "already started" in response.get_data(as_text=True)


def test_edit_page_prefills(host_client, surgery):
    page = host_client.get(f"/staff/surgeries/{surgery.id}/edit").get_data(as_text=True)
    assert 'value="10:00"' in page and 'value="15"' in page


def test_surgery_date_errors_sit_beside_the_three_boxes(host_client, ward, surgery):
    venue = make_venue(ward)
    response = host_client.post("/staff/surgeries/new", data=_form(ward, venue, london_today() - timedelta(days=3)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#date-day"' in page  # the summary links to the date's first box
    error = page[page.index('id="date-error"'):][:300]
    assert "must be in the future" in error
    past = london_today() - timedelta(days=3)
    assert f'name="date-day" type="text" value="{past.day}"' in page  # what was typed is kept
    edit = host_client.get(f"/staff/surgeries/{surgery.id}/edit").get_data(as_text=True)
    day = scheduling.plan_for(surgery).day
    assert f'name="date-year" type="text" value="{day.year}"' in edit  # the edit page shows the current date
