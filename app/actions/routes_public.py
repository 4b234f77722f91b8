"""Public pages: action pages, the progress dashboard, "You said, we did" and unsubscribe."""
from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.actions import notify, reporting, services, ysyw, ysyw_versions
from app.actions.forms import EmptyForm
from app.actions.models import ACTION_STATUSES, Action, ActionPlan, ThemeResponse, YouSaidWeDid
from app.actions.routes import bp
from app.common.transaction import commit
from app.consultations.models import Topic
from app.extensions import csrf, db
from app.wards.models import Ward


@bp.get("/actions/<int:action_id>")
def action_show(action_id):
    action = db.session.get(Action, action_id)
    if action is None or not action.is_public:
        abort(404)
    return render_template("actions/action_show.html", action=action, today=services.today_london(),
                           told=services.themes_for_action(action))


@bp.get("/progress")
def progress():
    return render_template("actions/progress.html", plans=reporting.dashboard(services.today_london()),
                           statuses=ACTION_STATUSES)


@bp.get("/progress/plans/<int:plan_id>/chart.svg")
def progress_chart(plan_id):
    """A plan's chart for the progress page (an image: drawn once, cached, ETag; see pagecache)."""
    plan = db.session.get(ActionPlan, plan_id) or abort(404)
    if not plan.published and not (current_user.is_authenticated and current_user.role in ("admin", "officer")):
        abort(404)  # a draft plan's chart is for the staff preview only
    svg = reporting.plan_chart_svg(plan) or abort(404)
    return current_app.response_class(svg, mimetype="image/svg+xml")


@bp.get("/you-said-we-did")
def you_said_we_did_index():
    q = request.args.get("q", "")[:200]
    wards = Ward.query.order_by(Ward.name).all()
    topics = Topic.query.order_by(Topic.name).all()
    ward = next((w for w in wards if w.slug == request.args.get("ward")), None)
    topic = next((t for t in topics if t.slug == request.args.get("topic")), None)
    pages = ysyw.published_pages(q, ward.id if ward else None, topic.id if topic else None)
    return render_template("actions/ysyw_index.html", pages=pages, q=q, wards=wards, topics=topics,
                           ward=ward, topic=topic)


@bp.get("/you-said-we-did/<int:consultation_id>")
def ysyw_show(consultation_id):
    # Each answer's themes and action (with its updates) in three queries, not three per answer.
    page = YouSaidWeDid.query.filter_by(consultation_id=consultation_id).options(
        selectinload(YouSaidWeDid.responses).selectinload(ThemeResponse.themes),
        selectinload(YouSaidWeDid.responses).selectinload(ThemeResponse.action).selectinload(Action.updates)).first()
    if page is None or not page.is_published:
        abort(404)
    return render_template("actions/ysyw_show.html", **ysyw.page_view(page))


@bp.get("/you-said-we-did/<int:consultation_id>/versions/<int:number>")
def ysyw_version(consultation_id, number):
    """An earlier version of a published page, as residents saw it then."""
    page = YouSaidWeDid.query.filter_by(consultation_id=consultation_id).first()
    if page is None or not page.is_published:
        abort(404)
    version = ysyw_versions.version(page, number) or abort(404)
    return render_template("actions/ysyw_version.html", page=page, consultation=page.consultation,
                           version=version, latest=page.versions[-1].number)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail clients POST here without a CSRF token; the signed link is the proof
def unsubscribe(token):
    data = notify.read_unsubscribe(token)
    if data is None and notify.unsubscribe_link_expired(token):
        return render_template("actions/unsubscribe.html", expired=True,
                               days=current_app.config["UNSUBSCRIBE_LINK_MAX_AGE_DAYS"]), 410
    if data is None:
        return render_template("actions/unsubscribe.html", invalid=True), 404
    if request.method == "POST":
        notify.unsubscribe(data)
        commit()
        return render_template("actions/unsubscribe.html", done=True)
    return render_template("actions/unsubscribe.html", form=EmptyForm(meta={"csrf": False}))
