"""'You said, we did': responses per theme, publication, the public page and index."""
import pytest

from app.actions.models import ThemeResponse, YouSaidWeDid
from app.extensions import db
from tests import factories
from tests.actions import factories as af

LONG = "x" * 100_000


@pytest.fixture()
def setup(db):
    plan = af.plan()
    consultation, themes = af.consultation_with_themes()
    return consultation, themes, plan.actions


def _new(client, consultation, **data):
    return client.post(f"/staff/you-said-we-did/{consultation.id}/responses/new", data=data)


def test_staff_index_lists_consultations_and_their_state(officer_client, setup):
    consultation, _, _ = setup
    factories.consultation(status="open", title="Still open")
    body = officer_client.get("/staff/you-said-we-did").get_data(as_text=True)
    assert consultation.title in body and "Still open" in body
    assert "Consultation still open" in body and "Not started" in body


def test_response_lifecycle_create_edit_group_delete(officer_client, setup):
    consultation, themes, actions = setup
    assert officer_client.get(f"/staff/you-said-we-did/{consultation.id}").status_code == 200
    assert officer_client.get(f"/staff/you-said-we-did/{consultation.id}/responses/new?theme={themes[0].id}").status_code == 200
    response = _new(officer_client, consultation, themes=[themes[0].id], kind="we_are_doing",
                    text="Two-hour appointment slots.", action_id=str(actions[0].id))
    assert response.status_code == 302
    saved = ThemeResponse.query.one()
    assert saved.action_id == actions[0].id and [t.id for t in saved.themes] == [themes[0].id]
    # A theme can have only one response.
    response = _new(officer_client, consultation, themes=[themes[0].id], kind="we_did", text="Again")
    assert response.status_code == 400 and "already has a response" in response.get_data(as_text=True)
    # Group of themes in one response.
    response = _new(officer_client, consultation, themes=[themes[1].id, themes[2].id], kind="we_cant",
                    text="The police run CCTV, not the council.")
    assert response.status_code == 302
    group = ThemeResponse.query.filter_by(kind="we_cant").one()
    assert {t.id for t in group.themes} == {themes[1].id, themes[2].id}
    # Edit: change kind and drop a theme.
    url = f"/staff/you-said-we-did/{consultation.id}/responses/{group.id}"
    assert officer_client.get(url).status_code == 200
    assert officer_client.post(url, data={"themes": [themes[1].id], "kind": "we_did",
                                          "text": "We added lighting."}).status_code == 302
    db.session.expire_all()
    group = db.session.get(ThemeResponse, group.id)
    assert group.kind == "we_did" and [t.id for t in group.themes] == [themes[1].id]
    # Delete.
    assert officer_client.post(url + "/delete").status_code == 302
    assert db.session.get(ThemeResponse, group.id) is None


