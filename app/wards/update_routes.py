"""Staff post, change and delete ward updates. Councillors only in the ward they represent."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common.auth import EDITORS, STAFF_ROLES, protect
from app.common.transaction import commit
from app.extensions import db
from app.wards import pages, updates
from app.wards.forms import ConfirmForm, WardUpdateForm
from app.wards.models import WardUpdate
from app.wards.services import all_wards

bp = protect(Blueprint("ward_updates", __name__, url_prefix="/staff/wards", template_folder="templates"),
             *STAFF_ROLES)


@bp.get("/")
def staff_index():
    wards = [w for w in all_wards() if updates.can_post(current_user, w)]
    mine = (WardUpdate.query.filter_by(author_id=current_user.id)
            .order_by(WardUpdate.created_at.desc(), WardUpdate.id.desc()).limit(50).all())
    return render_template("wards/updates_index.html", wards=wards, mine=mine,
                           all_wards=current_user.role in EDITORS)


@bp.route("/<slug>/updates/new", methods=["GET", "POST"])
def new_update(slug):
    ward = pages.ward_by_slug(slug)
    if ward is None:
        abort(404)
    if not updates.can_post(current_user, ward):
        abort(403)
    form = WardUpdateForm()
    if form.validate_on_submit():
        updates.post(ward, current_user, form.title.data, form.text.data, form.link.data)
        commit()
        flash("Your update is on the ward page.", "success")
        return redirect(url_for("ward_pages.show", slug=ward.slug) + "#updates")
    return render_template("wards/update_form.html", form=form, ward=ward, update=None), \
        400 if request.method == "POST" else 200


def _own_update(update_id):
    update = db.session.get(WardUpdate, update_id)
    if update is None:
        abort(404)
    if not updates.can_change(current_user, update):
        abort(403)
    return update


@bp.route("/updates/<int:update_id>/edit", methods=["GET", "POST"])
def edit_update(update_id):
    update = _own_update(update_id)
    form = WardUpdateForm(obj=update if request.method == "GET" else None)
    if form.validate_on_submit():
        update.change(form.title.data, form.text.data, form.link.data)
        commit()
        flash("Your update has been changed.", "success")
        return redirect(url_for("ward_pages.show", slug=update.ward.slug) + "#updates")
    return render_template("wards/update_form.html", form=form, ward=update.ward, update=update), \
        400 if request.method == "POST" else 200


@bp.route("/updates/<int:update_id>/delete", methods=["GET", "POST"])
def delete_update(update_id):
    update = _own_update(update_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        ward = update.ward
        updates.delete(update)
        commit()
        flash("The update has been deleted.", "success")
        return redirect(url_for("ward_pages.show", slug=ward.slug) + "#updates")
    return render_template("wards/update_delete.html", form=form, update=update)
