"""Staff editing of actions (status, updates, milestones) and the public action page."""
import re

import pytest

from app.actions.models import Action, Milestone, ProgressUpdate, YouSaidWeDid
from app.common.timeutil import utcnow
from app.extensions import db
from tests import factories
from tests.actions import factories as af

LONG = "x" * 100_000


@pytest.fixture()
def action(db):
    return af.plan().actions[0]


def test_staff_pages_list_plans_and_actions(officer_client, action):
    assert action.plan.title in officer_client.get("/staff/actions").get_data(as_text=True)
    assert "1.1 Action 1" in officer_client.get(f"/staff/actions/plans/{action.plan_id}").get_data(as_text=True)
    assert officer_client.get(f"/staff/actions/{action.id}").status_code == 200
    assert officer_client.get("/staff/actions/plans/999").status_code == 404
    assert officer_client.get("/staff/actions/999").status_code == 404


def test_councillors_cannot_edit_plans(client, action):
    from tests.conftest import login

    login(client, factories.user(role="councillor"))
    assert client.get("/staff/actions").status_code == 403
    assert client.post(f"/staff/actions/{action.id}/status", data={"status-status": "at_risk"}).status_code == 403
    assert client.get("/staff/actions/report").status_code == 200  # scrutiny councillors may read the report


