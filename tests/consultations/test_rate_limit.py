"""The public response POST is rate-limited per address (Flask-Limiter), as the README says."""
import pytest


@pytest.fixture()
def limited_client(limited_app):
    return limited_app().test_client()


def test_response_posts_are_limited_per_address(limited_client, open_consultation):
    url = f"/consultations/{open_consultation.id}/respond"
    for _ in range(20):
        assert limited_client.post(url, data={}).status_code == 200  # errors shown, not limited
    refused = limited_client.post(url, data={})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert limited_client.get(url).status_code == 200  # reading the form is never limited


def test_responses_saved_from_one_connection_are_capped_and_the_answers_kept(limited_app, open_consultation):
    """Issue 14, finding 4: one machine could add responses without end (20 a minute, every minute).
    Saved responses now count per client address per hour (configurable; 5 here)."""
    from tests.consultations.conftest import answers_for, response_count

    app = limited_app(ABUSE_LIMITS={"consultation_response_client": "5 per hour"})
    client = app.test_client()
    url = f"/consultations/{open_consultation.id}/respond"
    statuses = [client.post(url, data=answers_for(open_consultation)).status_code for _ in range(5)]
    assert statuses == [302] * 5
    refused = client.post(url, data=answers_for(open_consultation, q3="Fix the bandstand roof"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and response_count(open_consultation) == 5
    assert "govuk-error-summary" in page and "Too many forms have been sent from your internet connection" in page
    assert "Fix the bandstand roof" in page
