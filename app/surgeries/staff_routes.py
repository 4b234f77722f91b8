"""Hosts' pages: their surgeries and bookings, creating, changing and cancelling surgeries,
attendance, and the council's coverage report."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import User
from app.audit import record
from app.common.auth import ADMIN, COUNCILLOR, OFFICER, roles_required
from app.common.fields import GovDateField
from app.common.csvutil import csv_response
from app.common.timeutil import to_london, utcnow
from app.common.transaction import commit, rollback
from app.extensions import db
from app.notifications.notify import texts_available
from app.surgeries import bookings, coverage, notify, scheduling
from app.surgeries.forms import AttendanceForm, CancelSurgeryForm, NewSurgeryForm, SurgeryForm
from app.surgeries.models import Booking, Surgery, Venue
from app.surgeries.routes import bp
from app.wards.models import Ward
from app.wards.services import ward_choices

HOSTS = (ADMIN, OFFICER, COUNCILLOR)


def _surgery_or_404(surgery_id) -> Surgery:
    surgery = db.session.get(Surgery, surgery_id)
    if surgery is None:
        abort(404)
    return surgery


def _can_manage(surgery) -> bool:
    return surgery.is_host(current_user) or current_user.role == ADMIN


@bp.get("/staff/surgeries")
@roles_required(*HOSTS)
def staff_index():
    upcoming = scheduling.hosted_by(current_user, upcoming=True)
    past = scheduling.hosted_by(current_user, upcoming=False)
    record("record.viewed", detail={"what": "your surgeries' bookings (names and contact details)"})
    commit()
    return render_template("surgeries/staff_index.html", upcoming=upcoming, past=past, now=utcnow(),
                           attendance_form=AttendanceForm())


def _fill_choices(form, surgery=None):
    form.ward.choices = ward_choices(blank="Choose a ward")
    form.venue.choices = [("", "Choose a venue")] + [
        (str(v.id), f"{v.name} ({v.ward.name})") for v in scheduling.venues()]
    host_id = surgery.host_id if surgery else current_user.id
    form.cohosts.choices = scheduling.staff_choices(exclude_id=host_id)


def _plan_from(form, host) -> scheduling.SurgeryPlan:
    cohost_ids = [int(v) for v in form.cohosts.data or []]
    return scheduling.SurgeryPlan(
        ward=db.session.get(Ward, int(form.ward.data)), venue=db.session.get(Venue, int(form.venue.data)),
        host=host, day=form.date.data, start=form.parsed_start, end=form.parsed_end, kind=form.kind.data,
        slot_minutes=form.parsed_slot_minutes, remote_option=form.remote_option.data,
        cohosts=User.query.filter(User.id.in_(cohost_ids)).all() if cohost_ids else [])


def _show_problems(form, problems):
    for name, message in problems:
        field = getattr(form, {"confirm": "date"}.get(name, name))
        if isinstance(field, GovDateField):
            field.add_error(message)
        else:
            field.errors.append(message)


def _venue_note(plan) -> str:
    # Allowed on purpose: not every ward has a suitable venue (the demo's Westwood Park has none),
    # so hosts may use a neighbouring ward's; we say so rather than refuse.
    if plan.venue.ward_id != plan.ward.id:
        return f" Note: {plan.venue.name} is in {plan.venue.ward.name} ward, not {plan.ward.name}."
    return ""


@bp.route("/staff/surgeries/new", methods=["GET", "POST"])
@roles_required(*HOSTS)
def staff_new():
    form = NewSurgeryForm()
    _fill_choices(form)
    if request.method == "GET" and current_user.ward_id:
        form.ward.data = str(current_user.ward_id)
    if form.validate_on_submit():
        plan = _plan_from(form, current_user)
        try:
            created = scheduling.schedule(plan, form.repeat.data, form.parsed_occurrences)
        except scheduling.ScheduleError as exc:
            rollback()
            _show_problems(form, exc.problems)
        else:
            commit()
            when = "; ".join(f"{to_london(s.starts_at):%-d %B %Y}" for s in created[:6])
            more = f" and {len(created) - 6} more" if len(created) > 6 else ""
            flash(f"Surgery created for {when}{more}." + _venue_note(plan), "success")
            return redirect(url_for("surgeries.staff_index"))
    status = 400 if request.method == "POST" else 200
    return render_template("surgeries/staff_form.html", form=form, surgery=None), status


@bp.get("/staff/surgeries/<int:surgery_id>")
@roles_required(*HOSTS)
def staff_show(surgery_id):
    surgery = _surgery_or_404(surgery_id)
    record("record.viewed", subject=surgery, detail={"what": "surgery bookings (names and contact details)"})
    commit()
    return render_template("surgeries/staff_show.html", surgery=surgery, is_host=surgery.is_host(current_user),
                           can_manage=_can_manage(surgery), now=utcnow(), attendance_form=AttendanceForm())


@bp.route("/staff/surgeries/<int:surgery_id>/edit", methods=["GET", "POST"])
@roles_required(*HOSTS)
def staff_edit(surgery_id):
    surgery = _surgery_or_404(surgery_id)
    if not _can_manage(surgery):
        abort(403)
    form = SurgeryForm()
    _fill_choices(form, surgery)
    if request.method == "GET":
        _prefill(form, surgery)
    if form.validate_on_submit():
        plan = _plan_from(form, surgery.host)
        try:
            changed, cancelled, given_up = scheduling.update_surgery(surgery, plan)
            for booking in changed:
                notify.surgery_changed(booking, given_up.get(booking.id))
            for booking in cancelled:
                notify.surgery_cancelled(booking)
        except scheduling.ScheduleError as exc:
            rollback()
            surgery = _surgery_or_404(surgery_id)
            _show_problems(form, exc.problems)
        else:
            commit()
            told = _told(changed + cancelled, surgery)
            flash("Surgery changed." + told + _venue_note(plan), "success")
            return redirect(url_for("surgeries.staff_show", surgery_id=surgery.id))
    status = 400 if request.method == "POST" else 200
    return render_template("surgeries/staff_form.html", form=form, surgery=surgery), status


def _told(affected, surgery) -> str:
    """What the flash says about telling residents. Names and phone numbers only for the
    surgery's hosts: an admin who isn't hosting gets a count (hosts see who on their pages)."""
    if not affected:
        return ""
    emailed = sum(1 for b in affected if b.email)
    texted = sum(1 for b in affected if b.texts and texts_available())
    phone_only = [b for b in affected if not b.email and not (b.texts and texts_available())]
    text = f" We emailed {emailed} booked resident{'s' if emailed != 1 else ''}."
    if texted:
        text += f" We texted {texted}."
    if phone_only and surgery.is_host(current_user):
        text += " Please phone: " + ", ".join(f"{b.name} ({b.phone})" for b in phone_only) + "."
    elif phone_only:
        count = len(phone_only)
        text += (f" {count} resident{' gave' if count == 1 else 's gave'} only a phone number; the surgery's "
                 "hosts can see who to call on their surgeries page.")
    return text


def _prefill(form, surgery):
    plan = scheduling.plan_for(surgery)
    form.ward.data, form.venue.data = str(surgery.ward_id), str(surgery.venue_id)
    form.date.set_date(plan.day)
    form.start_time.data, form.end_time.data = plan.start.strftime("%H:%M"), plan.end.strftime("%H:%M")
    form.kind.data, form.remote_option.data = surgery.kind, surgery.remote_option
    form.slot_minutes.data = str(surgery.slot_minutes or "")
    form.cohosts.data = [str(u.id) for u in surgery.cohosts]


@bp.route("/staff/surgeries/<int:surgery_id>/cancel", methods=["GET", "POST"])
@roles_required(*HOSTS)
def staff_cancel(surgery_id):
    surgery = _surgery_or_404(surgery_id)
    if not _can_manage(surgery):
        abort(403)
    form = CancelSurgeryForm()
    problem = None
    if form.validate_on_submit():
        try:
            cancelled = scheduling.cancel_surgery(surgery)
            for booking in cancelled:
                notify.surgery_cancelled(booking)
        except scheduling.ScheduleError as exc:
            rollback()
            problem = exc.problems[0][1]
        else:
            commit()
            flash("Surgery cancelled." + _told(cancelled, surgery), "success")
            return redirect(url_for("surgeries.staff_show", surgery_id=surgery.id))
    return render_template("surgeries/staff_cancel.html", surgery=_surgery_or_404(surgery_id), form=form,
                           problem=problem), 409 if problem else 200


def _hosted_booking_or_abort(surgery_id, booking_id):
    """The surgery and one of its bookings, for that surgery's hosts only (404 / 403 otherwise)."""
    surgery = _surgery_or_404(surgery_id)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.surgery.id != surgery.id:
        abort(404)
    if not surgery.is_host(current_user):
        abort(403)
    return surgery, booking


