"""Walks app.url_map: every route is either listed here as public or lives under /staff, and
every /staff route refuses anonymous users and every role it does not allow, for GET and POST.

Allowed roles are read from what protect() (blueprint.allowed_roles) and roles_required()
(view.allowed_roles) record, so a staff view with neither fails the walk.
"""
import re

from flask import Blueprint

from app import create_app
from app.common.auth import ADMIN, COUNCILLOR, OFFICER, RESIDENT, TENANT_BOARD
from tests import factories
from tests.conftest import Settings, login

# Every public rule, exactly. A new public page must be added here on purpose.
PUBLIC_RULES = {
    "/", "/accessibility", "/privacy", "/static/<path:filename>", "/healthz", "/readyz",
    "/metrics",  # answered only to METRICS_ALLOWED addresses (tests/operations)
    "/sign-in", "/sign-out", "/create-account", "/account", "/check-your-email",
    "/account/responses/<int:response_id>",
    "/invitation/<token>",
    "/sign-in/code", "/sign-in/set-up-second-factor", "/account/second-factor/recovery-codes",
    "/sign-in/sso", "/sign-in/sso/callback",  # staff single sign-on (tests/accounts/test_sso.py)
    # Security keys: the account ones need a signed-in member of staff (tests/accounts/test_security_keys.py).
    "/sign-in/security-key", "/sign-in/security-key/options", "/account/security-keys",
    "/account/security-keys/options", "/account/security-keys/<int:key_id>/remove",
    "/create-account/confirm/<token>", "/reset-password", "/reset-password/<token>", "/account/password",
    "/account/devices",
    "/consultations", "/consultations/<int:consultation_id>", "/consultations/<int:consultation_id>/respond",
    "/consultations/<int:consultation_id>/respond/confirmation", "/consultations/<int:consultation_id>/results",
    "/my-response", "/my-response/<token>",
    "/api/v1/actions", "/api/v1/actions/<int:action_id>", "/api/v1/consultations",
    "/api/v1/consultations/<int:consultation_id>", "/api/v1/consultations/<int:consultation_id>/themes",
    "/api/v1/openapi.json", "/api/v1/plans", "/api/v1/you-said-we-did",
    "/api/v1/you-said-we-did/<int:consultation_id>",
    "/actions/<int:action_id>", "/progress", "/progress/plans/<int:plan_id>/chart.svg",
    "/you-said-we-did", "/you-said-we-did/<int:consultation_id>",
    "/you-said-we-did/<int:consultation_id>/versions/<int:number>",
    "/unsubscribe/<token>",
    "/panel/confirm/<token>", "/panel/join", "/panel/join/check-your-email", "/panel/left", "/panel/manage",
    "/panel/manage/<token>", "/panel/manage/<token>/leave", "/panel/manage/<token>/pause", "/panel/manage/sent",
    "/panel/reply/<token>",
    "/surgeries", "/surgeries/<int:surgery_id>", "/surgeries/booking/<token>", "/surgeries/booking/<token>/cancel",
    "/surgeries/booking/<token>/confirmed", "/surgeries/booking/<token>/invite.ics",
    "/surgeries/booking/<token>/move", "/surgeries/ward/<slug>",
    "/wards", "/wards/<slug>",
    "/shared-goals", "/shared-goals/<int:round_id>", "/shared-goals/<int:round_id>/thank-you",
    "/shared-goals/<int:round_id>/results",  # closed rounds only (tests/tracker)
    # Statements to vote on (tests/deliberation); results only once an officer publishes them.
    "/consultations/<int:consultation_id>/statements", "/consultations/<int:consultation_id>/statements/new",
    "/consultations/<int:consultation_id>/statements/about-you",
    "/consultations/<int:consultation_id>/statements/results",
    # Group conversations: hosts have no account; their pages need the signed link (tests/conversations).
    "/conversations/host", "/conversations/host/registered", "/conversations/kits/<kind>/<int:subject_id>",
    "/conversations/host/<token>", "/conversations/host/<token>/records/new",
    "/conversations/host/<token>/records/<int:record_id>", "/conversations/host/<token>/records/<int:record_id>/edit",
    "/place-standard", "/place-standard/<int:survey_id>",  # published rounds only (tests/places)
    "/place-standard/<int:survey_id>/compass.svg",
}
ROLES = (ADMIN, OFFICER, COUNCILLOR, RESIDENT, TENANT_BOARD)


def _fill(rule):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)


def _staff_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/staff")]


def allowed_roles(app, rule):
    """The roles a staff rule lets in, as recorded by roles_required() or protect(); None if neither."""
    view = app.view_functions[rule.endpoint]
    roles = getattr(view, "allowed_roles", None)
    blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
    if blueprint is not None and getattr(blueprint, "allowed_roles", None):
        # Both apply: the view can only narrow what its blueprint allows.
        roles = set(blueprint.allowed_roles) & set(roles) if roles else blueprint.allowed_roles
    return set(roles) if roles else None


