"""Public ward pages: the index of wards (with a postcode look-up) and one page per ward."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.wards import pages, updates
from app.wards.services import all_wards, normalise_postcode, ward_for_postcode

bp = Blueprint("ward_pages", __name__, template_folder="templates")


@bp.get("/wards")
def index():
    postcode = request.args.get("postcode")
    error = None
    if postcode is not None:
        postcode = postcode.strip()[:20]
        if not postcode:
            error = "Enter a postcode"
        elif normalise_postcode(postcode) is None:
            error = "Enter a real postcode, like NB1 2AB"
        else:
            ward = ward_for_postcode(postcode)
            if ward is None:
                error = "We could not find that postcode in our area. Check it, or choose your ward from the list"
            else:
                return redirect(url_for("ward_pages.show", slug=ward.slug))
    return render_template("wards/public_index.html", wards=all_wards(), postcode=postcode or "",
                           error=error), 400 if error else 200


@bp.get("/wards/<slug>")
def show(slug):
    ward = pages.ward_by_slug(slug)
    if ward is None:
        abort(404)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < len(page) < 5 and int(page) > 0 else 1
    content = pages.page_content(ward, page)
    return render_template("wards/public_show.html", can_post=updates.can_post(current_user, ward),
                           can_change=lambda u: updates.can_change(current_user, u), **content)
