"""Launching, closing early, reopening, publishing results and returning to draft.

Each change is confirmed first: GET shows what will happen (who will see it, how many responses
it has), the POST makes the change and writes a line of the consultation's history. A closed
consultation can be reopened with a new closing date, so closing early is never final.
"""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.common.auth import roles_required
from app.common.transaction import commit, rollback
from app.consultations import results, services
from app.consultations.forms import ReopenForm
from app.consultations.routes import bp
from app.consultations.staff_routes import STAFF, _consultation, _to_overview, staff_show

# action: (service, status it applies to, button text, message once done)
ACTIONS = {
    "launch": (services.launch, ("draft",), "Launch consultation",
               "Consultation launched. It is open to residents from its opening time."),
    "close": (services.close_early, ("open",), "Close it now",
              "Consultation closed. It no longer takes responses. You can reopen it with a new closing date."),
    "publish": (services.publish_results, ("closed",), "Publish results",
                "Results published. Residents can now see them."),
    "draft": (services.return_to_draft, ("scheduled", "open"), "Return to draft",
              "Consultation returned to draft. Residents can no longer see it."),
}


def _confirm_view(action):
    change, statuses, button, _ = ACTIONS[action]

    @roles_required(*STAFF)
    def confirm(consultation_id):
        consultation = _consultation(consultation_id)
        if consultation.status not in statuses:
            return redirect(url_for("consultations.staff_show", consultation_id=consultation.id))
        return render_template("consultations/staff_confirm.html", consultation=consultation,
                               action=action, button=button,
                               total=results.response_count(consultation))

    confirm.__name__ = f"staff_confirm_{action}"
    return confirm


def _change_view(action):
    change, _, _, message = ACTIONS[action]

    @roles_required(*STAFF)
    def view(consultation_id):
        consultation = _consultation(consultation_id)
        try:
            change(consultation, actor=current_user)
        except services.ConsultationError as exc:
            rollback()
            return staff_show(consultation_id, error=exc.message, status=409)
        commit()
        return _to_overview(consultation, message)

    view.__name__ = f"staff_{action}"
    return view


for _action in ACTIONS:
    # GET /staff/consultations/3/launch asks; POST to the same URL does it (endpoint staff_launch).
    _url = f"/staff/consultations/<int:consultation_id>/{_action}"
    bp.add_url_rule(_url, f"staff_confirm_{_action}", _confirm_view(_action), methods=["GET"])
    bp.add_url_rule(_url, f"staff_{_action}", _change_view(_action), methods=["POST"])


@bp.route("/staff/consultations/<int:consultation_id>/reopen", methods=["GET", "POST"])
@roles_required(*STAFF)
def staff_reopen(consultation_id):
    consultation = _consultation(consultation_id)
    if consultation.status != "closed":
        flash("Only a closed consultation whose results are not published can be reopened.", "error")
        return redirect(url_for("consultations.staff_show", consultation_id=consultation.id))
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen(consultation, form.closes_at, actor=current_user)
        except services.ConsultationError as exc:
            rollback()
            form.closes_on.add_error(exc.message)
        else:
            commit()
            flash("Consultation reopened. Residents can respond again until its new closing date.",
                  "success")
            return redirect(url_for("consultations.staff_show", consultation_id=consultation.id))
    return render_template("consultations/staff_reopen.html", consultation=consultation, form=form,
                           total=results.response_count(consultation))
