""""What happened to my response": a typed reference (POST) or the signed email link."""
import re

import pytest

from app.actions.models import ThemeResponse, YouSaidWeDid
from app.common.timeutil import utcnow
from app.consultations.models import Response
from app.extensions import db
from app.themes.models import Theme, ThemeAssignment
from tests import factories
from tests.actions import factories as af
from tests.consultations.conftest import answers_for

URL = "/my-response"


def _assign(answer, theme, rank=1):
    db.session.add(ThemeAssignment(answer_id=answer.id, theme_id=theme.id, rank=rank))
    db.session.commit()


@pytest.fixture()
def published(db):
    """A published consultation: the first respondent's comment is in two themes (one through a
    merge), one confirmed and one suggested link, a progress update and a published YSYW page."""
    actions = af.plan(actions=3).actions
    consultation, themes = af.consultation_with_themes(status="published")
    repairs, estates, mould = themes
    answers = [r.answers[0] for r in Response.query.filter_by(consultation_id=consultation.id).order_by(Response.id)]
    for theme in themes:
        for answer_id in theme.examples:
            _assign(db.session.get(type(answers[0]), answer_id), theme)
    mine = answers[0]
    # My second theme was merged into "Mould": the page follows the merge.
    old = Theme(question=mould.question, label="Damp walls", size=0, merged_into=mould)
    hidden = Theme(question=mould.question, label="Off topic", size=0, not_relevant=True)
    db.session.add_all([old, hidden])
    db.session.commit()
    _assign(mine, old, rank=2)
    _assign(mine, hidden, rank=3)
    af.link(repairs, actions[0], status="confirmed")
    af.link(repairs, actions[1], status="suggested")  # a machine guess: never shown to residents
    af.link(estates, actions[2], status="confirmed")  # not my theme
    af.update(actions[0], text="Two-hour repair slots started in March.")
    page = YouSaidWeDid(consultation=consultation, summary="Thank you.", published_at=utcnow())
    page.responses.append(ThemeResponse(kind="we_are_doing", text="We now book repairs in two-hour slots.",
                                        themes=[repairs], position=1))
    page.responses.append(ThemeResponse(kind="we_did", text="We added lights by the bin stores.",
                                        themes=[estates], position=2))
    db.session.add(page)
    db.session.commit()
    return {"consultation": consultation, "mine": mine.response, "themes": themes, "actions": actions,
            "others": [a.response for a in answers[1:]]}


def _body(response):
    return response.get_data(as_text=True)


def test_the_form_is_a_post_and_a_reference_in_the_url_is_ignored(client, published):
    reference = published["mine"].reference
    page = _body(client.get(f"{URL}?reference={reference}"))
    assert 'method="post"' in page and "Check what happened to your response" in page
    assert "Slow repairs" not in page  # GET never looks a reference up


def test_published_response_shows_its_themes_confirmed_actions_progress_and_ysyw(client, published):
    response = client.post(URL, data={"reference": published["mine"].reference})
    page = _body(response)
    assert response.status_code == 200
    assert published["consultation"].title in page
    assert "Slow repairs" in page and "Mould" in page  # "Damp walls" was merged into "Mould"
    assert "Damp walls" not in page and "Off topic" not in page  # merged away; not relevant
    assert "Unsafe estates" not in page  # not my theme
    actions = published["actions"]
    assert actions[0].display_title in page and "Not started" in page  # its status tag
    assert "Two-hour repair slots started in March." in page
    assert actions[1].display_title not in page  # suggested only
    assert actions[2].display_title not in page  # another theme's action
    assert "We now book repairs in two-hour slots." in page
    assert "We added lights by the bin stores." not in page
    assert "has not written a response to this theme yet" in page  # Mould has none


def test_nothing_about_other_respondents_is_shown(client, published):
    page = _body(client.post(URL, data={"reference": published["mine"].reference}))
    for other in published["others"]:
        assert other.reference not in page
        assert other.answers[0].text[:30] not in page
    assert published["mine"].answers[0].text[:30] not in page  # not even my words: a reference is a bearer secret
    assert not re.search(r"\b\d+ (people|responses|comments)\b", page)


