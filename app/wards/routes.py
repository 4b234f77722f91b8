"""Admin pages for wards and the postcode lookup."""
from flask import Blueprint, flash, redirect, render_template, url_for

from app.common.auth import ADMIN, protect
from app.common.transaction import commit
from app.wards import services
from app.wards.forms import PostcodeImportForm, WardForm
from app.wards.models import Postcode, Ward

bp = protect(Blueprint("wards", __name__, url_prefix="/staff/admin/wards", template_folder="templates"), ADMIN)


@bp.route("/", methods=["GET", "POST"])
def staff_index():
    form = WardForm()
    upload = PostcodeImportForm(prefix="pc")
    if form.validate_on_submit():
        if Ward.query.filter((Ward.name == form.name.data.strip()) |
                             (Ward.slug == services.slugify(form.name.data))).first():
            form.name.errors.append("There is already a ward with this name")
        else:
            services.add_ward(form.name.data)
            commit()
            flash(f"Added {form.name.data}.", "success")
            return redirect(url_for("wards.staff_index"))
    return render_template("wards/index.html", wards=services.all_wards(), form=form, upload=upload,
                           counts=_postcode_counts(), problems=[])


@bp.post("/postcodes")
def import_postcodes():
    form, upload = WardForm(formdata=None), PostcodeImportForm(prefix="pc")
    problems = []
    if not upload.validate_on_submit() or not upload.file.data:
        upload.file.errors.append("Choose a CSV file")
    else:
        try:
            text = upload.file.data.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            text, problems = "", ["The file must be a CSV saved as UTF-8 text"]
        if not problems:
            count, problems = services.import_postcodes(text)
            if not problems:
                commit()
                flash(f"Imported {count} postcodes.", "success")
                return redirect(url_for("wards.staff_index"))
        upload.file.errors.append("The file has problems; nothing was imported")
    return render_template("wards/index.html", wards=services.all_wards(), form=form, upload=upload,
                           counts=_postcode_counts(), problems=problems), 400


def _postcode_counts():
    from sqlalchemy import func

    from app.extensions import db

    return dict(db.session.query(Postcode.ward_id, func.count()).group_by(Postcode.ward_id).all())


from app.wards import partner_routes  # noqa: E402,F401  (partner views attach to bp)
