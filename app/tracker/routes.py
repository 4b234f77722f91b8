"""Residents' pages: answer an open round, and read a round's results once it has closed.

Staff pages (under /staff/tracker) are in staff_routes.py.
"""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.common import limits
from app.common.timeutil import format_london
from app.common.transaction import commit, rollback
from app.extensions import db, limiter
from app.tracker import charts, services
from app.tracker.forms import answer_form_class
from app.tracker.indicators import INDICATORS
from app.tracker.models import TrackerRound
from app.wards.models import Ward
from app.wards.services import all_wards

bp = Blueprint("tracker", __name__, template_folder="templates")


def _round_or_404(round_id) -> TrackerRound:
    return db.session.get(TrackerRound, round_id) or abort(404)


@bp.get("/shared-goals")
def index():
    rounds = services.rounds_newest_first()
    return render_template("tracker/index.html", open_rounds=[r for r in rounds if r.is_open],
                           closed_rounds=[r for r in rounds if r.is_closed])


@bp.route("/shared-goals/<int:round_id>", methods=["GET", "POST"])
@limiter.limit(limits.POSTS_PER_CLIENT, methods=["POST"])
def answer(round_id):
    tracker_round = _round_or_404(round_id)
    if tracker_round.status() == "upcoming":
        abort(404)
    if tracker_round.is_closed:
        return render_template("tracker/closed.html", round=tracker_round), 410 if request.method == "POST" else 200
    form = answer_form_class()()
    form.ward.choices = [("", "Choose a ward")] + [(str(w.id), w.name) for w in all_wards()]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if limits.over_limit("tracker_response", form):
                return render_template("tracker/answer.html", round=tracker_round, form=form,
                                       indicators=INDICATORS), 429
            try:
                services.record_response(tracker_round, db.session.get(Ward, int(form.ward.data)),
                                         form.answers(), form.about())
                commit()
            except services.RoundClosed:
                rollback()
                return render_template("tracker/closed.html", round=tracker_round), 410
            return redirect(url_for("tracker.thanks", round_id=tracker_round.id))
        status = 400
    return render_template("tracker/answer.html", round=tracker_round, form=form, indicators=INDICATORS), status


@bp.get("/shared-goals/<int:round_id>/thank-you")
def thanks(round_id):
    return render_template("tracker/thanks.html", round=_round_or_404(round_id))


def is_staff() -> bool:
    return bool(current_user.is_authenticated and current_user.is_staff)


@bp.get("/shared-goals/<int:round_id>/results")
def results(round_id):
    """Public once the round has closed; before that only staff (on their own page) see it live."""
    tracker_round = _round_or_404(round_id)
    if not tracker_round.is_closed:
        if is_staff():
            return redirect(url_for("tracker_staff.round_results", round_id=round_id))
        abort(404)
    closed = [r for r in services.rounds_newest_first() if r.is_closed]
    return render_results(tracker_round, closed, staff=False)


def render_results(tracker_round, rounds_for_history, staff):
    found = services.round_results(tracker_round)
    benchmarks = services.benchmarks()
    history = services.over_time(rounds_for_history)
    return render_template(
        "tracker/results.html", results=found, benchmarks=benchmarks, history=history, staff=staff,
        indicators=INDICATORS, format_london=format_london,
        comparison_svg=charts.comparison_chart(f"{tracker_round.name}: this council and England", found.overall,
                                               benchmarks),
        ward_svg=charts.ward_chart("Percentage agreeing, by ward", found.by_ward),
        history_svg=charts.over_time_chart("Percentage agreeing, by round", history) if len(history) > 1 else None)