def test_reference_is_matched_however_it_is_typed(client, published):
    reference = published["mine"].reference
    typed = f"  {reference.replace('-', ' ').lower()} "
    assert "Slow repairs" in _body(client.post(URL, data={"reference": typed}))


def test_unknown_reference_gets_the_same_answer_as_a_real_one_with_nothing_published(client, db):
    consultation = factories.consultation(status="closed", title="Closed, not published")
    real = Response(consultation=consultation)
    db.session.add(real)
    db.session.commit()
    known = client.post(URL, data={"reference": real.reference})
    unknown = client.post(URL, data={"reference": "ZZZZ-ZZZZ"})
    wrong = client.post(URL, data={"reference": "not a reference"})
    assert known.status_code == unknown.status_code == wrong.status_code == 200
    assert _body(known).replace(real.reference, "REF") == _body(unknown).replace("ZZZZ-ZZZZ", "REF") \
        == _body(wrong).replace("NOTAREFERENCE", "REF")
    assert "Nothing has been published yet" in _body(known)
    assert consultation.title not in _body(known)


def test_empty_reference_is_an_error_beside_the_field(client, db):
    page = _body(client.post(URL, data={"reference": "  "}))
    assert "There is a problem" in page and "Enter your reference number" in page
    assert 'href="#reference"' in page


def test_confirmation_page_and_email_carry_a_working_signed_link(client, db, sent_emails):
    consultation = factories.consultation(status="open")
    data = answers_for(consultation, keep_informed="y", contact_email="sam@example.org")
    assert client.post(f"/consultations/{consultation.id}/respond", data=data).status_code == 302
    response = Response.query.one()
    page = _body(client.get(f"/consultations/{consultation.id}/respond/confirmation"))
    link = re.search(r'href="(/my-response/[^"]+)"', page).group(1)
    assert response.reference in page
    [email] = sent_emails
    assert email["To"] == "sam@example.org"
    text = email.get_content()
    assert response.reference in text and link in text

    before = _body(client.get(link))
    assert consultation.title in before and "Nothing has been published yet" in before
    # A changed character breaks the signature: refused, with the form to type the reference instead.
    tampered = link[:-2] + ("A" if link[-2] != "A" else "B") + link[-1]
    refused = client.get(tampered)
    assert refused.status_code == 404 and "This link does not work" in _body(refused)
    assert client.get("/my-response/" + "x" * 40).status_code == 404


def test_signed_link_shows_the_published_outcome(client, published):
    from app.consultations.my_response import link_token

    page = _body(client.get(f"{URL}/{link_token(published['mine'])}"))
    assert "Slow repairs" in page and "We now book repairs in two-hour slots." in page


def test_no_email_without_an_address_and_none_when_changing_an_answer(client, db, sent_emails):
    consultation = factories.consultation(status="open")
    assert client.post(f"/consultations/{consultation.id}/respond", data=answers_for(consultation)).status_code == 302
    assert sent_emails == []


@pytest.fixture()
def limited_client(limited_app):
    return limited_app(MY_RESPONSE_RATE_LIMIT="3 per minute").test_client()


def test_guessing_is_rate_limited_and_the_typed_reference_is_kept(limited_client, published):
    for guess in ("AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC"):
        assert limited_client.post(URL, data={"reference": guess}).status_code == 200
    refused = limited_client.post(URL, data={"reference": published["mine"].reference})
    page = _body(refused)
    assert refused.status_code == 429
    assert "There is a problem" in page and "You have tried too many reference numbers" in page
    assert f'value="{published["mine"].reference}"' in page  # what they typed is kept
    assert "Slow repairs" not in page  # even the right reference is not looked up
    assert limited_client.get(URL).status_code == 200  # reading the form is never limited


def test_a_signed_in_residents_own_response_page_links_to_its_outcome(client, db):
    from tests.conftest import login

    consultation = factories.consultation(status="open", title="Parks for everyone")
    login(client, factories.user(role="resident"))
    assert client.post(f"/consultations/{consultation.id}/respond", data=answers_for(consultation)).status_code == 302
    saved = Response.query.one()
    page = _body(client.get(f"/account/responses/{saved.id}"))
    link = re.search(r'href="(/my-response/[^"]+)"', page).group(1)
    assert "Parks for everyone" in _body(client.get(link))
