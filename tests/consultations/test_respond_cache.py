"""An anonymous response POST checks the form against rows kept between requests
(app/consultations/respond_cache.py), with a shared Redis page cache: it must behave exactly as
when it reads them afresh."""
import secrets
from datetime import timedelta

import pytest

from app import create_app
from app.common import pagecache
from app.common.timeutil import utcnow
from app.consultations import respond_cache
from app.consultations.models import Consultation, Question, Response
from app.extensions import db as _db
from tests.conftest import Settings, redis_or_skip
from tests.consultations.conftest import answers_for, field, response_count


@pytest.fixture()
def kept_app(db):
    app = create_app(type("Kept", (Settings,), {
        "PUBLIC_PAGE_CACHE_SECONDS": 30, "REDIS_URL": redis_or_skip(),
        "PAGE_CACHE_PREFIX": f"test-rc-{secrets.token_hex(4)}:"}))
    respond_cache.forget()
    pagecache._local.clear()
    yield app
    respond_cache.forget()
    pagecache._local.clear()
    with app.app_context():
        pagecache.cache.clear()


def _post(app, consultation, **data):
    return app.test_client().post(f"/consultations/{consultation.id}/respond", data=answers_for(consultation, **data))


def test_the_kept_rows_store_a_response_and_a_form_sent_twice_stores_one(kept_app, open_consultation):
    c = open_consultation
    first = _post(kept_app, c, submission_key="k" * 32)
    assert first.status_code == 302 and first.headers["Location"].endswith("/respond/confirmation")
    assert c.id in respond_cache._parts  # the rows were kept
    client = kept_app.test_client()
    again = client.post(f"/consultations/{c.id}/respond", data=answers_for(c, submission_key="k" * 32))
    assert again.status_code == 302 and again.headers["Location"].endswith("/respond/confirmation")
    assert response_count(c) == 1
    stored = Response.query.one()
    assert stored.reference in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(stored.answers) == 5  # one per question, two for the multiple choice
    assert _post(kept_app, c, submission_key="m" * 32).status_code == 302
    assert response_count(c) == 2


def test_closing_early_is_seen_by_the_next_post(kept_app, open_consultation):
    c = open_consultation
    assert _post(kept_app, c).status_code == 302
    with kept_app.app_context():  # an officer closes it early: a commit in the app, a new cache version
        _db.session.get(Consultation, c.id).closes_at = utcnow() - timedelta(minutes=1)
        _db.session.commit()
    late = _post(kept_app, c)
    assert late.status_code == 200 and "closed" in late.get_data(as_text=True).lower()
    assert response_count(c) == 1


def test_a_changed_question_is_seen_by_the_next_post(kept_app, open_consultation):
    c = open_consultation
    assert _post(kept_app, c).status_code == 302
    with kept_app.app_context():
        question = _db.session.get(Question, c.questions[1].id)  # the agreement scale, optional
        question.required = True  # an officer's correction
        _db.session.commit()
    refused = _post(kept_app, c, q1="")
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    assert response_count(c) == 1


def test_a_form_with_errors_is_shown_again_with_every_answer(kept_app, open_consultation):
    c = open_consultation
    data = answers_for(c, q0="", q3="", about_sex="female")
    data[field(c, 1)] = "2"
    response = kept_app.test_client().post(f"/consultations/{c.id}/respond", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response_count(c) == 0
    assert "There is a problem" in page and "Parks for everyone" in page
    assert 'value="2" checked' in page and 'value="female" checked' in page
    assert f'value="{c.questions[2].options[1].id}" checked' in page
