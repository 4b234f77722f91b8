"""An officer writes and publishes "You said, we did"; the public pages pass axe-core."""
from playwright.sync_api import expect

from tests import factories
from tests.actions import factories as af
from tests.browser.conftest import assert_accessible, sign_in


def test_officer_publishes_you_said_we_did_and_public_pages_are_accessible(page, db):
    officer = factories.user(role="officer")
    plan = af.plan()
    af.update(plan.actions[0], text="Two-hour slots on two estates.", percent=40)
    af.milestone(plan.actions[1], "Lifts replaced", target=af.past(20))
    consultation, themes = af.consultation_with_themes(themes=(("Slow repairs", 4), ("Unsafe estates", 2)))

    sign_in(page, officer)
    page.goto("/staff/you-said-we-did")
    page.get_by_role("link", name=consultation.title).click()

    # Publishing too soon: the error is in the summary and beside the button it links to.
    page.get_by_role("button", name="Publish “You said, we did”").click()
    page.locator(".govuk-error-summary").wait_for()
    expect(page.locator("#publish-error")).to_contain_text("Write at least one response")
    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(page.get_by_role("button", name="Publish “You said, we did”")).to_be_focused()
    assert_accessible(page, "publish error")

    page.get_by_role("link", name="Respond to Slow repairs").click()
    page.get_by_role("radio", name="We are doing").check()
    page.get_by_label("What we did, are doing, or why we can't").fill("We are offering two-hour appointment slots.")
    page.get_by_label("Linked action (for “We are doing”)").select_option(str(plan.actions[0].id))
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_role("link", name="Change the response to Slow repairs")).to_be_visible()

    page.get_by_role("link", name="Respond to Unsafe estates").click()
    page.get_by_role("radio", name="We can't").check()
    page.get_by_label("What we did, are doing, or why we can't").fill("CCTV on these estates is run by the police.")
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_role("link", name="Change the response to Unsafe estates")).to_be_visible()

    page.get_by_role("button", name="Publish “You said, we did”").click()
    page.get_by_role("heading", name="Publish “You said, we did”?").wait_for()  # asked first
    assert_accessible(page, "publish confirmation")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/you-said-we-did/{consultation.id}")
    body = page.content()
    assert "We are offering two-hour appointment slots." in body and "40% complete" in body
    assert "CCTV on these estates is run by the police." in body
    assert_accessible(page, "You said, we did page")

    page.goto("/you-said-we-did")
    assert consultation.title in page.content()
    assert_accessible(page, "You said, we did index")

    page.goto("/progress")
    assert "1 overdue" in page.content()
    assert_accessible(page, "progress dashboard")

    page.get_by_role("link", name="1.1 Action 1").click()
    page.get_by_role("heading", name="What residents told us").wait_for()
    assert_accessible(page, "action page")


def test_officer_types_dates_in_three_boxes_for_updates_and_the_report(page, db):
    officer = factories.user(role="officer")
    plan = af.plan()
    action = plan.actions[0]
    sign_in(page, officer)

    page.goto(f"/staff/actions/{action.id}")
    page.fill("#update-update_date-day", "4")
    page.fill("#update-update_date-month", "")
    page.fill("#update-update_date-year", "2026")
    page.get_by_label("What has happened").fill("Contract signed.")
    page.get_by_role("button", name="Add update").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Date of the update must include a month" in page.content()
    assert_accessible(page, "action page with a date error")
    page.get_by_role("link", name="Date of the update must include a month").click()
    expect(page.locator("#update-update_date-month")).to_be_focused()  # the summary leads to the empty box
    page.fill("#update-update_date-month", "5")
    page.get_by_role("button", name="Add update").click()
    page.get_by_text("4 May 2026").first.wait_for()

    page.goto("/staff/actions/report")
    page.fill("#date_from-day", "1")
    page.fill("#date_from-month", "1")
    page.fill("#date_from-year", "2026")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url("**date_from-day=1**")
    assert "Action plan progress report: 1 January 2026" in " ".join(page.content().split())
    assert_accessible(page, "scrutiny report")


def test_officer_checks_and_imports_a_plan_over_500_kb(page, db, tmp_path):
    """The preview's Import button carries a token, not the file, so a big file confirms."""
    officer = factories.user(role="officer")
    factories.user(role="councillor", name="David Okafor")
    rows = [f"Objective {i},{i}.1 Action {i}. {'Words about the action. ' * 80},Measure {i},"
            f"April to June 2026: step {i},David Okafor" for i in range(1, 301)]
    csv_file = tmp_path / "plan.csv"
    csv_file.write_text("Objective,Action,How will we know we have achieved it?,Key milestones,Portfolio holder\n"
                        + "\n".join(rows) + "\n", encoding="utf-8")
    assert csv_file.stat().st_size > 550_000
    sign_in(page, officer)

    page.goto("/staff/actions")
    page.get_by_label("Plan title").fill("Big plan 2026")
    page.get_by_label("Action plan CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check “Big plan 2026” before importing").wait_for()
    assert_accessible(page, "import preview")
    page.get_by_role("button", name="Import 300 actions").click()
    page.get_by_text("Imported 300 actions into Big plan 2026.").wait_for()
