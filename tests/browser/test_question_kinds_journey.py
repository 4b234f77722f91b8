"""Ranking and budget allocation with the keyboard alone (no mouse, no drag and drop), with
axe-core on every page: a duplicate rank and a budget that doesn't balance are refused with
messages naming the question, the running total is announced, and the response is sent."""
from app.consultations.models import Answer, Response
from tests import factories
from tests.browser.conftest import assert_accessible

QUESTIONS = [
    {"kind": "ranking", "text": "Rank the council's priorities", "required": True,
     "options": ["Parks", "Libraries", "Roads"]},
    {"kind": "grid", "text": "How do you rate the park?", "options": ["Cleanliness", "Safety"]},
    {"kind": "budget", "text": "Share out £100", "required": True, "options": ["Parks", "Libraries", "Roads"],
     "settings": {"mode": "allocate", "total": 100}},
]


def tab_to(page, element_id, limit=80):
    """Press Tab until the element with this id has focus (as a keyboard user would)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_ranking_and_budget_with_the_keyboard_alone(page, db):
    c = factories.consultation(status="open", title="Spending priorities", questions=QUESTIONS)
    ranking, grid, budget = c.questions
    page.goto(f"/consultations/{c.id}/respond")
    assert_accessible(page, "response form with ranking, grid and budget")
    status = page.locator("[data-budget-status]")
    assert "£0 of £100" in status.inner_text()  # the script shows the running total

    # Rank Roads 1st and Parks 1st too (a mistake), with arrow keys on the selects.
    parks, libraries, roads = (f"{ranking.field_name}" if o is ranking.options[0] else f"{ranking.field_name}-{o.id}"
                               for o in ranking.options)
    tab_to(page, parks)
    page.keyboard.press("ArrowDown")  # Rank 1
    tab_to(page, roads)
    page.keyboard.press("ArrowDown")  # Rank 1 again
    # Budget: £50, £30, £10 typed; the live region says what is left.
    first = budget.field_name
    tab_to(page, first)
    page.keyboard.type("50")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.wait_for_function("document.querySelector('[data-budget-status]').textContent.includes('£10 left')")
    assert status.get_attribute("aria-live") == "polite"
    page.keyboard.press("Enter")  # sends the form

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "Give each rank to only one option for “Rank the council's priorities”: Parks and Roads are both ranked 1" in text
    assert "Your allocations add up to £90; they must add up to £100" in text
    assert Response.query.count() == 0
    assert_accessible(page, "response form with ranking and budget errors")
    # What was typed is kept.
    assert page.locator(f"#{parks}").input_value() == "1" and page.locator(f"#{first}").input_value() == "50"

    # Follow the error link with the keyboard, then put things right.
    summary.get_by_role("link", name="Give each rank").focus()
    page.keyboard.press("Enter")
    tab_to(page, roads)
    page.keyboard.press("ArrowDown")  # Rank 2
    tab_to(page, first)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("20")
    page.wait_for_function("document.querySelector('[data-budget-status]').textContent.includes('balance is zero')")
    page.keyboard.press("Enter")
    page.locator(".govuk-panel").wait_for()
    assert_accessible(page, "confirmation")
    db.session.expire_all()
    ranks = {a.option_id: a.scale_value for a in Answer.query.filter_by(question_id=ranking.id)}
    assert ranks == {ranking.options[0].id: 1, ranking.options[2].id: 2}
    assert sorted(a.number for a in Answer.query.filter_by(question_id=budget.id)) == [20, 30, 50]


def test_builder_reveals_each_kinds_settings(page, db):
    from tests.browser.conftest import sign_in

    officer = factories.user(role="officer")
    c = factories.consultation(status="draft", questions=[])
    sign_in(page, officer)
    page.goto(f"/staff/consultations/{c.id}/questions/new")
    assert_accessible(page, "question builder")
    page.get_by_label("Budget allocation").check()
    page.get_by_label("Share out a fixed total across the items").check()
    page.get_by_label("Total to share out, in pounds").fill("100")
    page.get_by_label("Question", exact=True).fill("Share out £100")
    page.get_by_label("Options", exact=True).fill("Parks\nRoads")
    page.get_by_role("button", name="Save question").click()
    page.get_by_text("Question added.").wait_for()
    db.session.expire_all()
    assert c.questions[0].settings == {"mode": "allocate", "total": 100}


def test_every_kind_fits_a_320px_screen_and_passes_axe(browser, live_server, app, db):
    """The form and both results pages with every kind (test_reflow.py crawls one consultation
    of each page, which may not be this one)."""
    from tests.browser.test_reflow import MEASURE
    from tests.browser.conftest import sign_in
    from tests.consultations.kinds_helpers import every_kind, good_answers

    c = every_kind()
    published = every_kind(status="published")
    published.results_published_at = None  # open it for a moment to answer it through the app
    published.closes_at, closes = published.closes_at.replace(year=published.closes_at.year + 2), published.closes_at
    db.session.commit()
    with app.test_client() as client:
        for target in (c, published):
            assert client.post(f"/consultations/{target.id}/respond", data=good_answers(target)).status_code == 302
    published.closes_at = closes
    published.results_published_at = published.launched_at
    db.session.commit()
    officer = factories.user(role="officer")
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, bypass_csp=True)
    narrow = context.new_page()
    narrow.set_default_timeout(15000)
    try:
        narrow.goto(f"/consultations/{c.id}/respond")
        narrow.get_by_role("button", name="Send my response").click()  # every error shown at once
        narrow.locator(".govuk-error-summary").wait_for()
        pages = [f"/consultations/{published.id}/results", f"/staff/consultations/{c.id}/results",
                 f"/staff/consultations/{c.id}/questions/new"]
        problems = []
        for index, url in enumerate([None] + pages):
            if url:
                if index == 2:
                    sign_in(narrow, officer)
                narrow.goto(url)
            found = narrow.evaluate(MEASURE)
            if found["scrollWidth"] > 320 or found["culprits"]:
                problems.append(f"{url or 'form with errors'}: {found['culprits'][:5]}")
            assert_accessible(narrow, url or "every-kind form with errors at 320px")
        assert not problems, problems
    finally:
        context.close()