def open_staff_routes(app):
    """Every (role, method, rule, status) where a staff route did not refuse someone it should."""
    problems = []
    users = {role: factories.user(role=role) for role in ROLES}  # the db fixture's app context
    for who in (None, *ROLES):
        client = app.test_client()
        if who is not None:
            login(client, users[who])
        for rule in _staff_rules(app):
            allowed = allowed_roles(app, rule)
            if allowed is None:
                problems.append((who, "-", rule.rule, "no allowed roles recorded"))
                continue
            if who in allowed:
                continue
            for method in ("GET", "POST"):
                if method not in rule.methods:
                    continue
                response = client.open(_fill(rule), method=method)
                if who is None:
                    refused = response.status_code == 302 and "/sign-in" in response.headers.get("Location", "")
                else:
                    refused = response.status_code == 403
                if not refused:
                    problems.append((who, method, rule.rule, response.status_code))
    return problems


def test_every_route_is_listed_as_public_or_under_staff(app):
    for rule in app.url_map.iter_rules():
        assert rule.rule.startswith("/staff/") or rule.rule in PUBLIC_RULES, rule.rule


def test_public_list_has_no_stale_entries(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert PUBLIC_RULES <= rules, PUBLIC_RULES - rules


def test_there_are_staff_routes_to_check(app):
    assert len(_staff_rules(app)) >= 5


def test_every_staff_route_refuses_anonymous_users_and_every_role_it_does_not_allow(app, db):
    assert open_staff_routes(app) == []


def test_admin_only_pages_record_admin_only(app):
    for rule in _staff_rules(app):
        if rule.rule.startswith("/staff/admin"):
            assert allowed_roles(app, rule) == {ADMIN}, rule.rule


def test_the_walk_finds_an_open_staff_route(db):
    """The walk above can fail: an unprotected staff page, and one whose recorded roles are not enforced."""
    leaky = create_app(Settings)
    leaky.add_url_rule("/staff/forgotten", "forgotten", lambda: "secret", methods=["GET", "POST"])
    # Recorded roles that do not match the real check: the walk must see the page served.
    lying = Blueprint("lying", __name__, url_prefix="/staff/lying")
    lying.allowed_roles = (ADMIN,)
    lying.add_url_rule("/", "page", lambda: "secret")
    leaky.register_blueprint(lying)

    problems = open_staff_routes(leaky)
    paths = {p[2] for p in problems}
    assert "/staff/forgotten" in paths
    assert "/staff/lying/" in paths
    assert ("resident", "GET", "/staff/lying/", 200) in problems
    assert None in {p[0] for p in problems if p[2] == "/staff/lying/"}


def _fill_with(rule, values):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values.get(m.group(1), 1)), rule.rule)


def _ward_consultation_ids(ward):
    """A closed consultation of `ward` with a question, theme, analysis, answer and link: URL values."""
    from app.extensions import db
    from app.themes.models import ThemeActionLink, ThemeAnalysis
    from tests.actions import factories as af

    consultation, themes = af.consultation_with_themes(status="closed", title=f"About {ward.name}",
                                                       borough_wide=False)
    consultation.wards.append(ward)
    question = consultation.questions[0]
    analysis = ThemeAnalysis(question_id=question.id, status="done")
    action = af.plan(title=f"Plan for {ward.name}", actions=1).actions[0]
    link = ThemeActionLink(theme=themes[0], action=action, status="suggested")
    db.session.add_all([analysis, link])
    db.session.commit()
    return {"consultation_id": consultation.id, "question_id": question.id, "theme_id": themes[0].id,
            "analysis_id": analysis.id, "answer_id": themes[0].examples[0], "link_id": link.id,
            "decision": "confirm"}


def test_councillors_read_only_the_consultations_of_their_ward_on_every_staff_route(app, db):
    """Every staff rule that names a consultation (directly or through a question, theme or
    analysis) and lets councillors in: another ward's is refused on every method; their own
    ward's can be read with GET and never changed with POST."""
    from app.consultations.access import RESOLVERS

    own_ward, other_ward = factories.ward("Own ward"), factories.ward("Other ward")
    own, other = _ward_consultation_ids(own_ward), _ward_consultation_ids(other_ward)
    client = app.test_client()
    login(client, factories.user(role=COUNCILLOR, ward_id=own_ward.id))
    problems, checked = [], 0
    for rule in _staff_rules(app):
        if COUNCILLOR not in (allowed_roles(app, rule) or ()) or not set(rule.arguments) & set(RESOLVERS):
            continue
        checked += 1
        for method in sorted(rule.methods & {"GET", "POST"}):
            status = client.open(_fill_with(rule, other), method=method).status_code
            if status != 403:
                problems.append(("other ward", method, rule.rule, status))
            status = client.open(_fill_with(rule, own), method=method).status_code
            if (method == "POST" and status != 403) or (method == "GET" and status not in (200, 302)):
                problems.append(("own ward", method, rule.rule, status))
    assert checked >= 8
    assert problems == []
