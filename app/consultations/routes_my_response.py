""""What happened to my response": a typed reference (POST) or the signed link from the
confirmation email. See app/consultations/my_response.py for what is shown and why."""
import math
import time

from flask import current_app, make_response, render_template

from app.consultations import my_response
from app.consultations.forms import ReferenceForm
from app.consultations.routes import bp
from app.extensions import limiter


def _rate_limit() -> str:
    return current_app.config["MY_RESPONSE_RATE_LIMIT"]


def _too_many_attempts(limit):
    """Shown instead of the generic 429 page: the form again, with what was typed kept."""
    form = ReferenceForm()
    minutes = max(1, math.ceil((limit.reset_at - time.time()) / 60)) if limit.reset_at else None
    wait = f"Wait {minutes} minute{'s' if minutes != 1 else ''}" if minutes else "Wait a few minutes"
    form.reference.errors = [f"You have tried too many reference numbers. {wait}, then try again."]
    return make_response(render_template("consultations/my_response_form.html", form=form), 429)


@bp.route("/my-response", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"], on_breach=_too_many_attempts)  # per address; every try counts
def my_response_check():
    form = ReferenceForm()
    if form.validate_on_submit():
        reference = my_response.normalise_reference(form.reference.data)
        outcome = my_response.outcome(my_response.find_by_reference(reference), reference)
        return render_template("consultations/my_response.html", outcome=outcome)
    return render_template("consultations/my_response_form.html", form=form)


@bp.get("/my-response/<token>")
def my_response_link(token):
    genuine, response = my_response.find_by_token(token)
    if not genuine:
        return render_template("consultations/my_response_form.html", form=ReferenceForm(formdata=None),
                               bad_link=True), 404
    outcome = my_response.outcome(response, response.reference if response else "", name_consultation=True)
    return render_template("consultations/my_response.html", outcome=outcome)
