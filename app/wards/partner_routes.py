"""Admins list the partner organisations shown on ward pages."""
from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from app.common.transaction import commit, rollback
from app.extensions import db
from app.wards import updates
from app.wards.forms import ConfirmForm, PartnerForm
from app.wards.models import Partner
from app.wards.routes import bp
from app.wards.services import ward_choices


@bp.get("/partners")
def staff_partners():
    return render_template("wards/partners.html", partners=updates.all_partners())


@bp.route("/partners/new", methods=["GET", "POST"])
def staff_partner_new():
    return _edit(None)


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
def staff_partner_edit(partner_id):
    return _edit(db.session.get(Partner, partner_id) or abort(404))


def _edit(partner):
    form = PartnerForm(obj=partner if request.method == "GET" else None)
    form.wards.choices = ward_choices()
    if request.method == "GET" and partner is not None:
        form.wards.data = [str(w.id) for w in partner.wards]
    if form.validate_on_submit():
        if updates.name_taken(form.name.data, partner):
            form.name.errors.append(updates.NAME_TAKEN)
        else:
            try:
                saved = updates.save_partner(partner, name=form.name.data, description=form.description.data,
                                             website=form.website.data, contact=form.contact.data,
                                             ward_ids=form.wards.data)
                commit()
            except IntegrityError:
                rollback()  # another admin saved the same name a moment ago
                form.name.errors.append(updates.NAME_TAKEN)
            else:
                flash(f"Saved {saved.name}.", "success")
                return redirect(url_for("wards.staff_partners"))
    return render_template("wards/partner_form.html", form=form, partner=partner), \
        400 if request.method == "POST" else 200


@bp.route("/partners/<int:partner_id>/delete", methods=["GET", "POST"])
def staff_partner_delete(partner_id):
    partner = db.session.get(Partner, partner_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = partner.name
        updates.delete_partner(partner)
        commit()
        flash(f"Removed {name}.", "success")
        return redirect(url_for("wards.staff_partners"))
    return render_template("wards/partner_delete.html", form=form, partner=partner)
