"""Staff pages: rounds (create, close, live results) and the national benchmarks.

Every member of staff can read results live; only admins and officers change anything.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common.auth import ADMIN, EDITORS, OFFICER, STAFF_ROLES, protect, roles_required
from app.common.transaction import commit
from app.extensions import db
from app.tracker import services
from app.tracker.forms import BenchmarkForm, RoundForm
from app.tracker.indicators import INDICATORS
from app.tracker.models import TrackerRound
from app.tracker.routes import render_results

bp = protect(Blueprint("tracker_staff", __name__, url_prefix="/staff/tracker", template_folder="templates"),
             *STAFF_ROLES)


@bp.get("/")
def staff_index():
    rounds = services.rounds_newest_first()
    counts = {r.id: r.responses.count() for r in rounds}
    return render_template("tracker/staff_index.html", rounds=rounds, counts=counts,
                           can_edit=current_user.role in EDITORS)


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new_round():
    form = RoundForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if TrackerRound.query.filter(db.func.lower(TrackerRound.name) == name.lower()).first():
            form.name.errors.append("There is already a round with this name")
        else:
            tracker_round = services.create_round(name, form.opens_on.data, form.closes_on.data, current_user)
            commit()
            flash(f"Created {tracker_round.name}.", "success")
            return redirect(url_for("tracker_staff.round_results", round_id=tracker_round.id))
    return render_template("tracker/round_form.html", form=form), 400 if request.method == "POST" else 200


@bp.get("/rounds/<int:round_id>")
def round_results(round_id):
    tracker_round = db.session.get(TrackerRound, round_id) or abort(404)
    return render_results(tracker_round, services.rounds_newest_first(), staff=True)


@bp.post("/rounds/<int:round_id>/close")
@roles_required(ADMIN, OFFICER)
def close_round(round_id):
    tracker_round = db.session.get(TrackerRound, round_id) or abort(404)
    if tracker_round.is_closed:
        flash(f"{tracker_round.name} had already closed.", "info")
    else:
        tracker_round.close_now()
        commit()
        flash(f"Closed {tracker_round.name}. Its results are now public.", "success")
    return redirect(url_for("tracker_staff.round_results", round_id=round_id))


@bp.route("/benchmarks", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def benchmarks():
    saved = services.benchmarks()
    forms = {}
    for indicator in INDICATORS:
        form = BenchmarkForm(prefix=indicator.code)
        if request.method == "GET" and indicator.code in saved:
            b = saved[indicator.code]
            form.percent.data, form.year.data, form.source.data = f"{b.percent:g}", b.year, b.source
        forms[indicator.code] = form
    if request.method == "POST":
        valid = [form.validate_on_submit() for form in forms.values()]
        if all(valid):
            for code, form in forms.items():
                if form.value() is not None:
                    services.save_benchmark(code, form.value(), form.year.data, form.source.data, current_user)
            commit()
            flash("Saved the national figures.", "success")
            return redirect(url_for("tracker_staff.benchmarks"))
        for indicator in INDICATORS:  # name the indicator in each message, for the error summary
            for field in forms[indicator.code]:
                field.errors = [f"{indicator.title}: {error}" for error in field.errors]
    return render_template("tracker/benchmarks.html", forms=forms, indicators=INDICATORS, saved=saved), \
        400 if request.method == "POST" else 200
