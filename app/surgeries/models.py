"""Ward surgeries: venues, surgeries (sessions), their slots, and residents' bookings.

Times are naive UTC like everywhere else; people see Europe/London.
"""
import uuid

from app.common.timeutil import utcnow
from app.extensions import db

__all__ = ["Venue", "Surgery", "SurgeryCohost", "Slot", "Booking"]

KINDS = {"slots": "Bookable slots", "drop_in": "Drop-in", "both": "Bookable slots and drop-in"}
REMOTE_OPTIONS = {"none": "In person only", "phone": "In person or by phone",
                  "video": "In person or by video call", "phone_video": "In person, by phone or by video call"}
MEETING_MODES = {"in_person": "In person", "phone": "By phone", "video": "By video call"}
# Which meeting modes each remote option allows: in person is always possible.
REMOTE_MODES = {"none": ["in_person"], "phone": ["in_person", "phone"], "video": ["in_person", "video"],
                "phone_video": ["in_person", "phone", "video"]}
ATTENDANCE = {"attended": "Attended", "no_show": "Did not come"}


class Venue(db.Model):
    """A community space where surgeries are held; managed by admins."""

    __tablename__ = "surgery_venues"
    __table_args__ = (
        # "Civic Centre" and "civic centre" are one venue: the database says so even when two
        # admins save at once (the Python check only gives the usual case a friendly message).
        db.Index("uq_surgery_venues_name_lower", db.func.lower(db.text("name")), unique=True),
    )

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(160), nullable=False, unique=True)
    address = db.Column(db.String(300), nullable=False)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="RESTRICT"), nullable=False, index=True)
    step_free = db.Column(db.Boolean, nullable=False, default=False)  # step-free route to the room used
    accessible_toilet = db.Column(db.Boolean, nullable=False, default=False)
    hearing_loop = db.Column(db.Boolean, nullable=False, default=False)
    parking = db.Column(db.Text, nullable=False, default="")
    public_transport = db.Column(db.Text, nullable=False, default="")
    opening_notes = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ward = db.relationship("Ward")

    def __repr__(self):
        return f"<Venue {self.name}>"


class SurgeryCohost(db.Model):
    """Other staff who host a surgery with its lead host (they see its bookings too)."""

    __tablename__ = "surgery_cohosts"

    surgery_id = db.Column(db.Integer, db.ForeignKey("surgeries.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class Surgery(db.Model):
    """One session at a venue. A repeating series is several rows sharing `series_id`."""

    __tablename__ = "surgeries"

    id = db.Column(db.Integer, primary_key=True)
    ward_id = db.Column(db.Integer, db.ForeignKey("wards.id", ondelete="RESTRICT"), nullable=False, index=True)
    venue_id = db.Column(db.Integer, db.ForeignKey("surgery_venues.id", ondelete="RESTRICT"), nullable=False)
    host_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="RESTRICT"), nullable=False, index=True)
    starts_at = db.Column(db.DateTime, nullable=False, index=True)
    ends_at = db.Column(db.DateTime, nullable=False)
    # Minutes per bookable slot; null for drop-in only sessions.
    slot_minutes = db.Column(db.Integer)
    kind = db.Column(db.String(10), nullable=False, default="slots")  # a key of KINDS
    remote_option = db.Column(db.String(12), nullable=False, default="none")  # a key of REMOTE_OPTIONS
    # Same value on every date created together as a repeating series; null for a one-off.
    series_id = db.Column(db.String(36), index=True)
    status = db.Column(db.String(10), nullable=False, default="scheduled")  # scheduled | cancelled
    cancelled_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ward = db.relationship("Ward")
    venue = db.relationship("Venue")
    host = db.relationship("User", foreign_keys=[host_id])
    cohosts = db.relationship("User", secondary="surgery_cohosts", order_by="User.name")
    slots = db.relationship("Slot", back_populates="surgery", order_by="Slot.starts_at",
                            cascade="all, delete-orphan")

    @property
    def hosts(self):
        return [self.host, *self.cohosts]

    def is_host(self, user) -> bool:
        return getattr(user, "id", None) in {h.id for h in self.hosts}

    @property
    def bookable(self) -> bool:
        return self.kind in ("slots", "both")

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def meeting_modes(self) -> list[str]:
        """The MEETING_MODES keys a resident may choose at this surgery."""
        return REMOTE_MODES[self.remote_option]

    def cancel(self):
        self.status = "cancelled"
        self.cancelled_at = utcnow()

    def active_bookings(self):
        return [b for s in self.slots for b in s.bookings if b.active]

    def __repr__(self):
        return f"<Surgery {self.id} {self.starts_at}>"


