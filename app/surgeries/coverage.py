"""The council's coverage report: per ward and month, surgeries held, slots offered and booked,
attendance. Counts only: no resident's name, contact details or topic ever appear here."""
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import selectinload

from app.common.timeutil import london_to_utc, to_london, utcnow
from app.surgeries.models import Slot, Surgery
from app.wards.services import all_wards

MAX_MONTHS = 36


@dataclass
class Cell:
    held: int = 0  # scheduled surgeries that have started by now
    planned: int = 0  # scheduled surgeries still to come
    cancelled: int = 0
    slots: int = 0
    booked: int = 0
    attended: int = 0
    no_show: int = 0

    @property
    def status(self) -> str:
        """held | planned | missed (for a month that has begun) | none (future, nothing yet)."""
        if self.held:
            return "held"
        if self.planned:
            return "planned"
        return "missed"

    def status_text(self) -> str:
        """For the CSV: Held, Planned, Cancelled (only cancelled surgeries) or No surgery."""
        if self.held:
            return "Held"
        if self.planned:
            return "Planned"
        return "Cancelled" if self.cancelled else "No surgery"


def parse_month(text: str | None) -> date | None:
    try:
        parsed = datetime.strptime((text or "").strip(), "%Y-%m")
    except ValueError:
        return None
    return date(parsed.year, parsed.month, 1) if 2000 <= parsed.year <= 2100 else None


def default_range(now=None) -> tuple[date, date]:
    today = to_london(now or utcnow()).date().replace(day=1)
    return today - relativedelta(months=11), today


def months_between(first: date, last: date) -> list[date]:
    months, cursor = [], first
    while cursor <= last:
        months.append(cursor)
        cursor += relativedelta(months=1)
    return months


def build(first: date, last: date, now=None):
    """(wards, months, cells {(ward_id, month): Cell}, missed {ward_id: [months]})."""
    now = now or utcnow()
    months = months_between(first, last)
    wards = all_wards()
    cells = {(w.id, m): Cell() for w in wards for m in months}
    start = london_to_utc(datetime.combine(first, datetime.min.time()))
    end = london_to_utc(datetime.combine(last + relativedelta(months=1), datetime.min.time()))
    # Slots and their bookings in two more queries, not two per surgery.
    surgeries = (Surgery.query.filter(Surgery.starts_at >= start, Surgery.starts_at < end)
                 .options(selectinload(Surgery.slots).selectinload(Slot.bookings)).all())
    for surgery in surgeries:
        cell = cells.get((surgery.ward_id, to_london(surgery.starts_at).date().replace(day=1)))
        if cell is None:
            continue
        if surgery.cancelled:
            cell.cancelled += 1
            continue
        if surgery.starts_at <= now:
            cell.held += 1
        else:
            cell.planned += 1
        live = [s for s in surgery.slots if not s.withdrawn]
        cell.slots += len(live)
        for slot in live:
            booking = slot.active_booking()
            if booking is not None:
                cell.booked += 1
                cell.attended += booking.attendance == "attended"
                cell.no_show += booking.attendance == "no_show"
    this_month = to_london(now).date().replace(day=1)
    missed = {w.id: [m for m in months if m < this_month and cells[(w.id, m)].status == "missed"]
              for w in wards}
    return wards, months, cells, missed


CSV_HEADER = ["Ward", "Month", "Status", "Missed month", "Surgeries held", "Surgeries planned",
              "Surgeries cancelled", "Slots offered", "Slots booked", "Attended", "Did not come"]


def csv_rows(wards, months, cells, now=None):
    """One row per ward and month. "Missed month" is yes for a month that has ended without a
    surgery held (nothing, or only cancelled ones), so a filter on it lists the gaps."""
    this_month = to_london(now or utcnow()).date().replace(day=1)
    for ward in wards:
        for month in months:
            c = cells[(ward.id, month)]
            missed = month < this_month and not c.held
            yield [ward.name, month.strftime("%Y-%m"), c.status_text(), "yes" if missed else "no", c.held,
                   c.planned, c.cancelled, c.slots, c.booked, c.attended, c.no_show]
