"""Staff pages to preview, publish, unpublish and delete plans, actions, milestones and updates.

Each change has a confirmation page (GET) that says what will happen; the POST from it makes the
change and writes it to the plan's history.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions import publishing, reporting, services
from app.actions.forms import EmptyForm
from app.actions.models import ACTION_STATUSES, Action, ActionPlan
from app.actions.routes import bp
from app.common.auth import roles_required
from app.common.transaction import commit
from app.extensions import db

EDITORS = ("admin", "officer")
DONE = {"publish": "Published", "unpublish": "Unpublished", "delete": "Deleted"}
ALREADY = {"publish": "It was published already.", "unpublish": "It was not published."}


def _home(item):
    """The staff page the item is shown on, as (endpoint, values) for url_for."""
    if isinstance(item, ActionPlan):
        return "actions.staff_plan", {"plan_id": item.id}
    action = item if isinstance(item, Action) else item.action
    return "actions.staff_action", {"action_id": action.id}


# Plain segments rather than any() converters: an unknown kind or verb reaches the role check
# (so a councillor is refused, not told what exists) and then 404s.
@bp.route("/staff/actions/<kind>/<int:item_id>/<verb>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def staff_change(kind, item_id, verb):
    if kind not in publishing.MODELS or verb not in publishing.VERBS:
        abort(404)
    item = db.session.get(publishing.MODELS[kind], item_id) or abort(404)
    home = _home(item)
    if verb != "delete" and item.published == (verb == "publish"):
        flash(ALREADY[verb], "success")
        return redirect(url_for(home[0], **home[1]))
    form = EmptyForm()
    blockers = publishing.delete_blockers(item) if verb == "delete" else []
    if request.method == "POST" and form.validate_on_submit() and not blockers:
        what = publishing.describe(item)
        plan = publishing.plan_of(item)
        if verb == "delete":
            publishing.delete(item, current_user)
            after = (("actions.staff_plans", {}) if isinstance(item, ActionPlan)
                     else ("actions.staff_plan", {"plan_id": plan.id}) if isinstance(item, Action) else home)
        else:
            getattr(publishing, verb)(item, current_user)
            after = home
        commit()
        flash(f"{DONE[verb]} the {what}.", "success")
        return redirect(url_for(after[0], **after[1]))
    code = 400 if request.method == "POST" else 200
    if blockers:
        code = 409 if request.method == "POST" else 200
    return render_template("actions/staff_change.html", item=item, kind=kind, verb=verb, form=form,
                           what=publishing.describe(item), lines=publishing.consequences(item, verb),
                           blockers=blockers, home=url_for(home[0], **home[1]), public=publishing.is_public(item)), code


@bp.get("/staff/actions/plans/<int:plan_id>/preview")
@roles_required(*EDITORS)
def staff_plan_preview(plan_id):
    """The plan's public progress section as residents will see it once it is published."""
    plan = db.session.get(ActionPlan, plan_id) or abort(404)
    return render_template("actions/progress.html", preview=plan, statuses=ACTION_STATUSES,
                           plans=[reporting.plan_dashboard(plan, services.today_london())])


@bp.get("/staff/actions/<int:action_id>/preview")
@roles_required(*EDITORS)
def staff_action_preview(action_id):
    action = db.session.get(Action, action_id) or abort(404)
    return render_template("actions/action_show.html", action=action, preview=action.plan,
                           today=services.today_london(), told=services.themes_for_action(action))