class Slot(db.Model):
    """A bookable appointment inside a surgery, generated when the surgery is saved."""

    __tablename__ = "surgery_slots"

    id = db.Column(db.Integer, primary_key=True)
    surgery_id = db.Column(db.Integer, db.ForeignKey("surgeries.id", ondelete="CASCADE"), nullable=False, index=True)
    starts_at = db.Column(db.DateTime, nullable=False)
    ends_at = db.Column(db.DateTime, nullable=False)
    # True when a change to the surgery made the session shorter: kept for old bookings' history.
    withdrawn = db.Column(db.Boolean, nullable=False, default=False)

    surgery = db.relationship("Surgery", back_populates="slots")
    bookings = db.relationship("Booking", back_populates="slot", order_by="Booking.id")

    def active_booking(self):
        return next((b for b in self.bookings if b.active), None)

    @property
    def free(self) -> bool:
        return not self.withdrawn and self.active_booking() is None


class Booking(db.Model):
    """A resident's booking of one slot. Moving it changes `slot_id`, never the row or its UID."""

    __tablename__ = "surgery_bookings"
    __table_args__ = (
        # The database itself refuses a second active booking of one slot (races included).
        db.Index("uq_surgery_bookings_active_slot", "slot_id", unique=True,
                 sqlite_where=db.text("status = 'active'"),
                 postgresql_where=db.text("status = 'active'")),
    )

    id = db.Column(db.Integer, primary_key=True)
    slot_id = db.Column(db.Integer, db.ForeignKey("surgery_slots.id", ondelete="CASCADE"), nullable=False, index=True)
    # The calendar invitation's UID: stays the same through moves and cancellation (RFC 5545).
    uid = db.Column(db.String(64), nullable=False, unique=True, default=lambda: str(uuid.uuid4()))
    # The invitation's SEQUENCE: bumped each time an update or cancellation is sent.
    sequence = db.Column(db.Integer, nullable=False, default=0)
    status = db.Column(db.String(10), nullable=False, default="active")  # active | cancelled
    name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(254))
    phone = db.Column(db.String(30))
    # "email" or "text": how the resident asked to get their confirmation and reminder. Text is
    # offered only when GOV.UK Notify is set up; `mobile` is then their UK mobile, in E.164 form.
    contact_preference = db.Column(db.String(5), nullable=False, default="email", server_default="email")
    mobile = db.Column(db.String(16))
    # Seen only by the surgery's hosts: never in emails' subjects, invitations or reports.
    topic = db.Column(db.Text, nullable=False, default="")
    access_needs = db.Column(db.Text, nullable=False, default="")
    meeting_mode = db.Column(db.String(10), nullable=False, default="in_person")  # a key of MEETING_MODES
    attendance = db.Column(db.String(10))  # null until a host marks it: a key of ATTENDANCE
    # Set when a change or cancellation of the surgery couldn't be emailed (phone only): the hosts
    # see "Needs a call" until one of them marks it done.
    needs_call = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Set by the reminder command when it claims this booking, so a reminder goes only once.
    reminder_sent_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    cancelled_at = db.Column(db.DateTime)

    slot = db.relationship("Slot", back_populates="bookings")

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def surgery(self):
        return self.slot.surgery

    @property
    def texts(self) -> bool:
        return self.contact_preference == "text" and bool(self.mobile)

    @staticmethod
    def cancelled_values(sequence):
        """What cancelling sets; `sequence` may be a column, for a conditional UPDATE."""
        return {"status": "cancelled", "cancelled_at": utcnow(), "sequence": sequence + 1}

    def cancel(self):
        for name, value in self.cancelled_values(self.sequence).items():
            setattr(self, name, value)

    def move_to(self, slot):
        self.slot = slot
        self.sequence += 1
        self.reminder_sent_at = None  # a new time deserves its own reminder

    def fit_meeting_mode(self) -> str | None:
        """Back to in person if the surgery no longer offers the way the resident chose to meet.
        Returns the mode given up (for telling the resident), or None when nothing changed."""
        if self.meeting_mode in self.slot.surgery.meeting_modes:
            return None
        previous, self.meeting_mode = self.meeting_mode, "in_person"
        return previous

    def flag_for_call(self):
        if not self.email and not self.texts:
            self.needs_call = True

    def mark_called(self):
        self.needs_call = False

    def mark_attendance(self, value: str):
        self.attendance = value
