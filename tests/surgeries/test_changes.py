"""What happens to a booking when it or its surgery changes: the way of meeting, reminders,
double cancels, phone-only residents to call, link lifetime, and slot times on the days the
clocks change."""
from datetime import date, time, timedelta

from app.common.timeutil import format_london
from app.common.transaction import commit
from app.extensions import db as _db
from app.surgeries import bookings, notify, scheduling
from app.surgeries.models import Booking
from tests import factories
from tests.conftest import login
from tests.surgeries.conftest import flashed, make_booking, make_surgery


def _link(booking):
    return f"/surgeries/booking/{notify.manage_token(booking)}"


def _body(message):
    return message.get_body(("plain",)).get_content()


def test_moving_to_a_surgery_without_phone_makes_the_booking_in_person(client, host, ward, sent_emails):
    phone_surgery = make_surgery(host, ward, days_ahead=10, remote_option="phone")
    in_person_only = make_surgery(host, ward, days_ahead=20)
    booking = make_booking(phone_surgery.slots[0], email="ann@example.com", phone="07700 900123",
                           meeting_mode="phone")
    response = client.post(_link(booking) + "/move", data={"slot": str(in_person_only.slots[1].id)})
    assert response.status_code == 302
    assert "now in person" in flashed(client)
    _db.session.expire_all()
    booking = _db.session.get(Booking, booking.id)
    assert booking.slot_id == in_person_only.slots[1].id and booking.meeting_mode == "in_person"
    body = _body(sent_emails[-1])
    assert "does not offer meeting by phone, so your appointment is now in person" in body
    assert "How: In person" in body


def test_moving_between_surgeries_offering_phone_keeps_the_choice(client, host, ward, sent_emails):
    first = make_surgery(host, ward, days_ahead=10, remote_option="phone")
    second = make_surgery(host, ward, days_ahead=20, remote_option="phone_video")
    booking = make_booking(first.slots[0], phone="07700 900123", meeting_mode="phone")
    assert client.post(_link(booking) + "/move", data={"slot": str(second.slots[0].id)}).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Booking, booking.id).meeting_mode == "phone"
    assert "now in person" not in _body(sent_emails[-1])


