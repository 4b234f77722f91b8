"""Admins manage the venues surgeries are held in, with their access information."""
from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from app.common.auth import ADMIN, roles_required
from app.common.transaction import commit, rollback
from app.extensions import db
from app.surgeries import scheduling
from app.surgeries.forms import VenueForm
from app.surgeries.models import Venue
from app.surgeries.routes import bp
from app.wards.services import ward_choices

ACCESS_FLAGS = ("step_free", "accessible_toilet", "hearing_loop")


@bp.get("/staff/admin/venues")
@roles_required(ADMIN)
def staff_venues():
    return render_template("surgeries/venues.html", venues=scheduling.venues())


@bp.route("/staff/admin/venues/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def staff_venue_new():
    return _edit(None)


@bp.route("/staff/admin/venues/<int:venue_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def staff_venue_edit(venue_id):
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        abort(404)
    return _edit(venue)


def _edit(venue):
    form = VenueForm(obj=venue if request.method == "GET" else None)
    form.ward.choices = ward_choices(blank="Choose a ward")
    if request.method == "GET" and venue is not None:
        form.ward.data = str(venue.ward_id)
        form.access.data = [flag for flag in ACCESS_FLAGS if getattr(venue, flag)]
    if form.validate_on_submit():
        values = {flag: flag in (form.access.data or []) for flag in ACCESS_FLAGS}
        values.update(name=form.name.data, address=form.address.data, ward_id=int(form.ward.data),
                      parking=form.parking.data or "", public_transport=form.public_transport.data or "",
                      opening_notes=form.opening_notes.data or "")
        try:
            saved = scheduling.save_venue(venue, **values)
            commit()
        except scheduling.ScheduleError as exc:
            rollback()
            form.name.errors.append(exc.problems[0][1])
        except IntegrityError:
            rollback()  # another admin saved the same name a moment ago: the unique index said no
            form.name.errors.append(scheduling.VENUE_NAME_TAKEN)
        else:
            flash(f"Saved {saved.name}.", "success")
            return redirect(url_for("surgeries.staff_venues"))
    status = 400 if request.method == "POST" else 200
    return render_template("surgeries/venue_form.html", form=form, venue=venue), status
