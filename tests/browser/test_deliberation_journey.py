"""Statements in a real browser, with and without JavaScript: a resident votes with the keyboard
only, changes a vote, suggests a statement (with a mistake first) and links "About you"; an
officer approves the statement and publishes the summary, which anyone can then read. axe-core
checks every page."""
import re

import pytest
from playwright.sync_api import expect

from app.deliberation.models import DeliberationAboutYou, Statement, Vote
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.deliberation.conftest import make_conversation, many_seeds, plant_votes


def check(page, label, javascript):
    """axe-core on the page as the resident sees it. Without JavaScript axe can't run in that
    page, so the same HTML is checked in a page that runs scripts but loads none of the site's
    (the GOV.UK components stay un-enhanced, as the resident saw them)."""
    if javascript:
        assert_accessible(page, label)
        return
    base = re.match(r"https?://[^/]+", page.url).group(0)
    html = page.content().replace("<head>", f'<head><base href="{base}/">', 1)
    context = page.context.browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    try:
        copy = context.new_page()
        copy.route(re.compile(r"\.m?js(\?|$)"), lambda route: route.abort())
        copy.set_content(html, wait_until="load")
        assert_accessible(copy, label + " (without JavaScript)")
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_votes_with_the_keyboard(browser, live_server, db, javascript):
    consultation, conversation = make_conversation()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, bypass_csp=True,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10000)
    page.set_default_navigation_timeout(60000)  # the first statement sent loads the redaction model
    try:
        page.goto(f"/consultations/{consultation.id}")
        page.get_by_role("button", name="Vote on statements").click()
        expect(page.get_by_role("heading", name="How should we improve the town centre?", level=1)).to_be_visible()
        expect(page.get_by_text("Statement 1 of 3")).to_be_visible()
        check(page, "voting page", javascript)

        for answer in ("Agree", "Disagree"):
            page.get_by_role("button", name=answer, exact=True).focus()
            page.keyboard.press("Enter")
            page.wait_for_load_state()
        expect(page.get_by_text("You have voted on 2 of 3 statements.")).to_be_visible()
        page.get_by_role("button", name="Pass", exact=True).focus()
        page.keyboard.press("Space")
        expect(page.get_by_text("You have voted on every statement")).to_be_visible()
        check(page, "all voted", javascript)

        # Change a vote from the list of your votes.
        page.get_by_role("link", name=re.compile("Change your vote on “Parking charges")).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Change your vote")).to_be_visible()
        page.get_by_role("button", name="Agree", exact=True).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("You have voted on every statement")).to_be_visible()
        assert sorted(v.value for v in Vote.query) == [0, 1, 1]

        # Suggest a statement: too short first.
        page.get_by_role("link", name="Suggest a statement of your own").click()
        check(page, "suggest a statement", javascript)
        page.get_by_label("Your statement").fill("Benches")
        page.get_by_role("button", name="Send your statement").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Your statement must be at least 10 characters")
        check(page, "suggest with an error", javascript)
        summary.get_by_role("link").click()
        expect(page.get_by_label("Your statement")).to_be_focused()
        page.keyboard.press("End")
        page.keyboard.type(" by the river, please")
        # The first statement sent loads the redaction model: slow on a busy machine.
        page.get_by_role("button", name="Send your statement").click(timeout=90000)
        expect(page.get_by_text("once we have checked it")).to_be_visible()
        assert Statement.query.filter_by(status="pending").one().text == "Benches by the river, please"

        # About you, with consent.
        page.get_by_label("Link my votes to my About you answers").check()
        page.get_by_role("group", name=re.compile("What is your age")).get_by_label("25 to 34").check()
        page.get_by_role("button", name="Save About you").click()
        expect(page.get_by_text("Your votes are linked to your About you answers.")).to_be_visible()
        assert DeliberationAboutYou.query.one().age_band == "25_34"
    finally:
        context.close()


def test_an_officer_moderates_and_publishes_then_anyone_reads_the_summary(page, db):
    consultation, conversation = make_conversation(seeds=many_seeds(12))
    plant_votes(conversation, 60, n_groups=2)
    from app.extensions import db as _db

    _db.session.add(Statement(conversation_id=conversation.id, text="More benches by the river please",
                              status="pending", from_resident=True))
    _db.session.commit()
    officer = factories.user(role="officer")
    sign_in(page, officer)
    page.goto(f"/staff/consultations/{consultation.id}")
    page.get_by_role("button", name="Manage statements").click()
    expect(page.get_by_role("heading", name="Waiting for moderation (1)")).to_be_visible()
    assert_accessible(page, "staff statements")
    page.get_by_role("button", name="Approve “More benches by the river please”").click()
    expect(page.get_by_text("Statement approved")).to_be_visible()
    page.get_by_role("button", name="See the opinion groups").click()
    expect(page.get_by_role("heading", name="Groups of people who think alike")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Opinion map"))).to_be_visible()
    assert_accessible(page, "staff results")
    page.get_by_role("button", name="Publish the summary").click()
    expect(page.get_by_text("now on the public statements results page")).to_be_visible()

    anyone = page.context.browser.new_context(base_url=page.url.split("/staff")[0], bypass_csp=True,
                                              viewport={"width": 1024, "height": 900})
    public = anyone.new_page()
    public.goto(f"/consultations/{consultation.id}")
    public.get_by_role("link", name="See what people think about the statements").click()
    expect(public.get_by_role("table", name="Opinion groups")).to_contain_text("Group A")
    assert_accessible(public, "public summary")
    anyone.close()
