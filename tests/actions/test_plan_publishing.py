"""Plans start as drafts; plans, actions, milestones and updates can be published, unpublished
and deleted after a confirmation page, and every change is in the plan's history."""
import io
import json
import os
import re

import pytest

from app.actions.models import Action, ActionPlan, Milestone, PlanEvent, ProgressUpdate, ThemeResponse
from app.extensions import db
from app.themes.models import ThemeActionLink
from tests import factories
from tests.actions import factories as af
from tests.conftest import login
from tests.consultations.test_my_response import published as my_response  # noqa: F401 (a fixture)

DEMO_CSV = os.path.join(os.path.dirname(__file__), "..", "..", "app", "demo", "data", "action_plan_import.csv")


@pytest.fixture()
def holders(db):
    return [factories.user(role="councillor", name=n) for n in ("David Okafor", "Fatima Begum", "Helen Marsh")]


def _import(client):
    text = open(DEMO_CSV, encoding="utf-8").read()
    preview = client.post("/staff/actions/import", content_type="multipart/form-data",
                          data={"title": "Fairer Plan", "file": (io.BytesIO(text.encode()), "plan.csv")})
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    done = client.post("/staff/actions/import/confirm", data={"token": token})
    assert done.status_code == 302
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)  # shows (and uses up) the message
    assert "The plan is not published yet: preview it, then publish it." in flashed
    return ActionPlan.query.filter_by(title="Fairer Plan").one()


def _do(client, url):
    """Make a change from its confirmation page, then open the page it leads to (using up the
    flash message, which names the item and would otherwise show on the next page)."""
    done = client.post(url)
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    client.get(done.headers["Location"])
    return done


def _public_texts(client, action_id=None):
    """Everything residents and the API can read about plans, as one string."""
    pages = ["/progress", "/api/v1/plans", "/api/v1/actions"]
    if action_id:
        pages += [f"/actions/{action_id}", f"/api/v1/actions/{action_id}"]
    return " ".join(client.get(p).get_data(as_text=True) for p in pages)


def _history(plan):
    return [(e.verb, e.text) for e in PlanEvent.query.filter_by(plan_id=plan.id).order_by(PlanEvent.id)]


# --- Import: draft first, preview, confirm, publish ------------------------------------------

def test_an_imported_plan_is_a_draft_until_an_officer_publishes_it(officer_client, holders, officer):
    plan = _import(officer_client)
    assert plan.published is False
    first = plan.actions[0]
    # Nothing public: not on /progress, its action pages 404, not in the API.
    assert "Fairer Plan" not in officer_client.get("/progress").get_data(as_text=True)
    assert officer_client.get(f"/actions/{first.id}").status_code == 404
    assert officer_client.get(f"/api/v1/actions/{first.id}").status_code == 404
    assert json.loads(officer_client.get("/api/v1/plans").data)["data"] == []
    assert json.loads(officer_client.get("/api/v1/actions").data)["data"] == []
    assert json.loads(officer_client.get(f"/api/v1/actions?plan={plan.id}").data)["data"] == []
    # Staff see it, marked as a draft, with its import in the history.
    listing = officer_client.get("/staff/actions").get_data(as_text=True)
    assert "Fairer Plan" in listing and "Not published" in listing
    page = officer_client.get(f"/staff/actions/plans/{plan.id}").get_data(as_text=True)
    assert "Not published" in page and "Publish the plan" in page
    assert "Imported from a CSV file: 14 actions and" in page and officer.name in page
    assert _history(plan)[0][0] == "imported"


def test_preview_shows_the_public_pages_to_staff_only(officer_client, holders):
    plan = _import(officer_client)
    first = plan.actions[0]
    preview = officer_client.get(f"/staff/actions/plans/{plan.id}/preview")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "This is how residents will see it once “Fairer Plan” is published" in body
    assert "14 actions." in body and first.title in body
    assert f"/staff/actions/{first.id}/preview" in body and f'href="/actions/{first.id}"' not in body
    action_preview = officer_client.get(f"/staff/actions/{first.id}/preview").get_data(as_text=True)
    assert first.title in action_preview and "Preview" in action_preview
    assert officer_client.get(f"/actions/{first.id}").status_code == 404  # still not public


