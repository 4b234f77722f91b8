"""Emails and texts to residents about their bookings. The topic they gave is never in either.

Every email carries the signed link to change or cancel, and an .ics invitation (or
cancellation) that updates the same calendar event. A resident who chose texts (offered when
GOV.UK Notify is set up) gets each message by text too, and the reminder by text only.
"""
from flask import current_app

from app.common.signing import make_token
from app.common.timeutil import format_london
from app.notifications.notify import texts_available
from app.notifications.services import email_link, send_email, send_sms
from app.surgeries import ics
from app.surgeries.models import MEETING_MODES

TOKEN_PURPOSE = "surgery-booking"


def manage_token(booking) -> str:
    return make_token(TOKEN_PURPOSE, {"b": booking.id, "u": booking.uid})


def manage_url(booking) -> str:
    return email_link("surgeries.manage_booking", token=manage_token(booking))


def when(booking) -> str:
    return format_london(booking.slot.starts_at, "%A %-d %B %Y at %-I:%M%p")


def _details(booking) -> str:
    surgery, venue = booking.surgery, booking.surgery.venue
    access = [text for flag, text in ((venue.step_free, "step-free access"),
                                      (venue.accessible_toilet, "an accessible toilet"),
                                      (venue.hearing_loop, "a hearing loop")) if flag]
    lines = [
        f"When: {when(booking)} to {format_london(booking.slot.ends_at, '%-I:%M%p')}",
        f"Where: {venue.name}, {venue.address}",
        f"Who: {', '.join(h.name for h in surgery.hosts)}",
        f"How: {MEETING_MODES.get(booking.meeting_mode, 'In person')}",
    ]
    if access:
        lines.append("The venue has " + ", ".join(access) + ".")
    if venue.public_transport:
        lines.append(f"Getting there: {venue.public_transport}")
    return "\n".join(lines)


def _send(booking, kind, subject, opening, text, method="REQUEST"):
    """Email `opening` and the details; text `text` (a short version) to those who chose texts."""
    link = manage_url(booking)
    council = current_app.config["COUNCIL_NAME"]
    venue = booking.surgery.venue
    fields = {"name": booking.name, "when": when(booking), "where": f"{venue.name}, {venue.address}",
              "how": MEETING_MODES.get(booking.meeting_mode, "In person"), "message": opening, "link": link}
    texted = None
    if booking.texts and texts_available():
        texted = send_sms(booking.mobile, kind, f"{council}: {text} {fields['when']}, {venue.name}. "
                          f"To change or cancel: {link}", personalisation=fields)
        if kind == "surgery_reminder":
            return texted  # they asked for their reminder by text
    if not booking.email:
        return texted  # booked with a phone number only: texts, or the hosts call instead
    body = (f"Dear {booking.name},\n\n{opening}\n\n{_details(booking)}\n\n"
            f"To change or cancel your booking, use this link:\n{link}\n\n{council}\n")
    return send_email(booking.email, subject, body, attachments=[ics.attachment(booking, method, link)],
                      kind=kind, personalisation=fields)


def booking_confirmed(booking):
    return _send(booking, "surgery_booking_confirmation", f"Booking confirmed: ward surgery on {when(booking)}",
                 "Thank you for booking a ward surgery appointment. A calendar invitation is attached.",
                 "your ward surgery appointment is booked for")


def mode_given_up(given_up, start="That") -> str:
    """What the resident is told when their way of meeting isn't offered at the new time."""
    way = MEETING_MODES[given_up].lower() if given_up in MEETING_MODES else "that way"
    return f"{start} surgery does not offer meeting {way}, so your appointment is now in person."


def _mode_note(given_up) -> str:
    if not given_up:
        return ""
    return ("\n\n" + mode_given_up(given_up, "This")
            + " If you cannot come in person, use the link below to choose another time or cancel.")


def booking_moved(booking, given_up=None):
    return _send(booking, "surgery_booking_moved", f"Booking changed: ward surgery on {when(booking)}",
                 "Your ward surgery appointment has moved to a new time. The attached invitation "
                 "updates your calendar." + _mode_note(given_up),
                 "your ward surgery appointment has moved to" + (" (in person)" if given_up else ""))


def booking_cancelled(booking):
    return _send(booking, "surgery_booking_cancelled", f"Booking cancelled: ward surgery on {when(booking)}",
                 "Your ward surgery appointment has been cancelled, as you asked. The attachment "
                 "removes it from your calendar.", "as you asked, we have cancelled your ward surgery appointment on",
                 method="CANCEL")


def surgery_changed(booking, given_up=None):
    return _send(booking, "surgery_changed", f"Your ward surgery has changed: now {when(booking)}",
                 "The ward surgery you booked has changed. Please check the new details below; "
                 "the attached invitation updates your calendar." + _mode_note(given_up),
                 "the ward surgery you booked has changed. It is now" + (" in person," if given_up else ""))


def surgery_cancelled(booking):
    return _send(booking, "surgery_cancelled", f"Ward surgery cancelled: {when(booking)}",
                 "We are sorry: the ward surgery you booked has been cancelled. You can book "
                 "another date on our website. The attachment removes it from your calendar.",
                 "we are sorry: the ward surgery you booked has been cancelled. It was on", method="CANCEL")


def reminder(booking):
    return _send(booking, "surgery_reminder", f"Reminder: ward surgery tomorrow, {when(booking)}",
                 "This is a reminder of your ward surgery appointment tomorrow.",
                 "reminder of your ward surgery appointment tomorrow,")
