"""The shared-goals tracker in a real browser: a resident answers a round (with a mistake first);
an officer enters a national figure and closes a round; anyone then reads its results."""
import re

from playwright.sync_api import expect

from app.tracker import services
from app.tracker.models import TrackerAnswer, TrackerResponse
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.tracker.conftest import add_answers, make_round


def test_a_resident_answers_the_survey(page, db):
    factories.ward("Kingsmead")
    factories.ward("Hollybush")
    tracker_round = make_round("Spring 2027", "open")

    page.goto("/")
    page.get_by_role("button", name="Menu").click()  # the phone-sized service navigation
    page.get_by_role("link", name="Shared goals", exact=True).click()
    expect(page.get_by_role("heading", name="Shared goals survey", level=1)).to_be_visible()
    assert_accessible(page, "tracker index")
    page.get_by_role("link", name="Answer the Spring 2027 survey").click()
    assert_accessible(page, "survey form")

    page.get_by_role("button", name="Send your answers").click()  # nothing chosen
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the ward you live in")
    expect(summary).to_contain_text("Answer at least one of the questions")
    assert_accessible(page, "survey form with errors")
    summary.get_by_role("link", name="Choose the ward you live in").click()
    expect(page.get_by_label("Which ward do you live in?")).to_be_focused()

    page.get_by_label("Which ward do you live in?").select_option(label="Hollybush")
    page.get_by_role("group", name=re.compile("belong to your immediate neighbourhood")) \
        .get_by_label("Fairly strongly").check()
    cohesion = page.get_by_role("group", name=re.compile("different backgrounds get on well together"))
    cohesion.get_by_label("Tend to agree", exact=True).focus()
    page.keyboard.press("Space")  # radios work from the keyboard
    page.get_by_role("group", name=re.compile("What is your age")).get_by_label("35 to 44").check()
    page.get_by_role("button", name="Send your answers").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page, "thank you")
    saved = TrackerResponse.query.filter_by(round_id=tracker_round.id).one()
    assert saved.ward.name == "Hollybush" and services.about_you(saved).age_band == "35_44"
    assert {(a.indicator, a.answer) for a in TrackerAnswer.query} == {
        ("belonging", "fairly_strongly"), ("cohesion", "tend_to_agree")}


def test_an_officer_sets_a_benchmark_and_closes_a_round_then_anyone_reads_the_results(page, db):
    kingsmead, hollybush = factories.ward("Kingsmead"), factories.ward("Hollybush")
    earlier = make_round("Spring 2026", "closed")
    earlier.opens_on = earlier.opens_on.replace(year=earlier.opens_on.year - 1)
    add_answers(earlier, kingsmead, {"belonging": "very_strongly", "influence": "tend_to_disagree"}, times=15)
    add_answers(earlier, kingsmead, {"belonging": "not_very_strongly"}, times=15)
    current = make_round("Spring 2027", "open")
    add_answers(current, kingsmead, {"belonging": "fairly_strongly", "influence": "tend_to_agree"},
                {"disability": "disabled"}, times=24)
    add_answers(current, hollybush, {"belonging": "not_at_all_strongly"}, times=6)
    officer = factories.user(role="officer")

    sign_in(page, officer)
    page.get_by_role("link", name="Shared goals tracker").click()
    assert_accessible(page, "staff tracker index")
    page.get_by_role("link", name="National figures for comparison").click()
    page.get_by_label("National percentage for belong to their neighbourhood").fill("61")
    page.get_by_role("button", name="Save the national figures").click()  # no year
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Belong to their neighbourhood: Enter the year of the national figure")
    assert_accessible(page, "benchmarks with errors")
    page.get_by_label("Survey year for belong to their neighbourhood").fill("2023/24")
    page.get_by_role("button", name="Save the national figures").click()
    expect(page.get_by_text("Saved the national figures.")).to_be_visible()

    page.goto("/staff/tracker/")
    page.get_by_role("link", name="Spring 2027").click()
    expect(page.get_by_text("These figures are live")).to_be_visible()
    assert_accessible(page, "live results")
    page.get_by_role("button", name="Close this round now").click()
    expect(page.get_by_text("Closed Spring 2027. Its results are now public.")).to_be_visible()

    anyone = page.context.browser.new_context(base_url=page.url.split("/staff")[0], bypass_csp=True,
                                              viewport={"width": 1024, "height": 900})
    public = anyone.new_page()
    public.goto("/shared-goals")
    public.get_by_role("link", name="Spring 2027 results").click()
    expect(public.get_by_role("heading", name="Spring 2027", level=1)).to_be_visible()
    comparison = public.get_by_role("table", name=re.compile("This council and England"))
    row = comparison.get_by_role("row", name=re.compile("Belong to their neighbourhood"))
    expect(row).to_contain_text("80%")  # 24 of 30
    expect(row).to_contain_text("61% (2023/24)")
    wards = public.get_by_role("table", name="Percentage agreeing, by ward")
    expect(wards.get_by_role("row", name=re.compile("Hollybush"))).to_contain_text("Fewer than 10 answers")
    over_time = public.get_by_role("table", name=re.compile("by round"))
    expect(over_time).to_contain_text("Spring 2026")
    expect(public.locator(".app-chart svg").first).to_be_visible()
    assert_accessible(public, "public results")
    anyone.close()