def test_surgery_dropping_video_makes_video_bookings_in_person_and_says_so(client, host, ward, sent_emails):
    surgery = make_surgery(host, ward, remote_option="video")
    video = make_booking(surgery.slots[0], email="vid@example.com", meeting_mode="video")
    in_person = make_booking(surgery.slots[1], email="ip@example.com")
    login(client, host)
    day = scheduling.plan_for(surgery).day
    response = client.post(f"/staff/surgeries/{surgery.id}/edit", data={
        "ward": str(ward.id), "venue": str(surgery.venue_id), "date-day": str(day.day), "date-month": str(day.month),
        "date-year": str(day.year), "start_time": "10:00", "end_time": "11:00", "kind": "slots",
        "slot_minutes": "15", "remote_option": "none"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Booking, video.id).meeting_mode == "in_person"
    by_to = {m["To"]: _body(m) for m in sent_emails}
    assert "does not offer meeting by video call, so your appointment is now in person" in by_to["vid@example.com"]
    assert "now in person" not in by_to["ip@example.com"]
    assert _db.session.get(Booking, in_person.id).meeting_mode == "in_person"


def test_booking_a_way_of_meeting_the_surgery_does_not_offer_is_refused(client, host, ward):
    """Phone offered by another surgery on the page doesn't make it possible at this one."""
    full = make_surgery(host, ward, days_ahead=10)
    for slot in full.slots:
        make_booking(slot, name="Earlier", email="e@example.com")
    other = make_surgery(host, ward, days_ahead=20)  # in person only
    phoning = make_surgery(host, ward, days_ahead=30, remote_option="phone")
    page = client.get(f"/surgeries/{full.id}").get_data(as_text=True)
    assert f'value="{phoning.slots[0].id}"' in page and 'value="phone"' in page
    response = client.post(f"/surgeries/{full.id}", data={
        "slot": str(other.slots[0].id), "name": "Bo", "phone": "07700 900555", "meeting_mode": "phone"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "does not offer meeting that way" in page and 'href="#meeting_mode"' in page
    assert 'value="Bo"' in page
    assert Booking.query.filter_by(name="Bo").count() == 0


def test_a_moved_booking_is_reminded_again_for_its_new_time(app, host, ward, sent_emails):
    surgery = make_surgery(host, ward, days_ahead=1)
    booking = make_booking(surgery.slots[0], email="ann@example.com")
    assert bookings.send_due_reminders(commit) == 1
    assert bookings.send_due_reminders(commit) == 0
    bookings.move(_db.session.get(Booking, booking.id), surgery.slots[2])
    commit()
    assert _db.session.get(Booking, booking.id).reminder_sent_at is None
    assert bookings.send_due_reminders(commit) == 1
    reminders = [m for m in sent_emails if m["Subject"].startswith("Reminder")]
    assert len(reminders) == 2
    assert format_london(surgery.slots[2].starts_at, "%-I:%M%p") in reminders[-1]["Subject"]
    assert bookings.send_due_reminders(commit) == 0


def test_changing_the_surgery_time_resets_the_reminder(app, host, ward, sent_emails):
    surgery = make_surgery(host, ward, days_ahead=1)
    booking = make_booking(surgery.slots[1], email="ann@example.com")
    assert bookings.send_due_reminders(commit) == 1
    plan = scheduling.plan_for(surgery)
    plan.start, plan.end = time(14, 0), time(15, 0)
    changed, cancelled, _ = scheduling.update_surgery(surgery, plan)
    commit()
    assert [b.id for b in changed] == [booking.id] and cancelled == []
    assert bookings.send_due_reminders(commit) == 1
    reminders = [m for m in sent_emails if m["Subject"].startswith("Reminder")]
    assert "2:15pm" in reminders[-1]["Subject"]


def test_cancelling_twice_cancels_once(client, surgery, sent_emails):
    booking = make_booking(surgery.slots[0])
    link = _link(booking)
    assert client.post(link + "/cancel").status_code == 302
    assert client.post(link + "/cancel").status_code == 409
    assert [m["Subject"].split(":")[0] for m in sent_emails] == ["Booking cancelled"]
    _db.session.expire_all()
    assert _db.session.get(Booking, booking.id).sequence == 1


def test_a_cancel_that_lost_to_another_is_refused_by_the_database(app, surgery, sent_emails):
    """The second of two concurrent cancels still sees the booking as active in memory: only the
    conditional UPDATE can tell it the row has already changed."""
    booking = make_booking(surgery.slots[0])
    assert booking.active
    _db.session.execute(_db.update(Booking).where(Booking.id == booking.id).values(status="cancelled")
                        .execution_options(synchronize_session=False))
    assert booking.active  # stale, as in the losing request
    try:
        bookings.cancel(booking)
    except bookings.BookingError as exc:
        assert "already been cancelled" in exc.message
    else:
        raise AssertionError("the second cancel went through")
    assert sent_emails == []


def test_old_confirmation_link_of_a_cancelled_booking_does_not_say_confirmed(client, surgery):
    booking = make_booking(surgery.slots[0])
    booking.cancel()
    _db.session.commit()
    response = client.get(_link(booking) + "/confirmed", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Booking confirmed" not in page and "Cancelled" in page


def _last_sunday(year, month):
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def test_slot_times_on_the_days_the_clocks_change():
    spring, autumn = _last_sunday(2027, 3), _last_sunday(2027, 10)
    assert (spring, autumn) == (date(2027, 3, 28), date(2027, 10, 31))
    for day, offset in ((spring - timedelta(days=1), 0), (spring, 1), (autumn - timedelta(days=1), 1), (autumn, 0)):
        times = scheduling.slot_times(day, time(10, 0), time(11, 0), 15)
        assert [format_london(s, "%H:%M") for s, _ in times] == ["10:00", "10:15", "10:30", "10:45"], day
        assert times[0][0].hour == 10 - offset, day  # stored as UTC: 9am UTC is 10am BST
        assert all(e - s == timedelta(minutes=15) for s, e in times)


def test_a_session_across_the_spring_change_skips_the_missing_hour():
    """00:30 to 03:00 on the spring Sunday: 1am to 2am doesn't exist, so the session is 90 real
    minutes; no slot starts in the missing hour and none overlap."""
    times = scheduling.slot_times(date(2027, 3, 28), time(0, 30), time(3, 0), 30)
    starts = [s for s, _ in times]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(not (1 <= int(format_london(s, "%H")) < 2) for s in starts)
    assert all(b[0] >= a[1] for a, b in zip(times, times[1:]))


def _edit_data(ward, surgery, **fields):
    day = scheduling.plan_for(surgery).day
    data = {"ward": str(ward.id), "venue": str(surgery.venue_id), "date-day": str(day.day),
            "date-month": str(day.month), "date-year": str(day.year), "start_time": "2pm", "end_time": "3pm",
            "kind": "slots", "slot_minutes": "15", "remote_option": "none"}
    data.update(fields)
    return data


def test_an_admin_who_is_not_hosting_sees_a_count_not_names_and_hosts_see_who_to_call(client, host, ward, surgery):
    phoner = make_booking(surgery.slots[0], name="Phoner Person", email=None, phone="07700 900111")
    make_booking(surgery.slots[1], name="Emailer", email="e@example.com")
    login(client, factories.user(role="admin"))  # may change any surgery, but isn't hosting this one
    assert client.post(f"/staff/surgeries/{surgery.id}/edit", data=_edit_data(ward, surgery)).status_code == 302
    told = flashed(client)
    assert "We emailed 1 booked resident." in told
    assert "1 resident gave only a phone number; the surgery's hosts can see who to call" in told
    assert "Phoner" not in told and "07700" not in told
    assert _db.session.get(Booking, phoner.id).needs_call is True
    client.post("/sign-out")
    login(client, host)
    page = client.get(f"/staff/surgeries/{surgery.id}").get_data(as_text=True)
    assert "Needs a call" in page and "Phoner Person" in page and "07700 900111" in page
    assert "Mark as called" in page
    response = client.post(f"/staff/surgeries/{surgery.id}/bookings/{phoner.id}/called")
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Booking, phoner.id).needs_call is False
    assert "Needs a call" not in client.get(f"/staff/surgeries/{surgery.id}").get_data(as_text=True)


def test_hosts_see_cancelled_phone_only_bookings_to_call(client, host, ward, surgery):
    phoner = make_booking(surgery.slots[0], name="Phoner Person", email=None, phone="07700 900111")
    login(client, host)
    assert client.post(f"/staff/surgeries/{surgery.id}/cancel").status_code == 302
    assert "Please phone: Phoner Person (07700 900111)" in flashed(client)  # the host may see who
    page = client.get("/staff/surgeries").get_data(as_text=True)
    assert "Cancelled bookings to phone" in page and "Phoner Person, 07700 900111" in page
    # only the surgery's hosts may clear the marker
    client.post("/sign-out")
    login(client, factories.user(role="councillor"))
    assert client.post(f"/staff/surgeries/{surgery.id}/bookings/{phoner.id}/called").status_code == 403
    assert _db.session.get(Booking, phoner.id).needs_call is True


def test_link_lifetime_is_the_configured_number_of_days(app, client, surgery, monkeypatch):
    import time as _time

    from itsdangerous.timed import TimestampSigner

    booking = make_booking(surgery.slots[0])
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(_time.time()) - 40 * 86400)
    token = notify.manage_token(booking)  # made 40 days ago
    monkeypatch.undo()
    assert app.config["SURGERY_LINK_MAX_AGE_DAYS"] == 400
    assert client.get(f"/surgeries/booking/{token}").status_code == 200
    monkeypatch.setitem(app.config, "SURGERY_LINK_MAX_AGE_DAYS", 30)
    assert client.get(f"/surgeries/booking/{token}").status_code == 404