def test_publishing_asks_first_and_says_what_will_happen(officer_client, holders):
    plan = _import(officer_client)
    confirm = officer_client.get(f"/staff/actions/plans/{plan.id}/publish")
    body = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "14 actions will appear on the public progress page and in the open-data API" in body
    assert "Preview the public pages first" in body
    db.session.refresh(plan)
    assert plan.published is False  # looking at the confirmation changes nothing
    done = officer_client.post(f"/staff/actions/plans/{plan.id}/publish")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/staff/actions/plans/{plan.id}")
    db.session.refresh(plan)
    assert plan.published is True
    assert _history(plan)[-1] == ("published", "Published the plan, with 14 actions")
    first = plan.actions[0]
    assert first.title in officer_client.get("/progress").get_data(as_text=True)
    assert officer_client.get(f"/actions/{first.id}").status_code == 200
    assert len(json.loads(officer_client.get("/api/v1/actions?per_page=100").data)["data"]) == 14
    # Publishing again does nothing and records nothing.
    again = officer_client.get(f"/staff/actions/plans/{plan.id}/publish", follow_redirects=True)
    assert "It was published already." in again.get_data(as_text=True)
    _do(officer_client, f"/staff/actions/plans/{plan.id}/publish")
    assert [v for v, _ in _history(plan)].count("published") == 1


def test_plans_made_before_drafts_and_demo_plans_are_public(client, db):
    plan = af.plan()
    assert plan.published is True
    assert plan.actions[0].title in client.get("/progress").get_data(as_text=True)


# --- Unpublish each kind ----------------------------------------------------------------------

@pytest.fixture()
def live(db):
    plan = af.plan(title="Live Plan")
    action = plan.actions[0]
    af.milestone(action, "Survey the lifts", target=af.past(3))
    af.update(action, text="Contractor appointed.", percent=40)
    return plan, action


def test_unpublishing_a_plan_hides_it_everywhere_and_publishing_brings_it_back(officer_client, live):
    plan, action = live
    page = officer_client.get(f"/staff/actions/plans/{plan.id}/unpublish").get_data(as_text=True)
    assert "The plan and its 3 actions will disappear from the public progress page" in page
    _do(officer_client, f"/staff/actions/plans/{plan.id}/unpublish")
    public = _public_texts(officer_client)
    assert "Live Plan" not in public and action.title not in public
    assert officer_client.get(f"/actions/{action.id}").status_code == 404
    assert officer_client.get(f"/api/v1/actions/{action.id}").status_code == 404
    _do(officer_client, f"/staff/actions/plans/{plan.id}/publish")
    assert officer_client.get(f"/actions/{action.id}").status_code == 200
    assert [v for v, _ in _history(plan)] == ["unpublished", "published"]


def test_unpublishing_an_action_hides_it_but_not_the_rest_of_the_plan(officer_client, live):
    plan, action = live
    other = plan.actions[1]
    _do(officer_client, f"/staff/actions/actions/{action.id}/unpublish")
    public = _public_texts(officer_client)
    assert action.title not in public and other.title in public
    assert officer_client.get(f"/actions/{action.id}").status_code == 404
    assert officer_client.get(f"/api/v1/actions/{action.id}").status_code == 404
    plans = json.loads(officer_client.get("/api/v1/plans").data)["data"]
    assert plans[0]["action_count"] == 2
    staff = officer_client.get(f"/staff/actions/plans/{plan.id}").get_data(as_text=True)
    assert action.title in staff and "Not published" in staff
    assert _history(plan) == [("unpublished", f"Unpublished the action “1.1 {action.title}”")]


