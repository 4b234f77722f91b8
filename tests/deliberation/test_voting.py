"""Residents vote on statements one at a time without an account, change their votes, suggest
statements and (with consent) add "About you"; bad input is refused with nothing saved."""
import re

import pytest

from app.deliberation.models import DeliberationAboutYou, Participant, Statement, Vote
from app.extensions import db
from tests.deliberation.conftest import SEEDS, make_conversation


def _url(consultation, suffix=""):
    return f"/consultations/{consultation.id}/statements{suffix}"


def _statement_id(page):
    return int(re.search(r'name="statement_id" value="(\d+)"', page).group(1))


def test_a_resident_votes_on_each_statement_in_turn(client):
    consultation, conversation = make_conversation()
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "How should we improve the town centre?" in page
    assert SEEDS[0] in page and "Statement 1 of 3" in page
    assert Participant.query.count() == 0  # looking creates nobody

    for choice in ("agree", "disagree", "pass"):
        page = client.get(_url(consultation)).get_data(as_text=True)
        response = client.post(_url(consultation), data={"statement_id": _statement_id(page), "vote": choice})
        assert response.status_code == 302 and response.headers["Location"].endswith("/statements#statement")
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "You have voted on every statement" in page and "You have voted on 3 of 3" in page
    assert Participant.query.count() == 1
    assert sorted(v.value for v in Vote.query) == [-1, 0, 1]


def test_voting_again_replaces_the_vote(client):
    consultation, conversation = make_conversation()
    first = conversation.approved()[0]
    client.post(_url(consultation), data={"statement_id": first.id, "vote": "agree"})
    page = client.get(_url(consultation) + f"?statement={first.id}").get_data(as_text=True)
    assert "Change your vote" in page and _statement_id(page) == first.id
    client.post(_url(consultation), data={"statement_id": first.id, "vote": "disagree"})
    assert [(v.statement_id, v.value) for v in Vote.query] == [(first.id, -1)]


def test_each_browser_is_its_own_participant(app, client):
    consultation, conversation = make_conversation()
    other = app.test_client()
    first = conversation.approved()[0]
    client.post(_url(consultation), data={"statement_id": first.id, "vote": "agree"})
    other.post(_url(consultation), data={"statement_id": first.id, "vote": "disagree"})
    assert Participant.query.count() == 2 and Vote.query.count() == 2
    assert "You have voted on 1 of 3" in other.get(_url(consultation)).get_data(as_text=True)


@pytest.mark.parametrize("data, status", [
    ({"vote": "agree"}, 400),                       # no statement
    ({"statement_id": "abc", "vote": "agree"}, 400),
    ({"statement_id": "1", "vote": "strongly"}, 400),  # a crafted value
    ({"statement_id": "1"}, 400),
    ({"statement_id": "999999", "vote": "agree"}, 404),
])
def test_crafted_votes_are_refused_and_nothing_is_saved(client, data, status):
    consultation, conversation = make_conversation()
    if data.get("statement_id") == "1":
        data = {**data, "statement_id": str(conversation.approved()[0].id)}
    assert client.post(_url(consultation), data=data).status_code == status
    assert Vote.query.count() == 0 and Participant.query.count() == 0


def test_unapproved_and_other_consultations_statements_cannot_be_voted_on(client):
    consultation, conversation = make_conversation()
    other_consultation, other = make_conversation()
    pending = Statement(conversation_id=conversation.id, text="A statement not yet checked", status="pending",
                        from_resident=True)
    rejected = Statement(conversation_id=conversation.id, text="A statement an officer rejected",
                         status="rejected", from_resident=True)
    db.session.add_all([pending, rejected])
    db.session.commit()
    for statement_id in (pending.id, rejected.id, other.approved()[0].id):
        assert client.post(_url(consultation), data={"statement_id": statement_id, "vote": "agree"}).status_code == 404
        assert client.get(_url(consultation) + f"?statement={statement_id}").status_code == 404
    assert Vote.query.count() == 0 and Participant.query.count() == 0
    assert "not yet checked" not in client.get(_url(consultation)).get_data(as_text=True)


