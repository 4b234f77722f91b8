"""A map question in a real browser: with JavaScript, a pin dropped with the keyboard alone; without
it, a place described in words. axe-core checks every page visited."""
import pytest

from app.consultations.models import Answer
from app.extensions import db
from app.maps import geo
from app.maps.models import MapPlace
from app.wards.models import Ward
from tests import factories
from tests.browser.conftest import assert_accessible

QUESTION = "Where do you feel unsafe crossing the road?"


@pytest.fixture()
def consultation(db):
    for ward in geo.boundaries().wards:
        db.session.add(Ward(name=ward.name, slug=ward.slug))
    db.session.commit()
    return factories.consultation(status="open", title="Safer crossings", questions=[
        {"kind": "map", "text": QUESTION, "required": True, "hint": "Add a comment for each place."}])


def saved_places(consultation):
    db.session.expire_all()
    return db.session.query(Answer.text, MapPlace.lat, MapPlace.lng, MapPlace.ward_id).join(
        MapPlace, MapPlace.answer_id == Answer.id).filter(
        Answer.question_id == consultation.questions[0].id).order_by(Answer.id).all()


def test_keyboard_user_drops_moves_and_removes_pins(page, consultation, live_server):
    page.set_viewport_size({"width": 1024, "height": 900})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"/consultations/{consultation.id}/respond")
    page.get_by_role("heading", name="Mark places on the map").wait_for()
    page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")  # the ward boundaries are drawn
    assert_accessible(page, "map question")
    # Nothing is asked of any other server: every request the page made was to the app.
    assert requested and all(url.startswith(live_server) for url in requested), requested
    assert any(url.endswith("/static/leaflet/leaflet.js") for url in requested)
    # The map takes the keyboard: arrow keys pan it.
    canvas = page.locator("[data-map-canvas]")
    canvas.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    drop = page.get_by_role("button", name="Drop a pin at the centre of the map")
    drop.focus()
    page.keyboard.press("Enter")
    first = page.get_by_label("Comment for pin 1")
    first.wait_for()
    assert page.evaluate("document.activeElement.name") == "q%d-pin-0-comment" % consultation.questions[0].id
    page.keyboard.type("No crossing near the school gates.")
    assert "Pin 1 dropped in" in page.locator("[data-map-status]").text_content()
    # A second pin, then remove it with the keyboard.
    drop.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Comment for pin 2").fill("A mistake.")
    page.get_by_role("button", name="Remove pin 2").focus()
    page.keyboard.press("Enter")
    assert page.get_by_label("Comment for pin 2").count() == 0
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert_accessible(page, "map question with a pin")
    page.get_by_role("button", name="Send my response").click()
    page.locator(".govuk-panel").wait_for()
    assert_accessible(page, "confirmation")
    [(text, lat, lng, ward_id)] = saved_places(consultation)
    assert text == "No crossing near the school gates."
    slug = geo.boundaries().ward_at(lat, lng)
    assert slug and ward_id == Ward.query.filter_by(slug=slug).one().id


def test_pin_outside_the_borough_is_refused_and_kept_for_mending(page, consultation):
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(f"/consultations/{consultation.id}/respond")
    page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    # Drop a pin, then put it outside the borough (as a drag past the boundary would).
    page.get_by_role("button", name="Drop a pin at the centre of the map").click()
    page.get_by_label("Comment for pin 1").fill("Out of town.")
    page.evaluate("""() => { document.querySelector('[data-pin-lat]').value = '51.5007';
                             document.querySelector('[data-pin-lng]').value = '-0.1246' }""")
    page.get_by_role("button", name="Send my response").click()
    summary = page.locator(".govuk-error-summary")
    assert "Pin 1 for “Where do you feel unsafe crossing the road?” is outside the borough" in summary.inner_text()
    assert page.get_by_label("Comment for pin 1").input_value() == "Out of town."
    assert "outside the borough" in page.locator("[data-pin-where]").inner_text()
    assert_accessible(page, "map question with an error")
    page.get_by_role("button", name="Remove pin 1").click()
    page.get_by_label("Ward of place 1").select_option(label="Riverside")
    page.get_by_label("Where is it, and what do you want to tell us about it? (place 1)").fill("The towpath.")
    page.get_by_role("button", name="Send my response").click()
    page.locator(".govuk-panel").wait_for()
    assert saved_places(consultation) == [("The towpath.", None, None, Ward.query.filter_by(slug="riverside").one().id)]


def test_without_javascript_the_resident_describes_a_place_in_words(browser, live_server, consultation):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/consultations/{consultation.id}/respond")
        assert not page.get_by_role("heading", name="Mark places on the map").is_visible()
        assert not page.get_by_role("button", name="Drop a pin at the centre of the map").is_visible()
        # A mistake: a place without its ward.
        page.get_by_label("Where is it, and what do you want to tell us about it? (place 1)").fill("Corner of Mill Lane.")
        page.get_by_role("button", name="Send my response").click()
        summary = page.locator(".govuk-error-summary")
        assert "Choose the ward for place 1 for “Where do you feel unsafe crossing the road?”" in summary.inner_text()
        assert page.get_by_label("Where is it, and what do you want to tell us about it? (place 1)").input_value() \
            == "Corner of Mill Lane."
        html = page.content()
        page.get_by_label("Ward of place 1").select_option(label="Millfield")
        page.get_by_role("button", name="Send my response").click()
        page.locator(".govuk-panel").wait_for()
    finally:
        context.close()
    assert saved_places(consultation) == [("Corner of Mill Lane.", None, None,
                                           Ward.query.filter_by(slug="millfield").one().id)]
    # axe needs JavaScript: check the page exactly as the no-JavaScript browser got it.
    context = browser.new_context(bypass_csp=True)
    checker = context.new_page()
    try:
        checker.set_content(html.replace("<script", "<template").replace("</script>", "</template>")
                            .replace("<head>", f'<head><base href="{live_server}/">', 1))
        assert_accessible(checker, "map question without JavaScript, with an error")
    finally:
        context.close()
