"""Residents finding surgeries and booking, moving and cancelling slots; attendance; reminders.

Double-booking is prevented by the database (a partial unique index on active bookings of a
slot): the Python checks here only give a friendlier message in the common case. A lost race
surfaces as sqlalchemy.exc.IntegrityError at flush; callers roll back and show the free slots.
"""
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from app.common.signing import read_token
from app.common.timeutil import london_to_utc, to_london, utcnow
from app.extensions import db
from app.surgeries import notify
from app.surgeries.models import ATTENDANCE, Booking, Slot, Surgery


class BookingError(Exception):
    def __init__(self, message, field="slot"):
        super().__init__(message)
        self.message, self.field = message, field


SLOT_TAKEN = "Sorry, someone else has just booked that time. Choose one of the free times below."
SLOT_TAKEN_NONE_LEFT = "Sorry, someone else has just booked that time, and there are no other free times in {ward} at the moment."


def upcoming_in_ward(ward, now=None):
    """The ward's scheduled surgeries not yet over, with the venue and hosts the pages show
    (loaded together, not one surgery at a time)."""
    now = now or utcnow()
    return (Surgery.query.filter(Surgery.ward_id == ward.id, Surgery.status == "scheduled",
                                 Surgery.ends_at > now)
            .options(selectinload(Surgery.venue), selectinload(Surgery.host),
                     selectinload(Surgery.cohosts))
            .order_by(Surgery.starts_at).all())


def bookable_surgery(surgery_id, now=None):
    """A surgery residents may see: scheduled and not yet over (else None)."""
    now = now or utcnow()
    surgery = db.session.get(Surgery, surgery_id)
    if surgery is None or surgery.cancelled or surgery.ends_at <= now:
        return None
    return surgery


def free_slots_by_surgery(surgeries, now=None):
    """{surgery id: [free slots, earliest first]} for several surgeries in one query."""
    now = now or utcnow()
    found = {s.id: [] for s in surgeries}
    if not found:
        return found
    taken = db.select(Booking.slot_id).where(Booking.status == "active")
    for slot in (Slot.query.filter(Slot.surgery_id.in_(list(found)), Slot.withdrawn.is_(False),
                                   Slot.starts_at > now, Slot.id.not_in(taken))
                 .order_by(Slot.starts_at, Slot.id)):
        found[slot.surgery_id].append(slot)
    return found


def free_slots(surgery, now=None):
    return free_slots_by_surgery([surgery], now)[surgery.id]


def free_slots_in_ward(ward, now=None):
    """[(surgery, [free slots])] for the ward's upcoming bookable surgeries."""
    surgeries = [s for s in upcoming_in_ward(ward, now) if s.bookable]
    free = free_slots_by_surgery(surgeries, now)
    return [(s, free[s.id]) for s in surgeries if free[s.id]]


def _check_slot(slot, now):
    if slot is None or slot.withdrawn:
        raise BookingError("Choose a time from the list")
    surgery = slot.surgery
    if surgery.cancelled or not surgery.bookable:
        raise BookingError("This surgery is no longer taking bookings")
    if slot.starts_at <= now:
        raise BookingError("That time has passed. Choose a later time")
    if slot.active_booking() is not None:
        raise BookingError(SLOT_TAKEN)


def book(slot, name, email=None, phone=None, topic="", access_needs="", meeting_mode="in_person", now=None,
         mobile=None):
    """Book `slot` for a resident and queue the confirmation with its .ics invitation.

    `mobile` (E.164, from app/notifications/phones.py): the resident chose texts, sent to it."""
    _check_slot(slot, now or utcnow())
    if meeting_mode not in slot.surgery.meeting_modes:
        raise BookingError("That surgery does not offer meeting that way. Choose in person, or a time at a "
                           "surgery that offers phone or video", field="meeting_mode")
    booking = Booking(slot=slot, name=name.strip(), email=(email or "").strip().lower() or None,
                      phone=(phone or "").strip() or None, topic=(topic or "").strip(),
                      access_needs=(access_needs or "").strip(), meeting_mode=meeting_mode,
                      contact_preference="text" if mobile else "email", mobile=mobile)
    db.session.add(booking)
    db.session.flush()  # the unique index speaks here if another request won the race
    notify.booking_confirmed(booking)
    return booking


