"""An officer opens the analysis report from the consultation's page; it is accessible on
screen and prints without the menus and buttons, one question a page."""
import re

from playwright.sync_api import expect

from app.extensions import db
from app.themes import links
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.themes.conftest import actions, build_consultation, free_text_question, run, theme_with  # noqa: F401 (fixture)


def test_officer_opens_the_report_and_it_prints_cleanly(page, db, actions):
    officer = factories.user(role="officer")
    consultation = build_consultation()
    question = free_text_question(consultation)
    assert run(question).status == "done"
    links.add_link(theme_with(question, "light"), actions[0], officer)  # an officer's confirmed link
    db.session.commit()
    sign_in(page, officer)

    page.goto(f"/staff/consultations/{consultation.id}")
    page.get_by_role("button", name="Analysis report").click()
    page.get_by_role("heading", name="Analysis report", exact=True).wait_for()
    assert_accessible(page, "analysis report")
    expect(page.get_by_role("heading", name="Who responded")).to_be_visible()
    expect(page.get_by_role("heading", name="Themes no council action covers")).to_be_visible()
    expect(page.get_by_role("link", name="1.1 Light the main walking routes through our parks")).to_be_visible()
    csv_link = page.get_by_role("link", name="Download this report’s figures, themes and quotes (CSV)")
    expect(csv_link).to_be_visible()

    page.emulate_media(media="print")
    for hidden in (page.locator(".govuk-service-navigation"), page.locator(".govuk-header"),
                   page.locator(".govuk-footer"), page.get_by_role("link", name="Back to the consultation"),
                   csv_link, page.get_by_role("heading", name="Contents")):
        expect(hidden).to_be_hidden()
    expect(page.get_by_role("heading", name="How this report was made")).to_be_visible()
    breaks = page.locator(".app-report__question").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)")
    assert breaks and set(breaks) == {"page"}
    # Links print as plain text; a link to a public action page also shows where it goes.
    assert page.locator(".app-report a.govuk-link").first.evaluate(
        "a => getComputedStyle(a).textDecorationLine") == "none"
    after = page.locator("a.app-print-url").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "/actions/" in after
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 3
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-service-navigation")).to_be_visible()


def test_officer_checks_weak_themes_first_and_splits_one_in_one_click(page, db):
    officer = factories.user(role="officer")
    question = free_text_question(build_consultation())
    assert run(question, n_themes=1).status == "done"  # four topics squeezed into one: a weak theme
    sign_in(page, officer)
    page.goto(f"/staff/themes/questions/{question.id}")
    page.get_by_role("heading", name="Check these themes").wait_for()
    assert_accessible(page, "themes with weak ones first")
    weak = page.locator("#weak-themes li")
    count = weak.count()
    assert count >= 1
    name = weak.first.get_by_role("heading").inner_text().strip()
    # The button's name says which theme it splits (visually hidden text).
    weak.first.get_by_role("button", name=re.compile(f"^Split into 2 themes.*{re.escape(name)}$")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"“{name}” split into 2 themes")
    expect(page.locator("#themes-table tbody tr")).to_have_count(2)
    assert_accessible(page, "after a one-click split")
