"""Residents answering a round: one page, every question optional, GOV.UK errors, all or nothing."""
import pytest

from app.tracker import services
from app.tracker.models import TrackerAboutYou, TrackerAnswer, TrackerResponse
from tests.tracker.conftest import make_round

FULL = {"q_belonging": "fairly_strongly", "q_cohesion": "tend_to_agree", "q_influence": "definitely_disagree",
        "q_trust": "some", "about_age_band": "25_34", "about_disability": "disabled",
        "about_tenure": "private_rent"}


def test_the_form_asks_every_indicator_on_one_page(client, open_round, ward):
    page = client.get(f"/shared-goals/{open_round.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "How strongly do you feel you belong to your immediate neighbourhood?" in text
    assert "people from different backgrounds get on well together?" in text
    assert "Not at all strongly" in text and "Definitely disagree" in text
    assert f'<option value="{ward.id}">Kingsmead</option>' in text
    assert "What is your age? (optional)" in text


def test_answers_are_saved_anonymously_in_one_go(client, open_round, ward):
    response = client.post(f"/shared-goals/{open_round.id}", data={"ward": str(ward.id), **FULL})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/shared-goals/{open_round.id}/thank-you")
    saved = TrackerResponse.query.one()
    about = services.about_you(saved)
    assert saved.ward_id == ward.id
    assert (about.round_id, about.age_band, about.disability, about.tenure) == (
        open_round.id, "25_34", "disabled", "private_rent")
    assert {(a.indicator, a.answer) for a in saved.answers} == {
        ("belonging", "fairly_strongly"), ("cohesion", "tend_to_agree"), ("influence", "definitely_disagree"),
        ("trust", "some")}
    assert client.get(response.headers["Location"]).status_code == 200


def test_questions_left_blank_store_nothing(client, open_round, ward):
    response = client.post(f"/shared-goals/{open_round.id}", data={"ward": str(ward.id), "q_trust": "many"})
    assert response.status_code == 302
    assert [(a.indicator, a.answer) for a in TrackerAnswer.query] == [("trust", "many")]
    assert services.about_you(TrackerResponse.query.one()) is None
    assert TrackerAboutYou.query.count() == 0


def test_nothing_answered_is_an_error_and_nothing_is_saved(client, open_round, ward):
    page = client.post(f"/shared-goals/{open_round.id}", data={"ward": str(ward.id), "about_age_band": "25_34"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "govuk-error-summary" in text and "Answer at least one of the questions" in text
    assert TrackerResponse.query.count() == 0


def test_missing_ward_is_shown_beside_the_field_and_answers_are_kept(client, open_round, ward):
    page = client.post(f"/shared-goals/{open_round.id}", data={"ward": "", **FULL})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'href="#ward"' in text and "Choose the ward you live in" in text
    assert 'govuk-error-message' in text
    assert 'value="fairly_strongly" checked' in text and 'value="private_rent" checked' in text
    assert TrackerResponse.query.count() == 0


@pytest.mark.parametrize("bad", [
    {"ward": "999999"}, {"ward": "abc"}, {"ward": "1' OR 1=1"},
    {"q_trust": "everyone"}, {"q_belonging": "7"}, {"about_age_band": "ancient"},
    {"about_tenure": "x" * 5000},
])
def test_tampered_values_get_a_message_not_a_500(client, open_round, ward, bad):
    data = {"ward": str(ward.id), **FULL, **bad}
    page = client.post(f"/shared-goals/{open_round.id}", data=data)
    assert page.status_code == 400
    assert "govuk-error-summary" in page.get_data(as_text=True)
    assert TrackerResponse.query.count() == 0


def test_an_upcoming_round_cannot_be_seen_or_answered(client, db, ward):
    upcoming = make_round("Autumn", "upcoming")
    assert client.get(f"/shared-goals/{upcoming.id}").status_code == 404
    assert client.post(f"/shared-goals/{upcoming.id}", data={"ward": str(ward.id), **FULL}).status_code == 404
    assert TrackerResponse.query.count() == 0


def test_a_closed_round_says_so_and_saves_nothing(client, db, ward):
    closed = make_round("Last year", "closed")
    page = client.get(f"/shared-goals/{closed.id}")
    assert page.status_code == 200 and "has closed" in page.get_data(as_text=True)
    sent = client.post(f"/shared-goals/{closed.id}", data={"ward": str(ward.id), **FULL})
    assert sent.status_code == 410 and "has not been saved" in sent.get_data(as_text=True)
    assert TrackerResponse.query.count() == 0


def test_unknown_round_is_404(client, db):
    assert client.get("/shared-goals/4242").status_code == 404
    assert client.get("/shared-goals/99999999999999").status_code == 404


def test_the_service_refuses_a_closed_round_and_bad_codes_without_saving(db, open_round, ward):
    with pytest.raises(ValueError):
        services.record_response(open_round, ward, {"belonging": "very_strongly", "trust": "everyone"}, {})
    db.session.rollback()
    open_round.close_now()
    with pytest.raises(services.RoundClosed):
        services.record_response(open_round, ward, {"belonging": "very_strongly"}, {})
    db.session.rollback()
    assert TrackerResponse.query.count() == 0 and TrackerAnswer.query.count() == 0


def test_one_machine_cannot_stuff_the_survey(limited_app, open_round, ward):
    app = limited_app(ABUSE_LIMITS={"tracker_response_client": "3 per hour"})
    client = app.test_client()
    statuses = [client.post(f"/shared-goals/{open_round.id}", data={"ward": str(ward.id), **FULL}).status_code
                for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert TrackerResponse.query.count() == 3
    page = client.post(f"/shared-goals/{open_round.id}", data={"ward": str(ward.id), **FULL})
    text = page.get_data(as_text=True)
    assert "Too many forms have been sent from your internet connection" in text
    assert 'value="fairly_strongly" checked' in text


def test_about_you_cannot_be_joined_to_the_answers_from_the_database_alone(client, db, open_round, ward):
    import sqlalchemy as sa

    from app.common.pseudonym import pseudonym

    client.post(f"/shared-goals/{open_round.id}", data={"ward": str(ward.id), **FULL})
    response = TrackerResponse.query.one()
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("tracker_about_you")}
    assert columns == {"respondent_key", "round_id", "age_band", "disability", "tenure"}
    key = db.session.execute(sa.text("SELECT respondent_key FROM tracker_about_you")).scalar_one()
    assert key != str(response.id) and key != pseudonym("response", response.id)  # not a consultation's key
    assert key == pseudonym("tracker-response", response.id)