def test_unpublishing_a_milestone_or_update_hides_it_from_the_action_page_and_api(officer_client, live):
    plan, action = live
    milestone, update = action.milestones[0], action.updates[0]
    before = _public_texts(officer_client, action.id)
    assert "Survey the lifts" in before and "Contractor appointed." in before
    _do(officer_client, f"/staff/actions/milestones/{milestone.id}/unpublish")
    _do(officer_client, f"/staff/actions/updates/{update.id}/unpublish")
    after = _public_texts(officer_client, action.id)
    assert "Survey the lifts" not in after and "Contractor appointed." not in after
    data = json.loads(officer_client.get(f"/api/v1/actions/{action.id}").data)["data"]
    assert data["milestones"] == [] and data["updates"] == []
    assert data["percent_complete"] is None and data["last_update_on"] is None  # figures match
    assert "No milestones are overdue." in officer_client.get("/progress").get_data(as_text=True)
    staff = officer_client.get(f"/staff/actions/{action.id}").get_data(as_text=True)
    assert "Survey the lifts" in staff and "Contractor appointed." in staff and "Not published" in staff
    assert [v for v, _ in _history(plan)] == ["unpublished", "unpublished"]
    assert "milestone “Survey the lifts”" in _history(plan)[0][1]


def test_a_hidden_action_leaves_its_you_said_we_did_response_public_without_the_link(officer_client, live):
    plan, action = live
    consultation, themes = af.consultation_with_themes()
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new", data={
        "themes": [t.id for t in themes], "kind": "we_are_doing", "text": "Two-hour repair slots.",
        "action_id": str(action.id)})
    assert officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish",
                               data={"confirmed": "yes"}).status_code == 302
    shown = officer_client.get(f"/you-said-we-did/{consultation.id}").get_data(as_text=True)
    assert f"/actions/{action.id}" in shown
    confirm = officer_client.get(f"/staff/actions/actions/{action.id}/unpublish").get_data(as_text=True)
    assert "1 “You said, we did” response links to it. It stays public, without the link" in confirm
    _do(officer_client, f"/staff/actions/actions/{action.id}/unpublish")
    shown = officer_client.get(f"/you-said-we-did/{consultation.id}").get_data(as_text=True)
    assert "Two-hour repair slots." in shown and f"/actions/{action.id}" not in shown
    assert action.title not in shown
    api = json.loads(officer_client.get(f"/api/v1/you-said-we-did/{consultation.id}").data)["data"]
    assert api["responses"][0]["text"] == "Two-hour repair slots." and api["responses"][0]["action"] is None


def test_confirmed_theme_links_to_hidden_actions_are_not_public(officer_client, live):
    plan, action = live
    consultation, themes = af.consultation_with_themes(status="published")
    af.link(themes[0], action)
    themes_api = f"/api/v1/consultations/{consultation.id}/themes"
    assert action.title in officer_client.get(themes_api).get_data(as_text=True)
    _do(officer_client, f"/staff/actions/plans/{plan.id}/unpublish")
    assert action.title not in officer_client.get(themes_api).get_data(as_text=True)


def test_no_status_email_about_a_hidden_action(officer_client, live, sent_emails):
    from app.actions.notify import notify_action_status

    plan, action = live
    _do(officer_client, f"/staff/actions/actions/{action.id}/unpublish")
    db.session.refresh(action)
    assert notify_action_status(action) == 0


def test_scrutiny_report_leaves_out_draft_plans_and_hidden_actions(officer_client, live, holders):
    plan, action = live
    draft = _import(officer_client)
    _do(officer_client, f"/staff/actions/actions/{action.id}/unpublish")
    report = officer_client.get("/staff/actions/report").get_data(as_text=True)
    assert plan.actions[1].title in report and f"1.1 {action.title}" not in report
    assert draft.actions[0].title not in report


# --- Delete ---------------------------------------------------------------------------------

def test_delete_asks_first_then_deletes_a_milestone_and_an_update_with_history(officer_client, live):
    plan, action = live
    milestone, update = action.milestones[0], action.updates[0]
    page = officer_client.get(f"/staff/actions/milestones/{milestone.id}/delete").get_data(as_text=True)
    assert "can’t be undone" in page and "unpublish it instead" in page
    assert db.session.get(Milestone, milestone.id) is not None
    _do(officer_client, f"/staff/actions/milestones/{milestone.id}/delete")
    _do(officer_client, f"/staff/actions/updates/{update.id}/delete")
    db.session.expire_all()
    assert Milestone.query.count() == 0 and ProgressUpdate.query.count() == 0
    history = officer_client.get(f"/staff/actions/plans/{plan.id}").get_data(as_text=True)
    assert "Deleted the milestone “Survey the lifts”" in history
    assert "Deleted the progress update of" in history