@bp.post("/staff/surgeries/<int:surgery_id>/bookings/<int:booking_id>/attendance")
@roles_required(*HOSTS)
def staff_attendance(surgery_id, booking_id):
    surgery, booking = _hosted_booking_or_abort(surgery_id, booking_id)
    form = AttendanceForm()
    try:
        if not form.validate_on_submit():
            raise bookings.BookingError("Choose attended or did not come")
        bookings.mark_attendance(booking, form.attendance.data)
    except bookings.BookingError as exc:
        rollback()
        flash(exc.message, "error")
        return redirect(url_for("surgeries.staff_show", surgery_id=surgery.id)), 303
    commit()
    flash(f"Marked {booking.name} as {'attended' if booking.attendance == 'attended' else 'did not come'}.",
          "success")
    if request.form.get("back") == "index":
        return redirect(url_for("surgeries.staff_index"))
    return redirect(url_for("surgeries.staff_show", surgery_id=surgery.id))


@bp.post("/staff/surgeries/<int:surgery_id>/bookings/<int:booking_id>/called")
@roles_required(*HOSTS)
def staff_called(surgery_id, booking_id):
    surgery, booking = _hosted_booking_or_abort(surgery_id, booking_id)
    booking.mark_called()  # CSRF is checked for every POST by CSRFProtect
    commit()
    flash(f"Marked {booking.name} as called.", "success")
    if request.form.get("back") == "index":
        return redirect(url_for("surgeries.staff_index"))
    return redirect(url_for("surgeries.staff_show", surgery_id=surgery.id))


