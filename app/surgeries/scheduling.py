"""Venues, and hosts scheduling surgeries (one-off or a repeating series) and their slots.

Services flush, never commit. Validation returns every problem at once, keyed by form field.
"""
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from dateutil.relativedelta import weekday as rr_weekday
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.common.auth import STAFF_ROLES
from app.common.timeutil import london_to_utc, to_london, utcnow
from app.extensions import db
from app.surgeries.models import Slot, Surgery, SurgeryCohost, Venue

MAX_OCCURRENCES = 24
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ScheduleError(Exception):
    """Problems with a plan: [(field name, message), ...]."""

    def __init__(self, problems):
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


@dataclass
class SurgeryPlan:
    """What a host asked for, in London wall-clock time."""

    ward: object
    venue: Venue
    host: User
    day: date
    start: time
    end: time
    kind: str = "slots"
    slot_minutes: int | None = 15
    remote_option: str = "none"
    cohosts: list = field(default_factory=list)

    @property
    def bookable(self):
        return self.kind in ("slots", "both")

    def people_ids(self):
        return {self.host.id, *(u.id for u in self.cohosts)}


# --- Venues ------------------------------------------------------------------------------------

VENUE_NAME_TAKEN = "There is already a venue with this name"
VENUE_FIELDS = ("name", "address", "ward_id", "step_free", "accessible_toilet", "hearing_loop",
                "parking", "public_transport", "opening_notes")


def venues():
    return Venue.query.order_by(Venue.name).all()


def save_venue(venue: Venue | None, **values) -> Venue:
    """Create (venue=None) or update a venue. Raises ScheduleError if the name is taken."""
    name = values["name"].strip()
    clash = Venue.query.filter(db.func.lower(Venue.name) == name.lower())
    if venue is not None and venue.id:
        clash = clash.filter(Venue.id != venue.id)
    if clash.first():
        raise ScheduleError([("name", VENUE_NAME_TAKEN)])
    venue = venue or Venue()
    for key in VENUE_FIELDS:
        setattr(venue, key, values[key].strip() if isinstance(values[key], str) else values[key])
    db.session.add(venue)
    db.session.flush()
    return venue


# --- Repeating dates ----------------------------------------------------------------------------

def nth_weekday(day: date) -> int:
    """Which occurrence of its weekday `day` is in its month: 1..4, or -1 for the last."""
    if (day + timedelta(days=7)).month != day.month:
        return -1
    return (day.day - 1) // 7 + 1


def describe_repeat(day: date, repeat: str) -> str:
    if repeat == "weekly":
        return f"every {DAY_NAMES[day.weekday()]}"
    if repeat == "monthly":
        return f"the {ORDINALS[nth_weekday(day)]} {DAY_NAMES[day.weekday()]} of each month"
    return "once"


def repeat_dates(first: date, repeat: str, count: int) -> list[date]:
    """The dates of a series starting on `first` (e.g. the first Saturday of each month)."""
    if repeat == "none":
        return [first]
    start = datetime.combine(first, time())
    if repeat == "weekly":
        rule = rrule(WEEKLY, dtstart=start, count=count)
    else:
        weekday = rr_weekday(first.weekday())(nth_weekday(first))
        rule = rrule(MONTHLY, dtstart=start, byweekday=weekday, count=count)
    return [d.date() for d in rule]


# --- Times and slots -----------------------------------------------------------------------------