def booking_for_token(token: str):
    """The booking a signed link points at, or None when tampered with, expired or unknown."""
    max_age = current_app.config["SURGERY_LINK_MAX_AGE_DAYS"] * 86400
    data = read_token(notify.TOKEN_PURPOSE, token or "", max_age_seconds=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("b"), int):
        return None
    booking = db.session.get(Booking, data["b"])
    if booking is None or booking.uid != data.get("u"):
        return None
    return booking


def can_change(booking, now=None) -> bool:
    return booking.active and booking.slot.starts_at > (now or utcnow())


def cancel(booking, now=None):
    if not can_change(booking, now):
        raise BookingError("This booking can no longer be cancelled", field="confirm")
    # Conditional on still being active, so of two cancels at once (a double click, two devices)
    # only one changes the row and sends the cancellation; the other is told it's already done.
    result = db.session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == "active")
        .values(**Booking.cancelled_values(Booking.sequence))
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise BookingError("This booking has already been cancelled", field="confirm")
    db.session.refresh(booking)
    notify.booking_cancelled(booking)


def move_choices(booking, now=None):
    """Free slots the booking may move to: any upcoming surgery in the same ward."""
    return [(s, slots) for s, slots in free_slots_in_ward(booking.surgery.ward, now)]


def move(booking, slot, now=None):
    """Move to `slot`; returns the meeting mode given up when the new surgery doesn't offer it."""
    now = now or utcnow()
    if not can_change(booking, now):
        raise BookingError("This booking can no longer be changed")
    if slot is not None and slot.surgery.ward_id != booking.surgery.ward_id:
        raise BookingError("Choose a time from the list")
    if slot is not None and slot.id == booking.slot_id:
        raise BookingError("That is the time you already have. Choose a different time")
    _check_slot(slot, now)
    booking.move_to(slot)
    given_up = booking.fit_meeting_mode()
    db.session.flush()
    notify.booking_moved(booking, given_up)
    return given_up


def mark_attendance(booking, value, now=None):
    if value not in ATTENDANCE:
        raise BookingError("Choose attended or did not come", field="attendance")
    if not booking.active:
        raise BookingError("This booking was cancelled", field="attendance")
    if booking.slot.starts_at > (now or utcnow()):
        raise BookingError("You can mark attendance once the appointment has started", field="attendance")
    booking.mark_attendance(value)
    db.session.flush()


# --- Reminders --------------------------------------------------------------------------------

def tomorrow_bounds(now=None):
    """Naive-UTC start and end of tomorrow in London."""
    today = to_london(now or utcnow()).date()
    start = datetime.combine(today + timedelta(days=1), time())
    return london_to_utc(start), london_to_utc(start + timedelta(days=1))


def due_reminder_ids(now=None):
    start, end = tomorrow_bounds(now)
    query = (db.session.query(Booking.id).join(Slot).join(Surgery)
             .filter(Booking.status == "active", Booking.reminder_sent_at.is_(None),
                     Booking.email.isnot(None) | ((Booking.contact_preference == "text") & Booking.mobile.isnot(None)),
                     Surgery.status == "scheduled",
                     Slot.starts_at >= start, Slot.starts_at < end)
             .order_by(Booking.id))
    return [row.id for row in query]


def claim_reminder(booking_id, now) -> bool:
    """Atomically mark one booking as reminded; only the caller that gets rowcount 1 sends."""
    result = db.session.execute(
        update(Booking).where(Booking.id == booking_id, Booking.reminder_sent_at.is_(None),
                              Booking.status == "active")
        .values(reminder_sent_at=now).execution_options(synchronize_session=False))
    return result.rowcount == 1


def send_due_reminders(commit, now=None) -> int:
    """Send tomorrow's reminders; `commit` is called per booking so each claim is durable
    (together with its queued email) before the email is delivered. Safe to run twice or
    concurrently: a booking is claimed by exactly one run."""
    now = now or utcnow()
    sent = 0
    for booking_id in due_reminder_ids(now):
        if claim_reminder(booking_id, now):
            booking = db.session.get(Booking, booking_id)
            db.session.refresh(booking)
            notify.reminder(booking)
            sent += 1
        commit()
    return sent