def _coverage_range():
    first_default, last_default = coverage.default_range()
    error = None
    first = coverage.parse_month(request.args.get("from")) if request.args.get("from") else first_default
    last = coverage.parse_month(request.args.get("to")) if request.args.get("to") else last_default
    if first is None or last is None:
        error, first, last = "Enter months like 2026-01", first_default, last_default
    elif first > last:
        error, first, last = "The first month must be before the last month", first_default, last_default
    elif len(coverage.months_between(first, last)) > coverage.MAX_MONTHS:
        error, first, last = f"Choose {coverage.MAX_MONTHS} months or fewer", first_default, last_default
    return first, last, error


@bp.get("/staff/surgeries/coverage")
@roles_required(*HOSTS)
def staff_coverage():
    first, last, error = _coverage_range()
    wards, months, cells, missed = coverage.build(first, last)
    if request.args.get("format") == "csv" and not error:
        return csv_response(f"surgery-coverage-{first:%Y-%m}-to-{last:%Y-%m}.csv", coverage.CSV_HEADER,
                            coverage.csv_rows(wards, months, cells))
    this_month = to_london(utcnow()).date().replace(day=1)
    return render_template("surgeries/coverage.html", wards=wards, months=months, cells=cells, missed=missed,
                           first=first, last=last, error=error, this_month=this_month,
                           from_value=request.args.get("from", f"{first:%Y-%m}")[:20],
                           to_value=request.args.get("to", f"{last:%Y-%m}")[:20]), 400 if error else 200
