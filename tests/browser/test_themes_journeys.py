"""An officer finds the themes in a consultation's comments, opens one and renames it."""
import pytest
from playwright.sync_api import expect

from app.common import transaction
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.themes.conftest import build_consultation, free_text_question


def test_officer_runs_analysis_sees_themes_and_renames_one(page, db):
    officer = factories.user(role="officer")
    question = free_text_question(build_consultation())
    sign_in(page, officer)

    page.goto("/staff/themes")
    assert_accessible(page, "themes index")
    page.get_by_role("link", name=question.text).click()
    assert_accessible(page, "question before analysis")
    page.get_by_label("Number of themes (optional)").fill("4")
    with page.expect_navigation(timeout=90000):  # the analysis runs before the redirect
        page.get_by_role("button", name="Find themes").click(no_wait_after=True)
    # The tests run in-process jobs before the redirect: the status page says it has finished.
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


@pytest.fixture()
def jobs_on_threads(app, monkeypatch):
    """The live server (built after this) runs background work on a thread, as in production
    without Redis. Depends on `app` so the session's shared app is built first, unchanged."""
    import tests.conftest

    monkeypatch.setattr(tests.conftest.Settings, "IN_PROCESS_JOBS", "thread")
    yield
    assert transaction.wait_for_jobs(120)


def test_analysis_on_a_thread_shows_progress_then_the_result(jobs_on_threads, page, db):
    officer = factories.user(role="officer")
    question = free_text_question(build_consultation())
    sign_in(page, officer)
    page.goto(f"/staff/themes/questions/{question.id}")
    page.get_by_label("Number of themes (optional)").fill("4")
    page.get_by_role("button", name="Find themes").click()  # returns at once: the job has its own thread
    running = page.get_by_role("heading", name="Finding themes")
    finished = page.get_by_role("heading", name="The analysis has finished")
    running.or_(finished).wait_for()
    if running.is_visible():  # usually: the status page reloads itself until the run ends
        assert_accessible(page, "analysis in progress")
    finished.wait_for(timeout=90000)
    page.get_by_role("link", name="See the themes").click()
    expect(page.locator("#themes-table tbody tr")).to_have_count(4)  # waits for the page that follows