@pytest.mark.parametrize("data, message", [
    ({}, "Select at least one theme"),
    ({"themes": ["abc"], "kind": "we_did", "text": "x"}, "Select at least one theme"),
    ({"themes": ["999999"], "kind": "we_did", "text": "x"}, "Select at least one theme"),
    ({"themes": ["THEME"], "kind": "nonsense", "text": "x"}, "Not a valid choice"),
    ({"themes": ["THEME"], "kind": "we_did", "text": ""}, "Enter the response"),
    ({"themes": ["THEME"], "kind": "we_did", "text": LONG}, "5000 characters"),
    ({"themes": ["THEME"], "kind": "we_are_doing", "text": "x"}, "Select the action"),
    ({"themes": ["THEME"], "kind": "we_are_doing", "text": "x", "action_id": "abc"}, "Select an action"),
    ({"themes": ["THEME"], "kind": "we_are_doing", "text": "x", "action_id": "999999"}, "Select an action"),
])
def test_response_form_rejects_bad_input(officer_client, setup, data, message):
    consultation, themes, _ = setup
    if data.get("themes") == ["THEME"]:
        data["themes"] = [str(themes[0].id)]
    response = _new(officer_client, consultation, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert ThemeResponse.query.count() == 0


def test_a_theme_from_another_consultation_is_refused(officer_client, setup):
    consultation, _, _ = setup
    _, other_themes = af.consultation_with_themes(title="Other")
    response = _new(officer_client, consultation, themes=[other_themes[0].id], kind="we_did", text="x")
    assert response.status_code == 400 and ThemeResponse.query.count() == 0


def test_open_consultations_and_unknown_ids(officer_client, setup):
    consultation, themes, _ = setup
    still_open = factories.consultation(status="open")
    assert _new(officer_client, still_open, themes=[themes[0].id], kind="we_did", text="x").status_code == 404
    assert officer_client.post(f"/staff/you-said-we-did/{still_open.id}", data={"summary": "x"}).status_code == 404
    assert officer_client.get("/staff/you-said-we-did/99999").status_code == 404
    assert officer_client.get(f"/staff/you-said-we-did/{consultation.id}/responses/99999").status_code == 404
    assert officer_client.post(f"/staff/you-said-we-did/{consultation.id}/responses/99999/delete").status_code == 404
    draft = factories.consultation(status="draft")
    assert officer_client.get(f"/staff/you-said-we-did/{draft.id}").status_code == 404


def test_summary_is_saved_and_validated(officer_client, setup):
    consultation, _, _ = setup
    assert officer_client.post(f"/staff/you-said-we-did/{consultation.id}", data={"summary": LONG}).status_code == 400
    assert YouSaidWeDid.query.count() == 0
    assert officer_client.post(f"/staff/you-said-we-did/{consultation.id}", data={"summary": "Thank you."}).status_code == 302
    assert YouSaidWeDid.query.one().summary == "Thank you."


def _answer_all(client, consultation, themes, actions):
    _new(client, consultation, themes=[themes[0].id], kind="we_are_doing", text="Two-hour slots.",
         action_id=str(actions[0].id))
    _new(client, consultation, themes=[themes[1].id], kind="we_did", text="We lit the stairwells.")
    _new(client, consultation, themes=[themes[2].id], kind="we_cant",
         text="Mould is the housing association's responsibility.")


def test_publish_needs_every_theme_answered_then_publishes_results(officer_client, setup):
    consultation, themes, actions = setup
    url = f"/staff/you-said-we-did/{consultation.id}/publish"
    response = officer_client.post(url)
    assert response.status_code == 400 and "Write at least one response" in response.get_data(as_text=True)
    _new(officer_client, consultation, themes=[themes[0].id], kind="we_did", text="Done.")
    response = officer_client.post(url)
    assert response.status_code == 400 and "Still to do: Unsafe estates, Mould" in response.get_data(as_text=True)
    # Beside the Publish button as well as in the summary, which links to the button.
    body = response.get_data(as_text=True)
    beside = body.split('id="publish"', 1)[1]
    assert 'class="govuk-error-message" id="publish-error"' in beside and "Still to do: Unsafe estates" in beside
    assert 'href="#publish-button"' in body and 'id="publish-button"' in beside
    assert 'aria-describedby="publish-error"' in beside
    assert officer_client.get(f"/you-said-we-did/{consultation.id}").status_code == 404  # not public yet
    ThemeResponse.query.delete()
    db.session.commit()
    _answer_all(officer_client, consultation, themes, actions)
    asked = officer_client.post(url)  # ready: asked first, nothing published yet
    assert asked.status_code == 200 and "Publish “You said, we did”?" in asked.get_data(as_text=True)
    assert not YouSaidWeDid.query.one().is_published
    response = officer_client.post(url, data={"confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert consultation.status == "published"
    assert YouSaidWeDid.query.one().is_published
    assert officer_client.post(url, data={"confirmed": "yes"}).status_code == 400  # already published


def test_public_page_shows_question_channels_themes_and_responses(officer_client, client, setup):
    consultation, themes, actions = setup
    af.update(actions[0], text="Slots live on two estates.", percent=50)
    themes[2].merged_into_id = themes[0].id  # merged themes (like not-relevant ones) are left out
    db.session.commit()
    _new(officer_client, consultation, themes=[themes[0].id], kind="we_are_doing", text="Two-hour slots.",
         action_id=str(actions[0].id))
    _new(officer_client, consultation, themes=[themes[1].id], kind="we_cant", text="CCTV is run by the police.")
    assert officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish",
                               data={"confirmed": "yes"}).status_code == 302
    body = client.get(f"/you-said-we-did/{consultation.id}").get_data(as_text=True)
    assert "What should we change about repairs and estates?" in body
    assert "6 people responded" in body
    assert "Online" in body and "Paper form" in body and "Phone" in body
    assert "Slow repairs" in body and "Unsafe estates" in body and "Mould" not in body
    assert "We are doing" in body and "Two-hour slots." in body and "Slots live on two estates." in body
    assert "50% complete" in body and f"/actions/{actions[0].id}" in body
    assert "We can't make this change, because" in body and "CCTV is run by the police." in body
    assert "jo.bloggs" not in body


def test_index_search_and_filters(officer_client, client, setup):
    consultation, themes, actions = setup
    ward, other_ward = factories.ward("Coldharbour Green"), factories.ward("Hollybush")
    from app.consultations.models import Topic

    topic = Topic(name="Housing", slug="housing")
    db.session.add(topic)
    consultation.borough_wide = False
    consultation.wards = [ward]
    consultation.topics = [topic]
    db.session.commit()
    _answer_all(officer_client, consultation, themes, actions)
    officer_client.post(f"/staff/you-said-we-did/{consultation.id}/publish", data={"confirmed": "yes"})
    unpublished, _ = af.consultation_with_themes(title="Parks review")

    def titles(query):
        return client.get("/you-said-we-did" + query).get_data(as_text=True)

    assert consultation.title in titles("") and unpublished.title not in titles("")
    assert consultation.title in titles("?q=stairwells")  # matches a response's text
    assert consultation.title in titles("?q=HOUSING+repairs")
    assert "0 results" in titles("?q=swimming")
    assert consultation.title in titles("?ward=coldharbour-green".replace("coldharbour-green", ward.slug))
    assert "0 results" in titles(f"?ward={other_ward.slug}")
    assert consultation.title in titles("?topic=housing")
    assert consultation.title in titles("?ward=nonsense&topic=%00" + "x" * 5000)
    assert client.get("/you-said-we-did/99999").status_code == 404
