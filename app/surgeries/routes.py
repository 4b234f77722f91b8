"""Residents' pages: find a surgery by postcode or ward, book a slot, change or cancel it.

Staff pages (all under /staff) are in staff_routes.py and venue_routes.py on the same blueprint.
"""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from app.common import limits
from app.common.timeutil import format_london
from app.common.transaction import commit, rollback
from app.extensions import db, limiter
from app.notifications.notify import texts_available
from app.notifications.phones import uk_mobile
from app.surgeries import bookings, ics, notify
from app.surgeries.forms import BookingForm, ConfirmCancelForm, FindForm, MoveForm
from app.surgeries.models import Slot
from app.wards.models import Ward
from app.wards.services import all_wards, normalise_postcode, ward_for_postcode

bp = Blueprint("surgeries", __name__, template_folder="templates")


@bp.get("/surgeries")
def find():
    form = FindForm(request.args)
    form.ward.choices = [("", "Choose a ward")] + [(w.slug, w.name) for w in all_wards()]
    searched = "postcode" in request.args or "ward" in request.args
    if searched and form.validate():
        postcode, slug = (form.postcode.data or "").strip(), form.ward.data or ""
        if postcode:
            ward = ward_for_postcode(postcode)
            if normalise_postcode(postcode) is None:
                form.postcode.errors.append("Enter a real postcode, like NB1 2AB")
            elif ward is None:
                form.postcode.errors.append("We could not find that postcode in our area. Check it, or choose "
                                            "your ward from the list")
            else:
                return redirect(url_for("surgeries.ward", slug=ward.slug))
        elif slug:
            ward = Ward.query.filter_by(slug=slug[:120]).first()
            if ward is None:
                form.ward.errors = ["Choose a ward from the list"]
            else:
                return redirect(url_for("surgeries.ward", slug=ward.slug))
        else:
            form.postcode.errors.append("Enter a postcode or choose a ward")
    status = 400 if form.errors or form.postcode.errors or form.ward.errors else 200
    return render_template("surgeries/find.html", form=form), status


@bp.get("/surgeries/ward/<slug>")
def ward(slug):
    ward = Ward.query.filter_by(slug=slug[:120]).first_or_404()
    surgeries = bookings.upcoming_in_ward(ward)
    free = {sid: len(slots) for sid, slots in bookings.free_slots_by_surgery(surgeries).items()}
    return render_template("surgeries/ward.html", ward=ward, surgeries=surgeries, free=free)


def _booking_form(surgery, formdata=None):
    """The booking form with this surgery's free times; when it has none (or the resident chose
    one elsewhere), the free times at the ward's other upcoming surgeries, so nobody who lost a
    race retypes anything."""
    form = BookingForm(formdata) if formdata is not None else BookingForm()
    slots = bookings.free_slots(surgery)
    elsewhere = []
    if surgery.bookable and (not slots or _chosen_elsewhere(surgery, (formdata or {}).get("slot"))):
        elsewhere = [(s, free) for s, free in bookings.free_slots_in_ward(surgery.ward) if s.id != surgery.id]
    form.slot.choices = [(str(s.id), format_london(s.starts_at, "%-I:%M%p") + " to "
                          + format_london(s.ends_at, "%-I:%M%p")) for s in slots]
    form.slot.choices += [(str(slot.id), format_london(slot.starts_at, "%A %-d %B, %-I:%M%p") + " at "
                           + other.venue.name) for other, free in elsewhere for slot in free]
    if not slots and elsewhere:
        form.slot.label.text = f"Choose a time at another surgery in {surgery.ward.name}"
    modes = set(surgery.meeting_modes).union(*(other.meeting_modes for other, _ in elsewhere))
    form.meeting_mode.choices = [c for c in form.meeting_mode.choices if c[0] in modes]
    if not texts_available():  # texts go only through GOV.UK Notify
        form.contact_preference.choices = [("email", "Email")]
    return form, slots, elsewhere


def _posted_slot(slot_id):
    return db.session.get(Slot, int(slot_id)) if (slot_id or "").isdigit() and len(slot_id) < 10 else None


def _chosen_elsewhere(surgery, slot_id) -> bool:
    slot = _posted_slot(slot_id)
    return slot is not None and slot.surgery_id != surgery.id and slot.surgery.ward_id == surgery.ward_id


