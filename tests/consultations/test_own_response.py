"""A signed-in resident reads their own response after the consultation closes."""
import re

from app.consultations.models import Response
from app.extensions import db
from tests import factories
from tests.conftest import login
from tests.consultations.conftest import answers_for


def _respond_and_close(client, consultation, **answers):
    login(client, factories.user(role="resident"))
    data = answers_for(consultation, q3="Benches near\nthe pond <please>", about_age_band="16_17",
                       about_ethnic_group="black_caribbean", **answers)
    assert client.post(f"/consultations/{consultation.id}/respond", data=data).status_code == 302
    consultation.close()
    db.session.commit()
    return Response.query.filter_by(consultation_id=consultation.id).one()


def test_resident_sees_their_answers_read_only_after_close(client, open_consultation):
    saved = _respond_and_close(client, open_consultation)
    account = client.get("/account").get_data(as_text=True)
    link = f"/account/responses/{saved.id}"
    assert f'href="{link}"' in account
    response = client.get(link)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-summary-list" in page and saved.reference in page
    for question in open_consultation.questions:
        assert question.text in page
    assert "Every day" in page and "Agree" in page and "Toilets" in page and "Lighting" in page
    assert "Benches near<br>the pond &lt;please&gt;" in page  # escaped, lines kept
    assert "can no longer be changed" in page and "Change your answers" not in page
    assert not re.search(r"<form[^>]*method=\"post\"[^>]*respond", page)
    # "About you" answers are never shown beside an individual response.
    assert "16 to 17" not in page and "Caribbean" not in page and "About you" not in page


def test_another_resident_and_anonymous_visitors_cannot_see_it(app, client, open_consultation):
    saved = _respond_and_close(client, open_consultation)
    stranger = factories.user(role="resident")
    other = app.test_client()
    # A fresh app context: flask-login keeps the signed-in user in g, which the test's context shares.
    with app.app_context():
        assert other.get(f"/account/responses/{saved.id}").status_code == 302  # sign in first
    with app.app_context():
        login(other, stranger)
        assert other.get(f"/account/responses/{saved.id}").status_code == 404
        assert other.get("/account/responses/999999").status_code == 404


def test_unanswered_optional_questions_say_so(client, open_consultation):
    saved = _respond_and_close(client, open_consultation, q1="", q2=[])
    page = client.get(f"/account/responses/{saved.id}").get_data(as_text=True)
    assert page.count("Not answered") == 2
