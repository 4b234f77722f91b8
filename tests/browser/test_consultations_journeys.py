"""Key consultation journeys in a real browser, with axe-core on every page visited."""
import re

from app.consultations.models import Consultation, Response
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in


def test_resident_finds_consultation_makes_a_mistake_and_submits(page, db):
    consultation = factories.consultation(status="open", title="Better parks for Northbrook")
    factories.consultation(status="closed", title="An older consultation")
    page.goto("/consultations")
    assert_accessible(page, "consultation list")
    page.get_by_role("link", name="Better parks for Northbrook").click()
    assert_accessible(page, "consultation page")
    page.get_by_role("button", name="Respond to this consultation").click()
    assert_accessible(page, "response form")

    # Mistake: leave the required first question unanswered.
    page.get_by_label("Strongly agree").check()
    page.get_by_label("Lighting").check()
    page.get_by_label("What one change would you make?").fill("Lights on the path by the pond.")
    page.get_by_label("16 to 17").check()
    page.get_by_role("button", name="Send my response").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select an answer" in summary.inner_text()
    assert_accessible(page, "response form with errors")
    # Everything typed is still there.
    assert page.get_by_label("Strongly agree").is_checked()
    assert page.get_by_label("What one change would you make?").input_value() == "Lights on the path by the pond."
    assert page.get_by_label("16 to 17").is_checked()

    summary.get_by_role("link", name="Select an answer").click()
    page.get_by_label("Every week").check()
    page.get_by_role("button", name="Send my response").click()
    panel = page.locator(".govuk-panel")
    assert "Response sent" in panel.inner_text()
    reference = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", panel.inner_text()).group(0)
    assert_accessible(page, "confirmation")
    db.session.expire_all()
    assert Response.query.filter_by(consultation_id=consultation.id).one().reference == reference


def test_officer_creates_a_consultation_with_two_questions_and_opens_it(page, db):
    officer = factories.user(role="officer")
    sign_in(page, officer)
    page.goto("/staff/consultations")
    assert_accessible(page, "staff consultations")
    page.get_by_role("button", name="Create a consultation").click()
    assert_accessible(page, "create consultation")
    page.get_by_label("Title").fill("Library opening hours")
    page.get_by_label("Summary").fill("Tell us when you would use your library.")
    page.get_by_label("What you are consulting on").fill("We are reviewing library hours.")
    page.get_by_label("The whole borough").check()
    page.locator("#opens_on-day").fill("1")
    page.locator("#opens_on-month").fill("1")
    page.locator("#opens_on-year").fill("2026")
    page.get_by_label("Opening time").fill("9am")
    page.locator("#closes_on-day").fill("31")
    page.locator("#closes_on-month").fill("12")
    page.locator("#closes_on-year").fill("2099")
    page.get_by_label("Closing time").fill("5pm")
    page.get_by_role("button", name="Save and continue").click()
    assert_accessible(page, "consultation overview")

    page.get_by_role("button", name="Add a question").click()
    assert_accessible(page, "add question")
    page.get_by_label("Single choice").check()
    page.get_by_label("Question", exact=True).fill("Which day suits you best?")
    page.get_by_label("Options", exact=True).fill("Saturday\nSunday")
    page.get_by_label("People must answer this question").check()
    page.get_by_role("button", name="Save question").click()
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Free text").check()
    page.get_by_label("Question", exact=True).fill("Anything else?")
    page.get_by_role("button", name="Save question").click()
    questions = page.locator("ol.govuk-list--number").inner_text()
    assert "Which day suits you best?" in questions and "Anything else?" in questions

    page.get_by_role("button", name="Launch consultation").click()
    page.get_by_role("heading", name="Launch this consultation?").wait_for()  # asked first
    assert "Residents can respond from" in page.locator("main").inner_text()
    assert_accessible(page, "launch confirmation")
    page.get_by_role("button", name="Launch consultation").click()
    page.locator(".govuk-tag", has_text="Open").wait_for()  # waits for the page after the click
    assert page.locator(".govuk-tag", has_text="Open").count() == 1
    assert_accessible(page, "launched consultation")
    db.session.expire_all()
    consultation = Consultation.query.filter_by(title="Library opening hours").one()
    assert consultation.status == "open"
    assert [q.text for q in consultation.questions] == ["Which day suits you best?", "Anything else?"]
