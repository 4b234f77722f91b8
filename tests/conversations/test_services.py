"""Hosts, records and how accepted records count: one response per conversation, weighted by
its people, labelled as a group's view."""
from datetime import date, timedelta

import pytest

from app.consultations import results
from app.consultations.models import Answer, Response
from app.conversations import services
from app.conversations.models import ConversationEntry, ConversationRecord
from app.common.transaction import commit
from app.extensions import db
from tests import factories
from tests.conversations.helpers import approved_host


def _record(host, participants=12, notes="More benches and lighting by the pond", words=("Toilets open later",)):
    question = host.consultation.free_text_questions[0]
    position = host.consultation.questions.index(question)
    record = ConversationRecord(host=host, consultation=host.consultation, held_on=date.today() - timedelta(days=1),
                                place="Mill Lane hall", participants=participants, tallies={"65_74": 3})
    record.entries.append(ConversationEntry(position=position, question_id=question.id, question_text=question.text,
                                            kind="notes", text=notes))
    for w in words:
        record.entries.append(ConversationEntry(position=position, question_id=question.id,
                                                question_text=question.text, kind="person", text=w))
    db.session.add(record)
    commit()
    return record


def test_register_refuses_closed_consultation_and_unknown_subject(db):
    closed = factories.consultation(status="closed")
    with pytest.raises(services.ConversationError, match="no longer open") as raised:
        services.register_host("A", "B", "school", "a@example.org", f"c{closed.id}")
    assert raised.value.field == "subject"
    with pytest.raises(services.ConversationError, match="Select what"):
        services.register_host("A", "B", "school", "a@example.org", "x1")


def test_approval_emails_a_working_link_and_decline_gives_reason(db, officer, sent_emails):
    consultation = factories.consultation()
    host = approved_host(consultation, officer)
    body = sent_emails[-1].get_body(("plain",)).get_content()
    token = body.split("/conversations/host/")[1].split()[0]
    assert services.host_for_token(token).id == host.id
    assert services.host_for_token(token + "x") is None

    other = services.register_host("B", "St Mary's school", "school", "b@example.org", f"c{consultation.id}")
    services.decide_host(other, officer, "decline", "We already have a conversation at this school")
    commit()
    assert "We already have a conversation" in sent_emails[-1].get_body(("plain",)).get_content()
    assert services.host_for_token(services.host_token(other)) is None  # declined: no way in
    with pytest.raises(services.ConversationError):
        services.decide_host(other, officer, "approve")


def test_link_stops_working_when_expired(app, db, officer, monkeypatch):
    host = approved_host(factories.consultation(), officer)
    token = services.host_token(host)
    monkeypatch.setitem(app.config, "CONVERSATION_LINK_MAX_AGE_DAYS", -1)
    assert services.host_for_token(token) is None


def test_accept_makes_one_group_response_weighted_by_its_people(db, officer):
    consultation = factories.consultation()
    host = approved_host(consultation, officer)
    record = _record(host, participants=12)
    services.decide_record(record, officer, "accept")
    commit()

    response = db.session.get(Response, record.response_id)
    assert response.channel == "group" and response.collected_on == record.held_on
    answers = db.session.query(Answer).filter_by(response_id=response.id).all()
    assert sorted(a.text for a in answers) == ["More benches and lighting by the pond", "Toilets open later"]
    views = services.group_views([a.id for a in answers])
    notes = next(a for a in answers if a.text.startswith("More"))
    assert views[notes.id].weight == 12 and "group conversation: 12 people" in views[notes.id].label
    person = next(a for a in answers if a.text.startswith("Toilets"))
    assert views[person.id].weight == 1 and "Said in a group conversation of 12 people" in views[person.id].label
    assert record.editable is False
    with pytest.raises(services.ConversationError):
        services.decide_record(record, officer, "return", "too late")


def test_results_say_how_many_people_through_how_many_conversations(db, officer):
    consultation = factories.consultation()
    host = approved_host(consultation, officer)
    for people in (12, 9):
        services.decide_record(_record(host, participants=people), officer, "accept")
    _record(host, participants=40)  # not accepted: doesn't count
    commit()
    assert services.participation(consultation.id) == (21, 2)
    group = next(row for row in results.by_channel(consultation) if row.label.startswith("Group conversation"))
    assert group.count == 2 and group.label.endswith("21 people took part through 2 group conversations")


def test_return_sends_note_and_host_can_resubmit(db, officer, sent_emails):
    host = approved_host(factories.consultation(), officer)
    record = _record(host)
    services.decide_record(record, officer, "return", "Please remove the name in question 4")
    commit()
    assert record.status == "returned"
    assert "Please remove the name" in sent_emails[-1].get_body(("plain",)).get_content()
    record.resubmit()
    assert record.status == "submitted"


def test_theme_weight_counts_people_behind_group_comments(db, officer):
    from app.themes.models import Theme, ThemeAssignment

    consultation = factories.consultation()
    host = approved_host(consultation, officer)
    record = _record(host, participants=15, words=())
    services.decide_record(record, officer, "accept")
    question = consultation.free_text_questions[0]
    single = Response(consultation=consultation)
    single.answers.append(Answer(question_id=question.id, text="Lighting please"))
    db.session.add(single)
    db.session.flush()
    theme = Theme(question_id=question.id, label="Lighting")
    db.session.add(theme)
    db.session.flush()
    for answer_id in (record.entries[0].answer_id, single.answers[0].id):
        db.session.add(ThemeAssignment(answer_id=answer_id, theme_id=theme.id, rank=1))
    commit()
    assert services.theme_weight(theme) == {"comments": 2, "group_comments": 1, "people": 16}


def test_split_words_one_person_a_paragraph():
    assert services.split_words("Ann said this\n\n\r\nBob  said\nthat\n\n") == ["Ann said this", "Bob said that"]
