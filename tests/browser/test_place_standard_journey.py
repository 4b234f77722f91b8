"""The Place Standard in a real browser: a resident rates the 14 themes with the keyboard alone
(a rating missed first, found again from the error summary), and anyone reads the compass."""
import re

from playwright.sync_api import expect

from app.consultations.models import Answer, Response
from app.places.themes import THEMES
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.places.conftest import add_response, make_round

ACTIVE_NAME = "() => document.activeElement ? document.activeElement.getAttribute('name') || '' : ''"
ACTIVE_TEXT = "() => document.activeElement ? (document.activeElement.textContent || '').trim() : ''"


def _tab_to(page, test, limit=300):
    """Press Tab until `test(page)` is true: the way a keyboard user moves through the form."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if test(page):
            return
    raise AssertionError("never reached by tabbing")


def test_a_resident_rates_every_theme_with_the_keyboard(page, db):
    survey = make_round(place_name="Northbrook town centre", label="Spring 2027")
    ratings = [q for q in survey.consultation.questions if q.kind == "place_rating"]
    transport = ratings[1]
    page.goto(f"/consultations/{survey.consultation_id}/respond")
    expect(page.get_by_role("group", name=re.compile("Public transport: Does public transport meet my needs"))).to_be_visible()
    assert_accessible(page, "Place Standard form")

    for index, question in enumerate(ratings):
        if question is transport:
            continue  # missed, to see the error
        _tab_to(page, lambda p, name=question.field_name: p.evaluate(ACTIVE_NAME) == name)
        for _ in range(index % 6):
            page.keyboard.press("ArrowRight")  # moves along the scale and selects
        if index % 6 == 0:
            page.keyboard.press("Space")  # the first radio: select it where it is
    # A comment on moving around, typed like anyone would.
    first_comment = survey.consultation.questions[1]
    page.locator(f"#{first_comment.field_name}").focus()
    page.keyboard.type("The towpath is lovely but the pavements are cracked.")
    _tab_to(page, lambda p: p.evaluate(ACTIVE_TEXT) == "Send my response")
    page.keyboard.press("Enter")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a rating for Public transport")
    expect(page.locator(f"#{transport.field_name}-error")).to_contain_text("Select a rating for Public transport")
    assert_accessible(page, "Place Standard form with an error")
    assert Response.query.count() == 0
    _tab_to(page, lambda p: p.evaluate(ACTIVE_TEXT) == "Select a rating for Public transport")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{transport.field_name}")).to_be_focused()
    page.keyboard.press("ArrowRight")  # 2 (and so selected)
    _tab_to(page, lambda p: p.evaluate(ACTIVE_TEXT) == "Send my response")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=re.compile("Response sent|Thank you|Your reference", re.I))).to_be_visible()
    saved = Response.query.filter_by(consultation_id=survey.consultation_id).one()
    by_question = {a.question_id: a for a in Answer.query.filter_by(response_id=saved.id)}
    assert by_question[transport.id].scale_value == 2
    assert [by_question[q.id].scale_value for q in ratings[:3]] == [1, 2, 3]
    assert by_question[first_comment.id].text.startswith("The towpath is lovely")
    assert len([a for a in by_question.values() if a.scale_value]) == len(THEMES)


def test_anyone_reads_and_compares_the_compass(page, db):
    ward = factories.ward("Millfield")
    survey = make_round(ward=ward, label="Autumn 2027", status="published")
    other = make_round(place_name="Town centre", label="Autumn 2027", status="published")
    for n in range(12):
        add_response(survey, {"public_transport": 2, "feeling_safe": 5, "natural_space": 6},
                     about={"age_band": "18_24", "disability": "disabled" if n % 2 else "not_disabled"})
    add_response(other, 5)
    page.goto(f"/wards/{ward.slug}")
    page.get_by_role("link", name="See the full compass for Millfield").click()
    expect(page.get_by_role("heading", name="How good is Millfield?", level=1)).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Place Standard compass: Millfield, Autumn 2027"))
    expect(chart.first).to_be_visible()
    expect(page.get_by_role("table", name="Median rating out of 7, by theme")).to_contain_text("Public transport")
    assert_accessible(page, "compass")
    page.get_by_label("Compare with another place or round").select_option(label="Town centre (Autumn 2027)")
    page.get_by_role("button", name="Compare").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name=re.compile("Millfield and Town centre")).first).to_be_visible()
    assert_accessible(page, "compass compared")
