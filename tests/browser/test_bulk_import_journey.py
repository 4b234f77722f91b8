"""An officer imports a CSV of paper responses: a bad line is reported, fixed, then imported and
undone. Every page passes axe-core."""
from playwright.sync_api import expect

from app.common.timeutil import to_london, utcnow
from app.consultations.models import Response
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

HEADINGS = "Channel,Collected on,How often do you visit a park?,We should open parks later in the evening.," \
           "What matters most?,What one change would you make?\n"


def _file(lines):
    return {"name": "paper-forms.csv", "mimeType": "text/csv", "buffer": (HEADINGS + "".join(lines)).encode("utf-8")}


def test_officer_fixes_a_bad_line_then_imports_and_undoes(page, db):
    officer = factories.user(role="officer")
    consultation = factories.consultation(status="open", title="Parks for everyone")
    today = to_london(utcnow()).date().strftime("%d/%m/%Y")
    good = f"Paper form,{today},Every week,4,Toilets; Lighting,More benches\n"
    bad = f"Event or drop-in,{today},Weekly,Agree,Play areas,Open the toilets\n"

    sign_in(page, officer)
    page.goto(f"/staff/consultations/{consultation.id}")
    page.get_by_role("button", name="Import responses from a CSV file").click()
    page.get_by_role("heading", name="Import responses from a CSV file").wait_for()
    assert_accessible(page, "import page")

    page.get_by_label("CSV file of responses").set_input_files(_file([good, bad]))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file has 1 problem. Nothing has been imported")
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("“Weekly” is not one of the options")
    expect(problems.locator("tbody tr").first.locator("td").first).to_have_text("3")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("CSV file of responses")).to_be_focused()
    assert_accessible(page, "problems in the file")
    assert Response.query.count() == 0

    page.get_by_label("CSV file of responses").set_input_files(_file([good, bad.replace("Weekly", "Every week")]))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check the file before importing").wait_for()
    expect(page.locator("dl")).to_contain_text("Event or drop-in: 1")
    assert_accessible(page, "preview")
    page.get_by_role("button", name="Import 2 responses").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Imported 2 responses from paper-forms.csv")
    assert_accessible(page, "past imports")
    assert Response.query.filter_by(consultation_id=consultation.id).count() == 2

    page.get_by_role("link", name="Undo the import of paper-forms.csv").click()
    page.get_by_role("heading", name="Undo the import of paper-forms.csv?").wait_for()
    assert_accessible(page, "undo confirmation")
    page.get_by_role("button", name="Undo the import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Import undone: 2 responses")
    assert Response.query.filter_by(consultation_id=consultation.id).count() == 0