def test_deleting_an_action_takes_its_milestones_updates_and_suggested_links(officer_client, live):
    plan, action = live
    consultation, themes = af.consultation_with_themes()
    af.link(themes[0], action, status="suggested")
    af.link(themes[1], action, status="rejected")
    action_id, title = action.id, action.title
    page = officer_client.get(f"/staff/actions/actions/{action_id}/delete").get_data(as_text=True)
    assert "1 milestone and 1 progress update will be deleted with it" in page
    done = officer_client.post(f"/staff/actions/actions/{action_id}/delete")
    assert done.headers["Location"].endswith(f"/staff/actions/plans/{plan.id}")
    db.session.expire_all()
    assert db.session.get(Action, action_id) is None
    assert Milestone.query.count() == 0 and ThemeActionLink.query.count() == 0
    assert len(db.session.get(ActionPlan, plan.id).actions) == 2
    assert f"Deleted the action “1.1 {title}”" in officer_client.get(
        f"/staff/actions/plans/{plan.id}").get_data(as_text=True)
    assert officer_client.get(f"/staff/actions/{action_id}").status_code == 404


@pytest.mark.parametrize("kind", ["actions", "milestones", "updates"])
def test_delete_works_from_a_fresh_session_as_in_a_real_request(live, officer, kind):
    """Regression: removing the item from its parent's unloaded list and deleting it failed the flush."""
    from app.accounts.models import User
    from app.actions import publishing

    plan, action = live
    item_id = {"actions": action.id, "milestones": action.milestones[0].id, "updates": action.updates[0].id}[kind]
    user_id = officer.id
    db.session.expunge_all()
    item = db.session.get(publishing.MODELS[kind], item_id)
    parent = item.plan if kind == "actions" else item.action
    before = len(getattr(parent, kind))
    publishing.delete(item, db.session.get(User, user_id))
    db.session.commit()
    assert db.session.get(publishing.MODELS[kind], item_id) is None
    assert len(getattr(parent, kind)) == before - 1


def test_deleting_a_plan_keeps_its_history_on_the_plans_page(officer_client, live):
    plan, action = live
    plan_id = plan.id
    _do(officer_client, f"/staff/actions/actions/{action.id}/unpublish")
    done = officer_client.post(f"/staff/actions/plans/{plan_id}/delete")
    assert done.headers["Location"].endswith("/staff/actions")
    db.session.expire_all()
    assert ActionPlan.query.count() == 0 and Action.query.count() == 0
    events = PlanEvent.query.order_by(PlanEvent.id).all()
    assert [e.verb for e in events] == ["unpublished", "deleted"]
    assert all(e.plan_id is None and e.plan_title == "Live Plan" for e in events)
    assert events[-1].text == "Deleted the plan “Live Plan”, with its 3 actions"
    listing = officer_client.get("/staff/actions").get_data(as_text=True)
    assert "Deleted plans and their history" in listing and "Deleted the plan “Live Plan”" in listing
    assert officer_client.get(f"/staff/actions/plans/{plan_id}").status_code == 404


def test_a_delete_that_would_break_a_confirmed_theme_link_is_refused(officer_client, live):
    plan, action = live
    consultation, themes = af.consultation_with_themes()
    af.link(themes[0], action)
    for url in (f"/staff/actions/actions/{action.id}/delete", f"/staff/actions/plans/{plan.id}/delete"):
        page = officer_client.get(url)
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "You can’t delete" in body
        assert "1 consultation theme is confirmed as linked to" in body and "Unpublish it instead" in body
        assert 'type="submit"' not in body.split('id="delete-refused"')[1]
        refused = officer_client.post(url)
        assert refused.status_code == 409 and "You can’t delete" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Action, action.id) is not None and ActionPlan.query.count() == 1
    assert ThemeActionLink.query.count() == 1 and PlanEvent.query.count() == 0  # nothing half-done