def test_no_conversation_draft_and_closed(client):
    from tests import factories

    plain = factories.consultation(status="open")
    assert client.get(_url(plain)).status_code == 404
    draft, _ = make_conversation(status="draft")
    assert client.get(_url(draft)).status_code == 404
    closed, conversation = make_conversation(status="closed")
    assert "Voting on these statements has closed" in client.get(_url(closed)).get_data(as_text=True)
    response = client.post(_url(closed), data={"statement_id": conversation.approved()[0].id, "vote": "agree"})
    assert response.status_code == 410 and Vote.query.count() == 0


def test_the_consultation_page_links_to_the_statements(client):
    consultation, _conversation = make_conversation()
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Vote on statements" in page and _url(consultation) in page


def test_a_resident_suggests_a_statement_which_waits_for_moderation(client):
    consultation, conversation = make_conversation()
    response = client.post(_url(consultation, "/new"), data={
        "text": "Call Jane Smith on 07700 900123 about more benches by the river"})
    assert response.status_code == 302
    statement = Statement.query.filter_by(status="pending").one()
    assert statement.from_resident and "07700" not in statement.text and "[phone]" in statement.text
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert "more benches" not in page and "once we have checked it" in page


@pytest.mark.parametrize("text, message", [
    ("", "Enter your statement"),
    ("   ", "Enter your statement"),
    ("Too short", "at least 10 characters"),
    ("x" * 201, "200 characters or fewer"),
])
def test_bad_statements_are_refused_with_the_text_kept(client, text, message):
    consultation, _conversation = make_conversation()
    response = client.post(_url(consultation, "/new"), data={"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page and message in page
    assert Statement.query.filter_by(from_resident=True).count() == 0 and Participant.query.count() == 0
    if text.strip():
        assert text in page


def test_suggesting_is_off_when_the_officer_says_so(client):
    consultation, _conversation = make_conversation(residents_may_add=False)
    assert client.get(_url(consultation, "/new")).status_code == 404
    assert "Suggest a statement" not in client.get(_url(consultation)).get_data(as_text=True)


def test_statements_are_rate_limited(limited_app, db):
    app = limited_app(ABUSE_LIMITS={"deliberation_statement_client": "2 per hour"})
    consultation, _conversation = make_conversation()
    client = app.test_client()
    for n in range(2):
        assert client.post(_url(consultation, "/new"), data={"text": f"Statement {n} about the parks"}).status_code == 302
    response = client.post(_url(consultation, "/new"), data={"text": "Statement 3 about the parks"})
    assert response.status_code == 429 and "Statement 3 about the parks" in response.get_data(as_text=True)
    assert Statement.query.filter_by(from_resident=True).count() == 2


def test_about_you_is_kept_only_with_consent(client):
    consultation, conversation = make_conversation()
    response = client.post(_url(consultation, "/about-you"), data={"age_band": "25_34"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Tick the box to link your votes" in page
    assert DeliberationAboutYou.query.count() == 0 and Participant.query.count() == 0

    response = client.post(_url(consultation, "/about-you"), data={"consent": "y", "age_band": "25_34",
                                                                   "tenure": "social_council"})
    assert response.status_code == 302
    participant = Participant.query.one()
    row = DeliberationAboutYou.query.one()
    assert participant.consented and row.age_band == "25_34" and row.tenure == "social_council"
    assert row.respondent_key != str(participant.id)  # pseudonymous
    page = client.get(_url(consultation)).get_data(as_text=True)
    assert 'value="25_34" checked' in page

    client.post(_url(consultation, "/about-you"), data={})  # consent withdrawn
    assert DeliberationAboutYou.query.count() == 0 and not Participant.query.one().consented


def test_about_you_refuses_a_crafted_answer(client):
    consultation, _conversation = make_conversation()
    response = client.post(_url(consultation, "/about-you"), data={"consent": "y", "age_band": "ancient"})
    assert response.status_code == 400 and DeliberationAboutYou.query.count() == 0


def test_voting_needs_the_csrf_token(app, db):
    from tests.conftest import LiveSettings
    from app import create_app

    consultation, conversation = make_conversation()
    strict = create_app(LiveSettings).test_client()
    response = strict.post(_url(consultation), data={"statement_id": conversation.approved()[0].id, "vote": "agree"})
    assert response.status_code == 400 and Vote.query.count() == 0
