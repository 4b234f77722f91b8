"""An officer finds the themes in a consultation's comments, opens one and renames it."""
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD
from tests.themes.conftest import build_consultation, free_text_question


def test_officer_runs_analysis_sees_themes_and_renames_one(page, db):
    officer = factories.user(role="officer")
    question = free_text_question(build_consultation())
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Staff home").wait_for()

    page.goto("/staff/themes")
    assert_accessible(page, "themes index")
    page.get_by_role("link", name=question.text).click()
    assert_accessible(page, "question before analysis")
    page.get_by_label("Number of themes (optional)").fill("4")
    with page.expect_navigation(timeout=90000):  # the analysis runs before the redirect
        page.get_by_role("button", name="Find themes").click(no_wait_after=True)
    # In-process runs finish before the redirect: the status page says so (no auto refresh).
    page.get_by_role("heading", name="The analysis has finished").wait_for()
    assert_accessible(page, "analysis status")
    page.get_by_role("link", name="See the themes").click()
    table = page.locator("#themes-table")
    table.wait_for()
    assert table.locator("tbody tr").count() == 4
    assert_accessible(page, "themes list")

    table.locator("tbody tr a").first.click()
    page.get_by_role("heading", name="All comments in this theme").wait_for()
    assert_accessible(page, "theme")
    page.get_by_role("link", name="Rename this theme").click()
    assert page.get_by_label("New name for this theme").input_value()  # the current name is filled in
    page.get_by_label("New name for this theme").fill("")
    page.get_by_role("button", name="Save name").click()
    assert "Enter a name for the theme" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "rename with error")
    page.get_by_label("New name for this theme").fill("What families told us")
    page.get_by_role("button", name="Save name").click()
    page.get_by_role("heading", name="What families told us").wait_for()
    page.get_by_role("link", name="Who raised this theme and how they answered the other questions").click()
    assert_accessible(page, "who raised the theme")
    page.get_by_role("link", name="Back to the theme").click()
    page.get_by_role("link", name="All themes for this question").click()
    page.locator("#themes-table").get_by_role("link", name="What families told us").wait_for()