def session_utc(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return london_to_utc(datetime.combine(day, start)), london_to_utc(datetime.combine(day, end))


def slot_times(day: date, start: time, end: time, minutes: int) -> list[tuple[datetime, datetime]]:
    """Naive-UTC (start, end) of each slot, stepped in London wall-clock time."""
    cursor, finish, times = datetime.combine(day, start), datetime.combine(day, end), []
    while cursor + timedelta(minutes=minutes) <= finish:
        after = cursor + timedelta(minutes=minutes)
        start_utc, end_utc = london_to_utc(cursor), london_to_utc(after)
        # The hour the clocks skip in spring has no real times: a slot starting or ending in it
        # would overlap its neighbours, so it is left out.
        real = all(to_london(u).replace(tzinfo=None) == w for u, w in ((start_utc, cursor), (end_utc, after)))
        if real and end_utc > start_utc:
            times.append((start_utc, end_utc))
        cursor = after
    return times


def _session_minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def overlapping(people_ids, starts_at, ends_at, exclude_id=None):
    """Scheduled surgeries that any of these people host (or co-host) and that overlap the time."""
    cohosting = db.select(SurgeryCohost.surgery_id).where(SurgeryCohost.user_id.in_(people_ids))
    query = Surgery.query.filter(Surgery.status == "scheduled", Surgery.starts_at < ends_at,
                                 Surgery.ends_at > starts_at,
                                 or_(Surgery.host_id.in_(people_ids), Surgery.id.in_(cohosting)))
    if exclude_id is not None:
        query = query.filter(Surgery.id != exclude_id)
    return query.order_by(Surgery.starts_at).all()


def check_plan(plan: SurgeryPlan, dates: list[date], now=None, exclude_id=None) -> list:
    """Every problem with holding `plan` on `dates`, as [(field, message)]."""
    now = now or utcnow()
    problems = []
    minutes = _session_minutes(plan.start, plan.end)
    if minutes <= 0:
        problems.append(("end_time", "The end time must be after the start time"))
    elif minutes > 12 * 60:
        problems.append(("end_time", "A surgery must be 12 hours or shorter"))
    if plan.bookable and minutes > 0:
        if not plan.slot_minutes:
            problems.append(("slot_minutes", "Enter the slot length in minutes"))
        elif minutes % plan.slot_minutes:
            problems.append(("slot_minutes",
                             f"A {minutes}-minute surgery does not divide into {plan.slot_minutes}-minute "
                             f"slots. Choose a slot length that divides {minutes} minutes exactly, like "
                             + " or ".join(str(m) for m in _divisors(minutes))))
    if plan.host.id in {u.id for u in plan.cohosts}:
        problems.append(("cohosts", "The host cannot also be a co-host"))
    starts_at, _ = session_utc(dates[0], plan.start, plan.end)
    if starts_at <= now:
        problems.append(("date", "The date and start time must be in the future"))
    if not 0 < minutes <= 12 * 60:
        return problems  # no real session to compare with others
    clashes = []
    for day in dates:
        starts_at, ends_at = session_utc(day, plan.start, plan.end)
        for other in overlapping(plan.people_ids(), starts_at, ends_at, exclude_id):
            clashes.append(other)
    if clashes:
        listed = ", ".join(f"{to_london(s.starts_at):%-d %B %Y} at {s.venue.name}" for s in clashes[:5])
        problems.append(("start_time", "This overlaps another surgery for the same host or co-host: " + listed))
    return problems


def _divisors(minutes):
    found = [m for m in (10, 15, 20, 30, 45, 60) if minutes % m == 0]
    return found[:3] or [minutes]


def build_surgery(plan: SurgeryPlan, day: date, series_id=None) -> Surgery:
    """The rows for one date, without validation (callers check first; the demo builds the past)."""
    starts_at, ends_at = session_utc(day, plan.start, plan.end)
    surgery = Surgery(ward=plan.ward, venue=plan.venue, host=plan.host, starts_at=starts_at,
                      ends_at=ends_at, kind=plan.kind, remote_option=plan.remote_option,
                      slot_minutes=plan.slot_minutes if plan.bookable else None, series_id=series_id)
    surgery.cohosts = list(plan.cohosts)
    if plan.bookable:
        for slot_start, slot_end in slot_times(day, plan.start, plan.end, plan.slot_minutes):
            surgery.slots.append(Slot(starts_at=slot_start, ends_at=slot_end))
    db.session.add(surgery)
    return surgery


def schedule(plan: SurgeryPlan, repeat: str = "none", count: int = 1, now=None) -> list[Surgery]:
    """Create one surgery or a series. Raises ScheduleError and adds nothing when any date fails."""
    dates = repeat_dates(plan.day, repeat, count)
    problems = check_plan(plan, dates, now)
    if problems:
        raise ScheduleError(problems)
    series_id = str(uuid.uuid4()) if len(dates) > 1 else None
    surgeries = [build_surgery(plan, day, series_id) for day in dates]
    db.session.flush()
    return surgeries


# --- Changing and cancelling ----------------------------------------------------------------------

def plan_for(surgery: Surgery) -> SurgeryPlan:
    start, end = to_london(surgery.starts_at), to_london(surgery.ends_at)
    return SurgeryPlan(ward=surgery.ward, venue=surgery.venue, host=surgery.host, day=start.date(),
                       start=start.time(), end=end.time(), kind=surgery.kind,
                       slot_minutes=surgery.slot_minutes, remote_option=surgery.remote_option,
                       cohosts=list(surgery.cohosts))


def update_surgery(surgery: Surgery, plan: SurgeryPlan, now=None):
    """Apply a change. Returns (changed bookings, cancelled bookings, {booking id: meeting mode given
    up}) so residents can be told; a booking by phone or video the surgery no longer offers
    becomes in person.

    Bookings keep their place in the running order (the 2nd slot stays the 2nd slot); bookings
    of slots that no longer fit are cancelled.
    """
    now = now or utcnow()
    if surgery.starts_at <= now:
        raise ScheduleError([("date", "This surgery has already started, so it cannot be changed")])
    if surgery.cancelled:
        raise ScheduleError([("date", "This surgery has been cancelled, so it cannot be changed")])
    problems = check_plan(plan, [plan.day], now, exclude_id=surgery.id)
    if problems:
        raise ScheduleError(problems)
    before = {b.id: (b.slot.starts_at, surgery.venue_id, surgery.remote_option) for b in surgery.active_bookings()}
    surgery.ward, surgery.venue, surgery.kind = plan.ward, plan.venue, plan.kind
    surgery.remote_option = plan.remote_option
    surgery.cohosts = list(plan.cohosts)
    surgery.starts_at, surgery.ends_at = session_utc(plan.day, plan.start, plan.end)
    surgery.slot_minutes = plan.slot_minutes if plan.bookable else None
    new_times = slot_times(plan.day, plan.start, plan.end, plan.slot_minutes) if plan.bookable else []
    cancelled = _apply_slot_times(surgery, new_times)
    changed = [b for b in surgery.active_bookings()
               if before.get(b.id) != (b.slot.starts_at, surgery.venue_id, surgery.remote_option)]
    for booking in changed + cancelled:
        booking.flag_for_call()
    given_up = {}
    for booking in changed:
        booking.sequence += 1
        booking.reminder_sent_at = None
        previous = booking.fit_meeting_mode()
        if previous:
            given_up[booking.id] = previous
    db.session.flush()
    return changed, cancelled, given_up


def _apply_slot_times(surgery, new_times):
    live = [s for s in surgery.slots if not s.withdrawn]
    for index, (start, end) in enumerate(new_times):
        if index < len(live):
            live[index].starts_at, live[index].ends_at = start, end
        else:
            surgery.slots.append(Slot(starts_at=start, ends_at=end))
    cancelled = []
    for slot in live[len(new_times):]:
        for booking in slot.bookings:
            if booking.active:
                booking.cancel()
                cancelled.append(booking)
        if slot.bookings:
            slot.withdrawn = True
        else:
            surgery.slots.remove(slot)
    return cancelled


def cancel_surgery(surgery: Surgery, now=None) -> list:
    """Cancel a surgery and its bookings; returns the bookings to tell."""
    now = now or utcnow()
    if surgery.cancelled:
        raise ScheduleError([("confirm", "This surgery is already cancelled")])
    if surgery.ends_at <= now:
        raise ScheduleError([("confirm", "This surgery has already happened")])
    cancelled = []
    for booking in surgery.active_bookings():
        booking.cancel()
        booking.flag_for_call()
        cancelled.append(booking)
    surgery.cancel()
    db.session.flush()
    return cancelled


# --- Lists for hosts ---------------------------------------------------------------------------

def staff_choices(exclude_id=None):
    query = User.query.filter(User.role.in_(STAFF_ROLES), User.active.is_(True)).order_by(User.name)
    return [(str(u.id), f"{u.name} ({u.role})") for u in query if u.id != exclude_id]


def hosted_by(user, upcoming=True, now=None):
    """Surgeries `user` hosts or co-hosts: upcoming (soonest first) or past (latest first)."""
    now = now or utcnow()
    cohosting = db.select(SurgeryCohost.surgery_id).where(SurgeryCohost.user_id == user.id)
    # The bookings cards show every slot and booking: load them together, not per surgery.
    query = (Surgery.query.filter(or_(Surgery.host_id == user.id, Surgery.id.in_(cohosting)))
             .options(selectinload(Surgery.slots).selectinload(Slot.bookings),
                      selectinload(Surgery.ward), selectinload(Surgery.venue)))
    if upcoming:
        return query.filter(Surgery.ends_at > now).order_by(Surgery.starts_at).all()
    return query.filter(Surgery.ends_at <= now).order_by(Surgery.starts_at.desc()).limit(20).all()
