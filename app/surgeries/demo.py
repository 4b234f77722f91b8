"""Demo data: venues, the postcode lookup, monthly surgeries per ward councillor (past 6 and
next 3 months, with deliberate gaps so the coverage report has something to show), bookings and
attendance. Safe to run again: nothing is duplicated."""
import json
import os
import random
from datetime import date, time

from dateutil.relativedelta import SA, relativedelta

from app.accounts.models import User
from app.common.timeutil import to_london, utcnow
from app.extensions import db
from app.surgeries import scheduling
from app.surgeries.models import Booking, Surgery, Venue
from app.wards.models import Postcode, Ward
from app.wards.services import import_postcodes

# Months (relative to this one) each ward's surgery did not happen: the gaps are on purpose.
GAPS = {"Kingsmead": {-4, -2}, "Hollybush": {-3}, "Coldharbour Green": {-5, 1}, "Riverside": {-4, -1}}
EXTRA_HOSTS = [("grace.osei@northbrook.example", "Riverside")]  # a senior officer covering a ward


def _read(data_dir, name):
    with open(os.path.join(data_dir, name), encoding="utf-8") as handle:
        return handle.read()


def _load_venues(data_dir, wards):
    added = 0
    for spec in json.loads(_read(data_dir, "venues.json")):
        if Venue.query.filter_by(name=spec["name"]).first() or spec["ward"] not in wards:
            continue
        db.session.add(Venue(name=spec["name"], address=spec["address"], ward=wards[spec["ward"]],
                             step_free=spec.get("step_free", False),
                             accessible_toilet=spec.get("accessible_toilet", False),
                             hearing_loop=spec.get("hearing_loop", False), parking=spec.get("parking", ""),
                             public_transport=spec.get("public_transport", ""),
                             opening_notes=spec.get("opening_notes", "")))
        added += 1
    db.session.flush()
    return added


def _hosts(wards):
    pairs = [(u, u.ward) for u in User.query.filter_by(role="councillor").order_by(User.name) if u.ward]
    for email, ward_name in EXTRA_HOSTS:
        user = User.query.filter_by(email=email).first()
        if user and ward_name in wards:
            pairs.append((user, wards[ward_name]))
    return pairs


def _first_saturday(month_start: date) -> date:
    return month_start + relativedelta(weekday=SA(+1))


def _load_surgeries(data_dir, wards, rng):
    names = json.loads(_read(data_dir, "resident_names.json"))
    topics = json.loads(_read(data_dir, "surgery_topics.json"))
    now = utcnow()
    this_month = to_london(now).date().replace(day=1)
    made = booked = 0
    for index, (host, ward) in enumerate(_hosts(wards)):
        venue = Venue.query.filter_by(ward_id=ward.id).first()
        if venue is None:
            continue
        kind = ("slots", "both")[index % 2]
        plan = scheduling.SurgeryPlan(ward=ward, venue=venue, host=host, day=this_month, start=time(10, 0),
                                      end=time(12, 0), kind=kind, slot_minutes=15,
                                      remote_option=("none", "phone", "phone_video")[index % 3])
        for offset in range(-6, 4):
            if offset in GAPS.get(ward.name, set()):
                continue
            plan.day = _first_saturday(this_month + relativedelta(months=offset))
            surgery = scheduling.build_surgery(plan, plan.day, series_id=f"demo-{ward.slug}")
            db.session.flush()
            made += 1
            booked += _book_some(surgery, names, topics, rng, past=surgery.starts_at < now)
    db.session.flush()
    return made, booked


def _book_some(surgery, names, topics, rng, past):
    share = 0.7 if past else 0.35
    count = 0
    for slot in surgery.slots:
        if rng.random() > share:
            continue
        name = rng.choice(names)
        phone_only = rng.random() < 0.15
        email = None if phone_only else name.lower().replace(" ", ".").replace("'", "") + "@example.com"
        booking = Booking(slot=slot, name=name, email=email,
                          phone=f"07700 900{rng.randint(100, 999)}" if phone_only or rng.random() < 0.4 else None,
                          topic=rng.choice(topics), access_needs="Step-free access, please" if rng.random() < 0.1 else "")
        if past:
            booking.attendance = "attended" if rng.random() < 0.85 else "no_show"
            booking.reminder_sent_at = slot.starts_at
        db.session.add(booking)
        count += 1
    return count


def load(data_dir) -> list[str]:
    wards = {w.name: w for w in Ward.query.all()}
    venues_added = _load_venues(data_dir, wards)
    postcodes, problems = import_postcodes(_read(data_dir, "postcodes.csv"))
    lines = ["", f"Surgeries: {venues_added} venues added; {postcodes} postcodes in the lookup"
             + (f" (problems: {'; '.join(problems[:3])})" if problems else "")]
    if Surgery.query.first() is not None:
        lines.append("Surgeries: already loaded, nothing added.")
        return lines
    made, booked = _load_surgeries(data_dir, wards, random.Random(2026))
    lines.append(f"Surgeries: {made} surgeries with {booked} bookings; try postcode {try_postcode()} at /surgeries")
    return lines


def try_postcode(now=None) -> str | None:
    """A postcode to suggest: one whose ward has surgeries coming up (the docs use NB2 3QS)."""
    upcoming = db.select(Surgery.ward_id).where(Surgery.status == "scheduled", Surgery.starts_at > (now or utcnow()))
    codes = db.session.query(Postcode.postcode).filter(Postcode.ward_id.in_(upcoming))
    if codes.filter(Postcode.postcode == "NB2 3QS").first():
        return "NB2 3QS"
    first = codes.order_by(Postcode.postcode).first()  # two small queries, not every postcode loaded
    return first[0] if first else None
