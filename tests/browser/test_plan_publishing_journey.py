"""An officer imports a plan as a draft, previews it, publishes it after a confirmation, then
unpublishes and deletes an action; every page passes axe-core and residents see only what's published."""
import os

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

DEMO_CSV = os.path.join(os.path.dirname(__file__), "..", "..", "app", "demo", "data", "action_plan_import.csv")


def test_import_preview_confirm_publish_then_unpublish_and_delete(page, db, browser, live_server):
    officer = factories.user(role="officer")
    for name in ("David Okafor", "Fatima Begum", "Helen Marsh"):
        factories.user(role="councillor", name=name)
    sign_in(page, officer)

    page.goto("/staff/actions")
    page.get_by_label("Plan title").fill("Fairer Plan 2026")
    page.get_by_label("Action plan CSV file").set_input_files(DEMO_CSV)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 14 actions").click()
    page.get_by_text("The plan is not published yet").wait_for()
    expect(page.locator("#plan-state")).to_contain_text("Not published")
    expect(page.locator("#history ~ table")).to_contain_text("Imported from a CSV file: 14 actions")
    assert_accessible(page, "draft plan")
    plan_url = page.url

    # Residents see nothing yet (a fresh browser context: not signed in).
    resident = browser.new_context(base_url=live_server).new_page()
    resident.goto("/progress")
    assert "Fairer Plan 2026" not in resident.content()

    page.get_by_role("link", name="Preview the public pages").click()
    page.get_by_text("This is how residents will see it once “Fairer Plan 2026” is published").wait_for()
    assert_accessible(page, "plan preview")
    page.get_by_role("link", name="1.1 Light the main walking routes through our parks").click()
    page.get_by_role("heading", name="Milestones").wait_for()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("It is not published.")
    assert_accessible(page, "action preview")

    page.goto(plan_url)
    page.get_by_role("link", name="Publish the plan").click()
    expect(page.locator("#what-will-happen")).to_contain_text(
        "14 actions will appear on the public progress page and in the open-data API")
    assert_accessible(page, "publish confirmation")
    page.get_by_role("button", name="Publish the plan").click()
    page.get_by_text("Published the plan “Fairer Plan 2026”.").wait_for()
    expect(page.locator("#history ~ table")).to_contain_text("Published the plan, with 14 actions")

    resident.goto("/progress")
    assert "Fairer Plan 2026" in resident.content() and "Light the main walking routes" in resident.content()
    action_path = resident.get_by_role("link", name="1.1 Light the main walking routes through our parks") \
        .get_attribute("href")

    # Unpublish one action: gone for residents, still there for staff with its tag.
    page.get_by_role("link", name="1.1 Light the main walking routes through our parks").click()
    page.get_by_role("link", name="Unpublish this action").click()
    assert_accessible(page, "unpublish confirmation")
    page.get_by_role("button", name="Unpublish").click()
    page.get_by_text("Unpublished the action").wait_for()
    assert resident.goto(action_path).status == 404

    # Delete it: asked first, then it is gone and the history keeps its title.
    page.get_by_role("link", name="Delete this action").click()
    expect(page.locator("h1")).to_contain_text("Delete the action")
    assert_accessible(page, "delete confirmation")
    page.get_by_role("button", name="Delete").click()
    page.wait_for_url(plan_url)
    expect(page.locator("#history ~ table")).to_contain_text(
        "Deleted the action “1.1 Light the main walking routes through our parks”")
    assert_accessible(page, "plan history after a delete")
    resident.context.close()
