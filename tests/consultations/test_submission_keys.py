"""A response form sent twice (double click, retry after a timeout, back and send again)
stores one response and shows its reference each time."""
import re
import threading

import requests

from app.consultations.models import Response
from tests import factories
from tests.consultations.conftest import answers_for, response_count

KEY = "k" * 32


def _key_on_form(client, consultation):
    html = client.get(f"/consultations/{consultation.id}/respond").get_data(as_text=True)
    return re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)


def test_the_form_carries_a_fresh_key_each_time(client, open_consultation):
    first, second = _key_on_form(client, open_consultation), _key_on_form(client, open_consultation)
    assert len(first) >= 20 and first != second


def test_sending_the_same_form_twice_stores_one_response(client, open_consultation):
    c = open_consultation
    data = answers_for(c, submission_key=KEY)
    first = client.post(f"/consultations/{c.id}/respond", data=data)
    again = client.post(f"/consultations/{c.id}/respond", data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"].endswith(f"/consultations/{c.id}/respond/confirmation")
    assert response_count(c) == 1
    reference = Response.query.one().reference
    assert reference in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_retry_after_closing_still_shows_the_reference(client, open_consultation, db):
    from datetime import timedelta

    from app.common.timeutil import utcnow

    c = open_consultation
    data = answers_for(c, submission_key=KEY)
    client.post(f"/consultations/{c.id}/respond", data=data)
    c.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    retry = client.post(f"/consultations/{c.id}/respond", data=data)
    assert retry.status_code == 302 and retry.headers["Location"].endswith("/respond/confirmation")
    assert response_count(c) == 1


def test_different_forms_are_different_responses(client, open_consultation):
    c = open_consultation
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c, submission_key="a" * 32))
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c, submission_key="b" * 32))
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c))  # an old form with no key
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c, submission_key="<bad key>"))
    assert response_count(c) == 4


def test_simultaneous_sends_of_one_form_store_one_response(app, db, live_server):
    """Eight copies of one POST at the same moment, over real HTTP (CSRF on)."""
    consultation = factories.consultation(status="open")
    session = requests.Session()
    page = session.get(f"{live_server}/consultations/{consultation.id}/respond").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = answers_for(consultation, csrf_token=token, submission_key=key)
    start, results = threading.Barrier(8), []

    def send():
        start.wait()
        reply = session.post(f"{live_server}/consultations/{consultation.id}/respond", data=data,
                             allow_redirects=False, timeout=30)
        results.append((reply.status_code, reply.headers.get("Location", "")))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.remove()
    assert response_count(consultation) == 1
    assert all(code == 302 for code, _ in results), results
    assert sum(location.endswith("/respond/confirmation") for _, location in results) >= 7, results


def test_an_officer_double_click_stores_one_paper_response(client, db):
    from app.common.timeutil import to_london, utcnow
    from tests.conftest import login

    login(client, factories.user(role="officer"))
    c = factories.consultation(status="open")
    today = to_london(utcnow()).date()
    data = answers_for(c, channel="paper", submission_key=KEY, **{
        "collected_on-day": str(today.day), "collected_on-month": str(today.month),
        "collected_on-year": str(today.year)})
    url = f"/staff/consultations/{c.id}/responses/new"
    first, again = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == again.status_code == 302
    assert response_count(c) == 1


def test_the_error_page_never_claims_nothing_was_saved():
    from app.main.errors import PAGES

    heading, lines = PAGES[500]
    text = " ".join(lines).lower()
    assert "not been saved" not in text and "reference" in text
