""""What happened to my response" in a real browser, from the confirmation page to the outcome,
with axe-core on every page (phone-sized viewport, see conftest.py)."""
import re
from datetime import timedelta

from app.actions.models import ThemeResponse, YouSaidWeDid
from app.common.timeutil import utcnow
from app.consultations.models import Response
from app.themes.models import Theme, ThemeActionLink, ThemeAssignment
from tests import factories
from tests.actions import factories as af
from tests.browser.conftest import assert_accessible


def _publish_outcome(db, consultation, response):
    """What the council does after the consultation closes: themes, a confirmed link, an update
    on the action and a published "You said, we did" page."""
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    consultation.results_published_at = utcnow()
    action = af.plan(actions=2).actions[0]
    theme = Theme(question=consultation.questions[0], label="Lights on the pond path", size=1)
    other = Theme(question=consultation.questions[0], label="Benches by the play area", size=1)
    db.session.add_all([theme, other])
    db.session.flush()
    db.session.add(ThemeAssignment(answer_id=response.answers[0].id, theme_id=theme.id, rank=1))
    db.session.add(ThemeActionLink(theme=theme, action=action, status="confirmed"))
    page = YouSaidWeDid(consultation=consultation, published_at=utcnow())
    page.responses.append(ThemeResponse(kind="we_are_doing", text="We are adding lights along the pond path.",
                                        themes=[theme], position=1))
    page.responses.append(ThemeResponse(kind="we_did", text="New benches went in.", themes=[other], position=2))
    db.session.add(page)
    db.session.commit()
    af.update(action, text="Six of ten lights are in.")
    return action


def test_resident_follows_their_response_from_confirmation_to_outcome(page, db):
    consultation = factories.consultation(status="open", title="Better parks for Northbrook", questions=[
        {"kind": "free_text", "text": "What one change would you make?", "required": True}])
    page.goto(f"/consultations/{consultation.id}/respond")
    page.get_by_label("What one change would you make?").fill("Lights on the path by the pond.")
    page.get_by_role("button", name="Send my response").click()
    reference = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator(".govuk-panel").inner_text()).group(0)
    assert_accessible(page, "confirmation with the link")

    # Straight away: nothing is published yet, and the page says so.
    page.get_by_role("link", name="Keep this link to see what happened to your response").click()
    page.get_by_role("heading", name="Nothing has been published yet").wait_for()  # after the navigation
    assert "Better parks for Northbrook" in page.content()
    link = page.url
    assert_accessible(page, "signed link, nothing published")

    db.session.expire_all()
    response = Response.query.filter_by(reference=reference).one()
    action = _publish_outcome(db, consultation, response)

    # Later: from the footer, a mistyped reference first, then the right one typed loosely.
    page.goto("/")
    page.get_by_role("link", name="Check what happened to your response").first.click()
    assert_accessible(page, "reference form")
    page.get_by_role("button", name="Check your response").click()
    assert "Enter your reference number" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "reference form with an error")
    page.get_by_label("Reference number").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Check your response").click()
    page.get_by_role("heading", name="Nothing has been published yet").wait_for()  # after the navigation
    assert page.url.endswith("/my-response")  # the reference was posted, never put in the URL

    page.get_by_role("link", name="Check a different reference number").click()
    page.get_by_label("Reference number").fill(reference.lower().replace("-", " "))
    page.get_by_role("button", name="Check your response").click()
    body = page.locator("main").inner_text()
    assert "Lights on the pond path" in body
    assert "We are adding lights along the pond path." in body
    assert action.display_title in body and "Six of ten lights are in." in body
    assert "Benches by the play area" not in body and "New benches went in." not in body
    assert "ZZZZ" not in page.url and reference not in page.url
    assert_accessible(page, "outcome")

    # The emailed link shows the same outcome.
    page.goto(link)
    assert "We are adding lights along the pond path." in page.locator("main").inner_text()