def test_a_delete_that_would_break_a_you_said_we_did_response_is_refused(officer_client, live):
    plan, action = live
    consultation, themes = af.consultation_with_themes()
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new", data={
        "themes": [themes[0].id], "kind": "we_are_doing", "text": "Slots.", "action_id": str(action.id)})
    assert ThemeResponse.query.one().action_id == action.id
    refused = officer_client.post(f"/staff/actions/actions/{action.id}/delete")
    assert refused.status_code == 409
    assert "1 “You said, we did” response links to this action" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert ThemeResponse.query.one().action_id == action.id and PlanEvent.query.count() == 0
    # Milestones and updates have nothing pointing at them: those deletes go ahead.
    _do(officer_client, f"/staff/actions/milestones/{action.milestones[0].id}/delete")


# --- Who may, and bad addresses -------------------------------------------------------------

@pytest.mark.parametrize("role", ["councillor", "resident"])
def test_councillors_and_residents_are_refused(client, live, role):
    plan, action = live
    login(client, factories.user(role=role))
    urls = [f"/staff/actions/plans/{plan.id}/unpublish", f"/staff/actions/plans/{plan.id}/delete",
            f"/staff/actions/actions/{action.id}/delete", f"/staff/actions/milestones/{action.milestones[0].id}/unpublish",
            f"/staff/actions/updates/{action.updates[0].id}/delete"]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    for url in (f"/staff/actions/plans/{plan.id}/preview", f"/staff/actions/{action.id}/preview"):
        assert client.get(url).status_code == 403
    db.session.expire_all()
    assert ActionPlan.query.one().published and Milestone.query.count() == 1 and PlanEvent.query.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, live):
    plan, _ = live
    response = client.post(f"/staff/actions/plans/{plan.id}/delete")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert ActionPlan.query.count() == 1


@pytest.mark.parametrize("url", ["/staff/actions/plans/999999/publish", "/staff/actions/actions/999999/delete",
                                 "/staff/actions/milestones/999999/unpublish", "/staff/actions/updates/999999/delete",
                                 "/staff/actions/widgets/1/delete", "/staff/actions/plans/1/explode",
                                 "/staff/actions/plans/999999/preview", "/staff/actions/999999/preview",
                                 "/actions/999999"])
def test_bad_ids_and_names_are_404(officer_client, db, url):
    assert officer_client.get(url).status_code == 404
    if "/preview" not in url and url.startswith("/staff"):
        assert officer_client.post(url).status_code == 404


def test_openapi_says_unpublished_items_are_left_out(client, db):
    doc = json.loads(client.get("/api/v1/openapi.json").data)
    assert "unpublished" in doc["paths"]["/plans"]["get"]["description"].lower()
    assert "unpublished" in doc["paths"]["/actions"]["get"]["description"].lower()


def test_my_response_page_leaves_out_an_unpublished_action(client, my_response):
    action = my_response["actions"][0]
    reference = my_response["mine"].reference
    assert action.display_title in client.post("/my-response", data={"reference": reference}).get_data(as_text=True)
    action.published = False
    db.session.commit()
    page = client.post("/my-response", data={"reference": reference}).get_data(as_text=True)
    assert action.display_title not in page
    assert "We now book repairs in two-hour slots." in page  # the council's response stays


def test_the_printed_consultation_report_leaves_out_unpublished_actions(officer_client, live):
    """The report prints each confirmed action's public address; a hidden one would be a dead link."""
    from app.themes.report import _confirmed_actions

    plan, action = live
    consultation, themes = af.consultation_with_themes(status="published")
    af.link(themes[0], action)
    assert _confirmed_actions([themes[0]])[themes[0].id] == [action]
    _do(officer_client, f"/staff/actions/plans/{plan.id}/unpublish")
    db.session.refresh(plan)
    assert _confirmed_actions([themes[0]])[themes[0].id] == []
