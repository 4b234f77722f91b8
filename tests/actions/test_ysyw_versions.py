"""A published "You said, we did" page can be changed: each change needs a public note, makes a
new version, and the page's history lists every version, each one viewable as it was."""
import html

import pytest

from app.actions.models import YsywVersion
from tests.actions import factories as af


@pytest.fixture()
def published(officer_client, db):
    af.plan()
    consultation, themes = af.consultation_with_themes(keep_informed=("ann@example.org",))
    for theme in themes:
        officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new",
                            data={"themes": [theme.id], "kind": "we_did", "text": f"We dealt with {theme.label}."})
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"})
    return consultation


def _text(response):
    return html.unescape(response.get_data(as_text=True))


def test_publishing_makes_version_one(client, published):
    (v,) = YsywVersion.query.all()
    assert (v.number, v.note) == (1, "Published")
    assert any("We dealt with" in r["text"] for r in v.content["responses"])
    page = _text(client.get(f"/you-said-we-did/{published.id}"))
    assert "Page history" in page and "Version 1" in page and "This is the current version." in page


def test_a_change_to_a_published_page_needs_a_note_and_keeps_what_was_typed(officer_client, published):
    response_id = published_page_response(published)
    url = f"/staff/you-said-we-did/{published.id}/responses/{response_id}"
    refused = officer_client.post(url, data=_edit(published, "We fixed it, on the Coldharbour estate.", ""))
    page = _text(refused)
    assert refused.status_code == 400 and "Say what you changed: it is shown in the page's public history" in page
    assert "govuk-error-summary" in page and "We fixed it, on the Coldharbour estate." in page
    assert YsywVersion.query.count() == 1
    too_long = officer_client.post(url, data=_edit(published, "Changed.", "x" * 301))
    assert too_long.status_code == 400 and "300 characters or fewer" in _text(too_long)


def test_each_change_is_a_version_in_the_public_history(officer_client, client, published):
    response_id = published_page_response(published)
    url = f"/staff/you-said-we-did/{published.id}/responses/{response_id}"
    assert officer_client.post(url, data=_edit(published, "We fixed it, on the Coldharbour estate.",
                                               "Named the estate")).status_code == 302
    officer_client.post(f"/staff/you-said-we-did/{published.id}", data={"summary": "Thank you all.",
                                                                          "change_note": "Added a thank you"})
    assert [v.number for v in YsywVersion.query.order_by(YsywVersion.number)] == [1, 2, 3]
    page = _text(client.get(f"/you-said-we-did/{published.id}"))
    assert "Named the estate" in page and "Added a thank you" in page and "Thank you all." in page
    assert "We fixed it, on the Coldharbour estate." in page
    old = _text(client.get(f"/you-said-we-did/{published.id}/versions/1"))
    assert "This is version 1 of 3" in old and "We fixed it" not in old and "We dealt with" in old
    assert client.get(f"/you-said-we-did/{published.id}/versions/9").status_code == 404


def test_deleting_a_response_from_a_published_page_needs_a_note(officer_client, client, published):
    response_id = published_page_response(published)
    url = f"/staff/you-said-we-did/{published.id}/responses/{response_id}/delete"
    refused = officer_client.post(url, data={"delete-change_note": ""})
    assert refused.status_code == 400 and "Say what you changed" in _text(refused)
    assert officer_client.post(url, data={"delete-change_note": "Removed a duplicate"}).status_code == 302
    assert YsywVersion.query.count() == 2
    assert "Removed a duplicate" in _text(client.get(f"/you-said-we-did/{published.id}"))


def test_versions_of_a_withdrawn_page_are_not_public(officer_client, client, published):
    officer_client.post(f"/staff/you-said-we-did/{published.id}/withdraw", data={"reason": "Mistake"})
    assert client.get(f"/you-said-we-did/{published.id}/versions/1").status_code == 404
    officer_client.post(f"/staff/you-said-we-did/{published.id}/publish", data={"confirmed": "yes"})
    notes = [v.note for v in YsywVersion.query.order_by(YsywVersion.number)]
    assert notes == ["Published", "Published again after a correction"]


def published_page_response(consultation):
    from app.actions.models import ThemeResponse

    return ThemeResponse.query.first().id


def _edit(consultation, text, note):
    from app.actions.models import ThemeResponse

    response = ThemeResponse.query.first()
    return {"themes": [t.id for t in response.themes], "kind": "we_did", "text": text, "change_note": note}


def test_only_a_one_comment_theme_can_be_set_aside_with_a_reason(officer_client, client, db):
    from app.actions.models import ThemeResponse

    af.plan()
    consultation, themes = af.consultation_with_themes()
    big, small = themes[0], themes[1]
    small.size = 1
    db.session.commit()
    url = f"/staff/you-said-we-did/{consultation.id}/responses/new"
    refused = officer_client.post(url, data={"themes": [big.id], "kind": "set_aside", "text": "Only one."})
    assert refused.status_code == 400
    assert f"Only a theme raised in one comment can be set aside: “{big.display_label}” has" in _text(refused)
    no_reason = officer_client.post(url, data={"themes": [small.id], "kind": "set_aside", "text": ""})
    assert no_reason.status_code == 400
    assert officer_client.post(url, data={"themes": [small.id], "kind": "set_aside",
                                          "text": "A private matter, passed to the housing team."}).status_code == 302
    assert ThemeResponse.query.one().kind_label == "Set aside"
    for theme in themes[:1] + themes[2:]:
        officer_client.post(url, data={"themes": [theme.id], "kind": "we_did", "text": "Done."})
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"})
    page = _text(client.get(f"/you-said-we-did/{consultation.id}"))
    assert "Raised in one comment. We have not answered it on its own, because:" in page
    assert "A private matter, passed to the housing team." in page
