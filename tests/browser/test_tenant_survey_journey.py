"""Tenant voice in a real browser: a tenant answers the survey (a mistake first), then a Tenant
Board member reads the measures and records a review. axe checks every page."""
import re

from playwright.sync_api import expect

from app.consultations.models import Response
from app.tenants import services
from app.tenants.models import TenantBoardReview
from tests import factories
from tests.actions import factories as af
from tests.browser.conftest import assert_accessible
from tests.browser.test_reflow import MEASURE
from tests.tenants import helpers


def test_a_tenant_answers_the_tenant_survey(page, db):
    survey = helpers.survey(status="open")
    page.goto(f"/consultations/{survey.consultation_id}/respond")
    assert_accessible(page, "tenant survey form")
    page.get_by_role("group", name=re.compile("Taking everything into account")).get_by_label(
        "Fairly satisfied").check()
    page.locator("form button[type=submit]").last.click()  # no landlord chosen yet
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Who is your landlord?")
    assert_accessible(page, "tenant survey with an error")
    page.get_by_role("group", name="Who is your landlord?").get_by_label("Riverside Homes").check()
    page.get_by_role("group", name=re.compile("Has your landlord carried out a repair")).get_by_label(
        "Yes", exact=True).check()
    page.get_by_role("group", name=re.compile("overall repairs service")).get_by_label("Very satisfied").check()
    page.get_by_role("group", name=re.compile("positive contribution to your neighbourhood")).get_by_label(
        "Not applicable/ don't know").check()
    page.get_by_label(re.compile("Is there anything else")).fill("The lifts break every week.")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Thank you|Response sent|complete", re.I))
    assert_accessible(page, "confirmation")
    assert Response.query.count() == 1
    results = {r.code: r for r in services.measure_results(services.respondents(survey))}
    assert results["TP01"].percent == 100.0 and results["TP02"].percent == 100.0
    assert results["TP11"].base == 0 and results["TP11"].not_applicable == 1


def test_a_tenant_board_member_reads_the_results_and_reviews_the_plan(page, db):
    survey = helpers.survey(status="closed")
    for i in range(12):
        helpers.respond(survey, helpers.LANDLORDS[i % 2], helpers.ESTATES[0],
                        measures={"TP01": "Very satisfied" if i < 9 else "Very dissatisfied"})
    af.plan(title="Housing improvement plan", actions=2)
    member = factories.user(role="tenant_board", name="Grace Okafor")
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Tenant survey results and plans to review").click()
    assert_accessible(page, "tenant survey list")
    page.get_by_role("link", name=survey.consultation.title).click()
    expect(page.get_by_text("75.0%").first).to_be_visible()  # TP01: 9 of 12
    assert_accessible(page, "tenant survey results")
    # At 320 CSS px (400% zoom) the wide breakdown tables stack: nothing sticks out (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 640})
    for group in ("age_band", "ethnic_group"):
        page.goto(f"/staff/tenant-surveys/{survey.id}?group={group}")
        found = page.evaluate(MEASURE)
        assert found["scrollWidth"] <= 320 and not found["culprits"], found
    assert_accessible(page, "tenant survey results at 320px")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Review the action plan").click()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your review")
    assert_accessible(page, "review with errors")
    page.get_by_label("Which action plan are you reviewing?").select_option(label="Housing improvement plan")
    page.get_by_label("Your review").fill("Good on repairs; nothing yet on anti-social behaviour.")
    page.get_by_label("The Tenant Board signs this plan off as answering the survey").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Your review is recorded.")).to_be_visible()
    assert TenantBoardReview.query.one().signed_off
