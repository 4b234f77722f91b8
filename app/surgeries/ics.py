"""Calendar invitations for bookings (RFC 5545 / iTIP RFC 5546) built with `icalendar`.

One booking is one event: its UID never changes, SEQUENCE goes up with every update, and a
cancellation is METHOD:CANCEL with STATUS:CANCELLED. The resident's topic is never included.
"""
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from app.common.timeutil import LONDON, utcnow

PRODID = "-//Council engagement platform//Ward surgeries//EN"


def _london_vtimezone() -> Timezone:
    """A compact VTIMEZONE for Europe/London (the EU rule in force since 1996)."""
    tz = Timezone()
    tz.add("tzid", "Europe/London")
    daylight = TimezoneDaylight()
    daylight.add("tzname", "BST")
    daylight.add("dtstart", datetime(1981, 3, 29, 1, 0, 0))
    daylight.add("tzoffsetfrom", _offset(0))
    daylight.add("tzoffsetto", _offset(1))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "GMT")
    standard.add("dtstart", datetime(1996, 10, 27, 2, 0, 0))
    standard.add("tzoffsetfrom", _offset(1))
    standard.add("tzoffsetto", _offset(0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def _offset(hours):
    return timedelta(hours=hours)


def _london(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc).astimezone(LONDON)


def invitation(booking, method: str = "REQUEST", manage_url: str | None = None) -> str:
    """The .ics text for `booking`: METHOD:REQUEST (new or changed) or METHOD:CANCEL."""
    surgery, slot = booking.surgery, booking.slot
    council = current_app.config["COUNCIL_NAME"]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_london_vtimezone())

    event = Event()
    event.add("uid", booking.uid)
    event.add("sequence", booking.sequence)
    event.add("dtstamp", utcnow().replace(tzinfo=timezone.utc))
    event.add("dtstart", _london(slot.starts_at))
    event.add("dtend", _london(slot.ends_at))
    event.add("summary", f"{surgery.ward.name} ward surgery with {surgery.host.name}")
    event.add("location", f"{surgery.venue.name}, {surgery.venue.address}")
    lines = [f"Your appointment at the {surgery.ward.name} ward surgery ({council})."]
    if booking.meeting_mode != "in_person":
        lines.append("You asked to meet by phone." if booking.meeting_mode == "phone"
                     else "You asked to meet by video call: we will email you the link.")
    if manage_url:
        lines.append(f"Change or cancel: {manage_url}")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer_name, organizer_email = parseaddr(current_app.config["MAIL_FROM"])
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name or council)
    event.add("organizer", organizer)
    if booking.email:
        attendee = vCalAddress(f"mailto:{booking.email}")
        attendee.params["cn"] = vText(booking.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def attachment(booking, method: str = "REQUEST", manage_url: str | None = None) -> dict:
    """The invitation as a send_email() attachment."""
    return {"filename": "invite.ics" if method == "REQUEST" else "cancel.ics",
            "content_type": f"text/calendar; method={method}", "method": method,
            "content": invitation(booking, method, manage_url)}
