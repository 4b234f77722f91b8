"""Publishing "You said, we did" is previewed and confirmed first (saying who will be emailed),
can be withdrawn with a reason, and published again without emailing anyone twice. Each step is
in the consultation's history."""
import html

import pytest

from app.actions.models import YouSaidWeDid
from app.consultations.models import ConsultationEvent
from tests.actions import factories as af
from tests.conftest import login
from tests import factories


@pytest.fixture()
def ready(db):
    plan = af.plan()
    consultation, themes = af.consultation_with_themes(
        keep_informed=("ann@example.org", "bob@example.org", "ANN@example.org"))
    return consultation, themes, plan.actions


def _answer_all(client, consultation, themes):
    for theme in themes:
        client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new",
                    data={"themes": [theme.id], "kind": "we_did", "text": f"We dealt with {theme.label}."})


def _text(response):
    return html.unescape(response.get_data(as_text=True))


def test_preview_shows_the_page_residents_will_see_before_it_is_public(officer_client, client, ready):
    consultation, themes, _ = ready
    _answer_all(officer_client, consultation, themes)
    preview = _text(officer_client.get(f"/staff/you-said-we-did/{consultation.id}/preview"))
    assert "Residents can’t see this page yet" in preview
    assert "We dealt with Slow repairs." in preview
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 404
    login(client, factories.user(role="councillor"))
    assert client.get(f"/staff/you-said-we-did/{consultation.id}/preview").status_code == 403


def test_publishing_is_confirmed_first_and_says_how_many_will_be_emailed(officer_client, ready, sent_emails):
    consultation, themes, _ = ready
    _answer_all(officer_client, consultation, themes)
    url = f"/staff/you-said-we-did/{consultation.id}/publish"
    asked = _text(officer_client.post(url))
    assert "email 2 residents who asked to be kept informed" in asked  # ann twice counts once
    assert "Publish and email 2 residents" in asked
    assert sent_emails == [] and not YouSaidWeDid.query.one().is_published

    done = officer_client.post(url, data={"confirmed": "yes"}, follow_redirects=True)
    assert "2 residents who asked to be kept informed have been emailed" in _text(done)
    assert len(sent_emails) == 2
    history = [(e.action, e.detail) for e in ConsultationEvent.query.order_by(ConsultationEvent.id)]
    assert history == [("published", ""), ("ysyw_published", "2 residents emailed")]


def test_withdraw_needs_a_reason_then_republishing_emails_nobody(officer_client, client, ready, sent_emails):
    consultation, themes, _ = ready
    _answer_all(officer_client, consultation, themes)
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"})
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 200
    emailed = len(sent_emails)

    url = f"/staff/you-said-we-did/{consultation.id}/withdraw"
    refused = officer_client.post(url, data={"reason": "  "})
    assert refused.status_code == 400 and "Enter why you are withdrawing the page" in _text(refused)
    too_long = officer_client.post(url, data={"reason": "x" * 301})
    assert too_long.status_code == 400 and 'x' * 301 in _text(too_long)  # what was typed is kept
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 200  # still public

    assert officer_client.post(url, data={"reason": "Wrong estate named for the mould theme"}).status_code == 302
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 404
    assert consultation.status == "published"  # the results stay published

    asked = _text(officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish"))
    assert "residents were emailed when it was first published" in asked
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"})
    assert client.get(f"/you-said-we-did/{consultation.id}").status_code == 200
    assert len(sent_emails) == emailed  # nobody emailed twice

    page = _text(officer_client.get(f"/staff/consultations/{consultation.id}"))
    assert "“You said, we did” withdrawn: Wrong estate named for the mould theme" in page
    assert "“You said, we did” published: published again; nobody emailed" in page


def test_withdrawing_an_unpublished_page_changes_nothing(officer_client, ready):
    consultation, themes, _ = ready
    _answer_all(officer_client, consultation, themes)
    reply = officer_client.post(f"/staff/you-said-we-did/{consultation.id}/withdraw", data={"reason": "Oops"})
    assert reply.status_code == 302
    assert ConsultationEvent.query.count() == 0