@bp.route("/surgeries/<int:surgery_id>", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def surgery(surgery_id):
    found = bookings.bookable_surgery(surgery_id)
    if found is None:
        abort(404)
    form, slots, elsewhere = _booking_form(found, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and found.bookable:
        if form.validate_on_submit():
            slot = db.session.get(Slot, int(form.slot.data))
            if slot is None or slot.surgery.ward_id != found.ward_id:
                abort(404)
            if limits.over_limit("surgery_booking", form, email=form.email.data):
                return render_template("surgeries/surgery.html", surgery=found, form=form, slots=slots,
                                       elsewhere=elsewhere), 429
            try:
                texts = form.contact_preference.data == "text"
                booking = bookings.book(slot, form.name.data, form.email.data, form.phone.data, form.topic.data,
                                        form.access_needs.data, form.meeting_mode.data,
                                        mobile=uk_mobile(form.mobile.data) if texts else None)
                commit()
            except bookings.BookingError as exc:
                rollback()
                failure = (exc.field, exc.message)
            except IntegrityError:
                rollback()  # another request booked this slot a moment ago: the index said no
                failure = ("slot", None)
            else:
                return redirect(url_for("surgeries.booking_confirmed", token=notify.manage_token(booking)))
            # Show the times still free, keeping everything else the resident typed.
            form, slots, elsewhere = _booking_form(found, request.form)
            field_name, message = failure
            if field_name == "slot":
                form.slot.data = None
            getattr(form, field_name).errors = [message or _taken_message(found, form)]
            status = 409
        else:
            status = 400
            if form.slot.errors and _taken_here(found, request.form.get("slot")):
                form.slot.errors = [_taken_message(found, form)]
                status = 409
    return render_template("surgeries/surgery.html", surgery=found, form=form, slots=slots,
                           elsewhere=elsewhere), status


def _taken_message(surgery, form) -> str:
    if form.slot.choices:
        return bookings.SLOT_TAKEN
    return bookings.SLOT_TAKEN_NONE_LEFT.format(ward=surgery.ward.name)


def _taken_here(surgery, slot_id) -> bool:
    """The resident chose a real time in this ward that someone else has booked meanwhile."""
    slot = _posted_slot(slot_id)
    return slot is not None and slot.surgery.ward_id == surgery.ward_id and not slot.free


def _booking_or_invalid(token):
    booking = bookings.booking_for_token(token)
    if booking is None:
        abort(Response(render_template("surgeries/link_invalid.html"), status=404))
    return booking


@bp.get("/surgeries/booking/<token>/confirmed")
def booking_confirmed(token):
    booking = _booking_or_invalid(token)
    if not booking.active:  # an old confirmation link must not say "Booking confirmed"
        return redirect(url_for("surgeries.manage_booking", token=token))
    return render_template("surgeries/confirmed.html", booking=booking, token=token)


@bp.get("/surgeries/booking/<token>")
def manage_booking(token):
    booking = _booking_or_invalid(token)
    return render_template("surgeries/manage.html", booking=booking, token=token,
                           can_change=bookings.can_change(booking))


@bp.get("/surgeries/booking/<token>/invite.ics")
def booking_invite(token):
    booking = _booking_or_invalid(token)
    method = "REQUEST" if booking.active else "CANCEL"
    text = ics.invitation(booking, method, notify.manage_url(booking))
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="ward-surgery.ics"'})


@bp.route("/surgeries/booking/<token>/cancel", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def cancel_booking(token):
    booking = _booking_or_invalid(token)
    form = ConfirmCancelForm()
    if not bookings.can_change(booking):
        return render_template("surgeries/manage.html", booking=booking, token=token, can_change=False), 409
    if form.validate_on_submit():
        try:
            bookings.cancel(booking)
        except bookings.BookingError:
            rollback()  # cancelled by another request a moment ago
            booking = _booking_or_invalid(token)
            return render_template("surgeries/manage.html", booking=booking, token=token, can_change=False), 409
        commit()
        flash("Your booking has been cancelled.", "success")
        return redirect(url_for("surgeries.manage_booking", token=token))
    return render_template("surgeries/cancel.html", booking=booking, token=token, form=form)


@bp.route("/surgeries/booking/<token>/move", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def move_booking(token):
    booking = _booking_or_invalid(token)
    if not bookings.can_change(booking):
        return render_template("surgeries/manage.html", booking=booking, token=token, can_change=False), 409
    form, choices = _move_form(booking)
    status = 200
    # Each move emails the booking's address: a booking made with someone else's address must
    # not become a way to flood them.
    valid = form.validate_on_submit()
    if valid and limits.over_limit("surgery_change", form, email=booking.email, target_message=MOVES_MESSAGE):
        status = 429
    elif valid:
        slot = db.session.get(Slot, int(form.slot.data))
        try:
            given_up = bookings.move(booking, slot)
            commit()
        except bookings.BookingError as exc:
            rollback()
            message, status = exc.message, 409
        except IntegrityError:
            rollback()
            message, status = bookings.SLOT_TAKEN, 409
        else:
            note = " " + notify.mode_given_up(given_up) if given_up else ""
            flash(f"Your booking has moved to {notify.when(booking)}.{note}", "success")
            return redirect(url_for("surgeries.manage_booking", token=token))
        booking = _booking_or_invalid(token)
        form, choices = _move_form(booking, request.form)
        form.slot.data = None
        form.slot.errors = [message]
    elif request.method == "POST":
        status = 400
    return render_template("surgeries/move.html", booking=booking, token=token, form=form,
                           choices=choices), status


MOVES_MESSAGE = ("This booking has been moved too many times in the last {window}. Try again in {window_a}, "
                 "or keep the time you have")


def _move_form(booking, formdata=None):
    form = MoveForm(formdata) if formdata is not None else MoveForm()
    choices = [(s, slots) for s, slots in bookings.move_choices(booking)]
    form.slot.choices = [(str(slot.id), format_london(slot.starts_at, "%A %-d %B, %-I:%M%p") + " at " + s.venue.name)
                         for s, slots in choices for slot in slots if slot.id != booking.slot_id]
    return form, choices


from app.surgeries import staff_routes, venue_routes  # noqa: E402,F401  (register staff views on bp)
