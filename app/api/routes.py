"""Read-only open-data JSON API at /api/v1 (no sign-in; GET only).

Every record is built field by field from an allow-list in app/api/serializers.py, so personal
data (names of residents, emails, contact details) and "About you" answers can't leak in.
"""
from flask import Blueprint, abort, jsonify, request
from sqlalchemy.orm import selectinload

from app.actions.models import Action, ActionPlan, YouSaidWeDid
from app.api import serializers
from app.api.openapi import openapi_document
from app.common.urls import absolute_url
from app.consultations.models import Consultation
from app.extensions import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_PER_PAGE, MAX_PER_PAGE = 20, 100


def _int_arg(name, default, low, high):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"{name} must be a whole number")
    if not low <= value <= high:
        abort(400, description=f"{name} must be between {low} and {high}")
    return value


def _each(serialize):
    """A page serializer from a one-item serializer."""
    return lambda items: [serialize(item) for item in items]


def _paginated(query, serialize_page, endpoint, **values):
    """One page of `query`, as `serialize_page(items)`: a list, so that lookups can be batched."""
    page = _int_arg("page", 1, 1, 1_000_000)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    total = query.order_by(None).count()
    items = query.offset((page - 1) * per_page).limit(per_page).all()
    pages = max(1, -(-total // per_page))

    def link(p):
        return absolute_url(endpoint, page=p, per_page=per_page, **values)

    return jsonify({
        "data": serialize_page(items),
        "meta": {"page": page, "per_page": per_page, "total": total, "pages": pages},
        "links": {"self": link(page), "next": link(page + 1) if page < pages else None,
                  "prev": link(page - 1) if page > 1 else None},
    })


def _public_consultations():
    return Consultation.query.filter(Consultation.status_expression(serializers.now()) != "draft")


@bp.errorhandler(400)
@bp.errorhandler(404)
def _error(exc):
    return jsonify({"error": {"status": exc.code, "message": exc.description if exc.code == 400 else "Not found"}}), exc.code


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(absolute_url("api.consultations").rsplit("/", 1)[0]))


@bp.get("/consultations")
def consultations():
    query = _public_consultations().order_by(Consultation.closes_at.desc(), Consultation.id.desc()).options(
        selectinload(Consultation.wards), selectinload(Consultation.topics), selectinload(Consultation.questions))
    return _paginated(query, serializers.consultations, "api.consultations")


@bp.get("/consultations/<int:consultation_id>")
def consultation(consultation_id):
    c = _public_consultations().filter(Consultation.id == consultation_id).first() or abort(404)
    return jsonify({"data": serializers.consultation(c)})


@bp.get("/consultations/<int:consultation_id>/themes")
def consultation_themes(consultation_id):
    from app.consultations.models import Question
    from app.themes.models import Theme

    c = _public_consultations().filter(Consultation.id == consultation_id).first() or abort(404)
    if c.status not in serializers.THEMES_VISIBLE:
        abort(404)
    query = (Theme.query.join(Question).filter(Question.consultation_id == c.id, Theme.merged_into_id.is_(None),
                                               Theme.not_relevant.is_(False))
             .order_by(Theme.size.desc(), Theme.id))
    return _paginated(query, _each(serializers.theme), "api.consultation_themes", consultation_id=c.id)


@bp.get("/you-said-we-did")
def you_said_we_did():
    query = YouSaidWeDid.query.filter(YouSaidWeDid.published_at.is_not(None)).order_by(
        YouSaidWeDid.published_at.desc(), YouSaidWeDid.id.desc())
    return _paginated(query, _each(serializers.ysyw_page), "api.you_said_we_did")


@bp.get("/you-said-we-did/<int:consultation_id>")
def you_said_we_did_one(consultation_id):
    page = YouSaidWeDid.query.filter(YouSaidWeDid.consultation_id == consultation_id,
                                     YouSaidWeDid.published_at.is_not(None)).first() or abort(404)
    return jsonify({"data": serializers.ysyw_page(page)})


@bp.get("/plans")
def plans():
    query = ActionPlan.query.filter(ActionPlan.published.is_(True)).order_by(ActionPlan.id)
    return _paginated(query, _each(serializers.plan), "api.plans")


@bp.get("/actions")
def actions():
    # Only published actions of published plans, as on the public pages.
    query = Action.query.join(ActionPlan).filter(Action.published.is_(True), ActionPlan.published.is_(True))
    plan_id = _int_arg("plan", None, 1, 2**31 - 1)
    if plan_id:
        query = query.filter(Action.plan_id == plan_id)
    status = request.args.get("status")
    if status:
        from app.actions.models import ACTION_STATUSES

        if status not in ACTION_STATUSES:
            abort(400, description="status must be one of " + ", ".join(ACTION_STATUSES))
        query = query.filter(Action.status == status)
    query = query.order_by(Action.plan_id, Action.position, Action.id)
    extra = {k: v for k, v in (("plan", plan_id), ("status", status)) if v}
    return _paginated(query, _each(serializers.action), "api.actions", **extra)


@bp.get("/actions/<int:action_id>")
def action(action_id):
    a = db.session.get(Action, action_id)
    if a is None or not a.is_public:
        abort(404)
    return jsonify({"data": serializers.action(a, detail=True)})


@bp.after_request
def _as_a_file(response):
    """ASVS 14.4.2: API answers are files, never pages a browser renders in our origin (on top of
    application/json, nosniff and the CSP). A browser saves them; scripts and curl ignore the header."""
    if response.mimetype == "application/json":
        name = request.path.removeprefix(bp.url_prefix).strip("/").replace("/", "-").removesuffix(".json")
        response.headers["Content-Disposition"] = f'attachment; filename="{name or "api"}.json"'
    return response