def test_edit_action_and_portfolio_holder(officer_client, action):
    holder = factories.user(role="councillor", name="Fatima Begum")
    response = officer_client.post(f"/staff/actions/{action.id}/edit", data={
        "number": "2.1", "title": "Repairs that keep appointments", "description": "Two-hour slots.",
        "how_we_will_know": "Appointments kept", "priority": "Good homes", "objective": "Repairs",
        "portfolio_holder_id": str(holder.id), "lead_officer": "Head of Repairs", "timescale": "2026"})
    assert response.status_code == 302
    db.session.refresh(action)
    assert (action.number, action.title, action.portfolio_holder_id) == ("2.1", "Repairs that keep appointments", holder.id)


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Enter the action"),
    ({"title": LONG}, "Title must be 300 characters or fewer"),
    ({"title": "T", "portfolio_holder_id": "abc"}, "Select a councillor"),
    ({"title": "T", "portfolio_holder_id": "999999"}, "Select a councillor"),
    ({"title": "T", "number": LONG}, "Action number must be 20"),
])
def test_edit_action_rejects_bad_input(officer_client, action, data, message):
    response = officer_client.post(f"/staff/actions/{action.id}/edit", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert db.session.get(Action, action.id).title == "Action 1"


def test_an_officer_cannot_be_portfolio_holder(officer_client, action, officer):
    response = officer_client.post(f"/staff/actions/{action.id}/edit", data={
        "title": "T", "portfolio_holder_id": str(officer.id)})
    assert response.status_code == 400


def test_status_change_and_cant_proceed_needs_a_reason(officer_client, action):
    response = officer_client.post(f"/staff/actions/{action.id}/status", data={"status-status": "cant_proceed"})
    assert response.status_code == 400
    assert "Say why this action can" in response.get_data(as_text=True)
    assert db.session.get(Action, action.id).status == "not_started"
    response = officer_client.post(f"/staff/actions/{action.id}/status", data={
        "status-status": "cant_proceed", "status-reason": "Planning permission was refused."})
    assert response.status_code == 302
    public = officer_client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Can&#39;t proceed" in public and "Planning permission was refused." in public


def _date(name, day="", month="", year=""):
    """The three boxes of a GOV.UK date input, as a browser posts them."""
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _iso(name, iso):
    year, month, day = iso.split("-")
    return _date(name, day, month, year)


@pytest.mark.parametrize("data", [{}, {"status-status": "nonsense"}, {"status-status": "at_risk", "status-reason": LONG}])
def test_status_rejects_bad_input(officer_client, action, data):
    assert officer_client.post(f"/staff/actions/{action.id}/status", data=data).status_code == 400
    assert db.session.get(Action, action.id).status == "not_started"


def test_progress_update_with_optional_percentage(officer_client, action):
    response = officer_client.post(f"/staff/actions/{action.id}/updates", data={
        **_iso("update-update_date", "2026-05-04"), "update-text": "Contract signed.", "update-percent": "40"})
    assert response.status_code == 302
    response = officer_client.post(f"/staff/actions/{action.id}/updates", data={
        **_iso("update-update_date", "2026-06-01"), "update-text": "Work started."})
    assert response.status_code == 302
    updates = db.session.get(Action, action.id).updates
    assert [(u.text, u.percent) for u in updates] == [("Work started.", None), ("Contract signed.", 40)]
    public = officer_client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "4 May 2026 · 40% complete" in public and "40% complete" in public


@pytest.mark.parametrize("data, message", [
    ({**_iso("update-update_date", "2026-02-30"), "update-text": "x"}, "Date of the update must be a real date"),
    ({**_date("update-update_date"), "update-text": "x"}, "Enter the date of the update"),
    ({"update-text": "x"}, "Enter the date of the update"),
    ({**_date("update-update_date", "4", "", "2026"), "update-text": "x"}, "Date of the update must include a month"),
    ({**_date("update-update_date", "4", "5", "26"), "update-text": "x"}, "must have a year between 2000 and 2100"),
    ({**_iso("update-update_date", "2026-01-01"), "update-text": ""}, "Enter the update"),
    ({**_iso("update-update_date", "2026-01-01"), "update-text": "x", "update-percent": "abc"}, "Not a valid integer"),
    ({**_iso("update-update_date", "2026-01-01"), "update-text": "x", "update-percent": "101"}, "between 0 and 100"),
    ({**_iso("update-update_date", "2026-01-01"), "update-text": LONG}, "5000 characters"),
    ({**_date("update-update_date", LONG, LONG, LONG), "update-text": "x"}, "Date of the update must be a real date"),
])
def test_progress_update_rejects_bad_input(officer_client, action, data, message):
    response = officer_client.post(f"/staff/actions/{action.id}/updates", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "There is a problem" in body
    assert ProgressUpdate.query.count() == 0


def test_add_and_mark_milestones(officer_client, action):
    response = officer_client.post(f"/staff/actions/{action.id}/milestones", data={
        "milestone-title": "Pilot in two parks", **_iso("milestone-target_date", "2026-06-30")})
    assert response.status_code == 302
    milestone = Milestone.query.one()
    response = officer_client.post(f"/staff/actions/{action.id}/milestones/{milestone.id}/met",
                                   data=_iso(f"met{milestone.id}-completed_on", "2026-07-02"))
    assert response.status_code == 302
    db.session.refresh(milestone)
    assert str(milestone.completed_on) == "2026-07-02" and milestone.met_late
    officer_client.post(f"/staff/actions/{action.id}/milestones/{milestone.id}/met", data={"undo": "1"})
    db.session.refresh(milestone)
    assert milestone.completed_on is None


def test_milestone_target_date_is_optional_but_a_partial_date_is_an_error(officer_client, action):
    response = officer_client.post(f"/staff/actions/{action.id}/milestones", data={
        "milestone-title": "No date yet", **_date("milestone-target_date")})
    assert response.status_code == 302 and Milestone.query.one().target_date is None
    response = officer_client.post(f"/staff/actions/{action.id}/milestones", data={
        "milestone-title": "Half a date", **_date("milestone-target_date", "30", "6", "")})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Target date must include a year" in body
    assert 'href="#milestone-target_date-year"' in body  # the summary links to the empty box
    assert re.search(r'id="milestone-target_date-day" name="milestone-target_date-day" type="text" value="30"', body)
    assert Milestone.query.count() == 1


def test_milestone_forms_reject_bad_input(officer_client, action):
    other = af.plan(title="Other").actions[0]
    m = af.milestone(other)
    assert officer_client.post(f"/staff/actions/{action.id}/milestones", data={"milestone-title": ""}).status_code == 400
    assert officer_client.post(f"/staff/actions/{action.id}/milestones", data={
        "milestone-title": "T", **_date("milestone-target_date", "1", "soon", "2026")}).status_code == 400
    assert officer_client.post(f"/staff/actions/{action.id}/milestones", data={"milestone-title": LONG}).status_code == 400
    assert officer_client.post(f"/staff/actions/{action.id}/milestones/{m.id}/met").status_code == 404
    mine = af.milestone(action)
    assert officer_client.post(f"/staff/actions/{action.id}/milestones/{mine.id}/met",
                               data=_date(f"met{mine.id}-completed_on", "31", "31", "2026")).status_code == 400
    assert officer_client.post(f"/staff/actions/{action.id}/milestones/99999/met").status_code == 404
    assert officer_client.post("/staff/actions/abc/status").status_code == 404
    assert Milestone.query.filter(Milestone.completed_on.is_not(None)).count() == 0


def test_public_action_page_shows_what_residents_told_us_redacted(client, action):
    consultation, themes = af.consultation_with_themes(status="published")
    af.link(themes[0], action, status="confirmed")
    af.link(themes[1], action, status="suggested")
    body = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "What residents told us" in body
    assert "Slow repairs" in body and "(3 comments)" in body and consultation.title in body
    assert "Unsafe estates" not in body  # only confirmed links
    assert "jo.bloggs@example.com" not in body and "07700 900123" not in body and "NB1 2AB" not in body
    assert "[email]" in body and "[phone]" in body and "[postcode]" in body
    assert "lifts in Kestrel House" in body
    assert client.get("/actions/99999").status_code == 404


@pytest.mark.parametrize("status", ["open", "closed"])
def test_themes_are_not_quoted_until_results_are_published(client, action, status):
    consultation, themes = af.consultation_with_themes(status=status)
    af.link(themes[0], action)
    body = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Slow repairs" not in body and "lifts in Kestrel House" not in body and "No consultation themes" in body
    if status == "closed":
        consultation.publish_results()
        db.session.commit()
        assert "lifts in Kestrel House" in client.get(f"/actions/{action.id}").get_data(as_text=True)


def test_the_consultation_links_to_you_said_we_did_only_once_that_page_is_published(client, action):
    consultation, themes = af.consultation_with_themes(status="published")
    af.link(themes[0], action)
    link = f'href="/you-said-we-did/{consultation.id}"'
    body = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert consultation.title in body and link not in body  # results published, but no page: no 404 link
    page = YouSaidWeDid(consultation=consultation)
    db.session.add(page)
    db.session.commit()
    assert link not in client.get(f"/actions/{action.id}").get_data(as_text=True)  # a draft page
    page.published_at = utcnow()
    db.session.commit()
    assert link in client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 200
