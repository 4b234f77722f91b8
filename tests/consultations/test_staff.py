"""Officers: create and edit consultations and questions, lifecycle, paper entry."""
import html
from datetime import timedelta

import pytest

from app.common.timeutil import to_london, utcnow
from app.consultations.models import Consultation, Question, Response, Topic
from app.extensions import db
from tests import factories
from tests.conftest import login
from tests.consultations.conftest import answers_for, field, response_count


def consultation_form(**overrides):
    data = {"title": "Library opening hours", "summary": "Tell us when you use libraries.",
            "body": "We are reviewing hours.\n\nSecond paragraph.", "scope": "borough",
            "opens_on-day": "1", "opens_on-month": "4", "opens_on-year": "2027", "opens_time": "9am",
            "closes_on-day": "30", "closes_on-month": "6", "closes_on-year": "2027", "closes_time": "11:59pm",
            "audience_tags": ["Young people", "Tenants"], "new_topics": "Libraries, Culture"}
    data.update(overrides)
    return data


def test_staff_index_lists_every_consultation_with_status(officer_client, db):
    factories.consultation(status="draft", title="A draft")
    factories.consultation(status="open", title="An open one")
    page = officer_client.get("/staff/consultations").get_data(as_text=True)
    assert "A draft" in page and "An open one" in page
    assert "govuk-tag--grey" in page and "govuk-tag--green" in page


def test_councillors_cannot_run_consultations(client, db):
    """They may read the list and results of their ward's consultations (test_councillor_access.py)."""
    login(client, factories.user(role="councillor"))
    assert client.get("/staff/consultations/new").status_code == 403
    assert client.post("/staff/consultations/new", data=consultation_form()).status_code == 403
    assert Consultation.query.count() == 0


def test_create_consultation_in_london_time_with_new_topics(officer_client, db):
    ward = factories.ward("Riverside")
    response = officer_client.post("/staff/consultations/new", data=consultation_form(
        scope="wards", wards=[str(ward.id)], opens_time="9:30am"))
    assert response.status_code == 302
    consultation = Consultation.query.one()
    assert consultation.status == "draft" and not consultation.borough_wide
    assert [w.name for w in consultation.wards] == ["Riverside"]
    assert sorted(t.name for t in consultation.topics) == ["Culture", "Libraries"]
    assert consultation.audience_tags == ["Young people", "Tenants"]
    # 9:30am BST on 1 April 2027 is 8:30 UTC; 11:59pm on 30 June is 22:59 UTC.
    assert (consultation.opens_at.hour, consultation.opens_at.minute) == (8, 30)
    assert (consultation.closes_at.hour, consultation.closes_at.minute) == (22, 59)
    # Editing shows the same London times back, and an existing topic can be picked.
    page = officer_client.get(f"/staff/consultations/{consultation.id}/edit").get_data(as_text=True)
    assert 'value="09:30"' in page and 'value="23:59"' in page
    libraries = Topic.query.filter_by(name="Libraries").one()
    officer_client.post(f"/staff/consultations/{consultation.id}/edit", data=consultation_form(
        topics=[str(libraries.id)], new_topics="libraries", title="Renamed"))
    db.session.expire_all()
    assert consultation.title == "Renamed" and [t.name for t in consultation.topics] == ["Libraries"]
    assert Topic.query.count() == 2


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Enter a title"),
    ({"title": "x" * 100_000}, "Title must be 200 characters or fewer"),
    ({"summary": "s" * 401}, "Summary must be 400 characters or fewer"),
    ({"scope": ""}, "Select the whole borough or particular wards"),
    ({"scope": "mars"}, "Select one of the options"),
    ({"scope": "wards"}, "Select at least one ward"),
    ({"wards": ["abc"], "scope": "wards"}, "Select from the options shown"),
    ({"topics": ["99999"]}, "Select from the options shown"),
    ({"audience_tags": ["Aliens"]}, "Select from the options shown"),
    ({"opens_on-day": "", "opens_on-month": "", "opens_on-year": ""}, "Enter the opening date"),
    ({"opens_on-month": ""}, "Opening date must include a month"),
    ({"opens_on-day": "31", "opens_on-month": "2"}, "Opening date must be a real date"),
    ({"opens_on-year": "99999999999999999999"}, "Opening date must have a year between 2000 and 2100"),
    ({"opens_on-day": "x"}, "Opening date must be a real date"),
    ({"opens_time": "teatime"}, "Enter the opening time as a time"),
    ({"opens_time": "25:00"}, "Enter the opening time as a time"),
    ({"closes_time": ""}, "Enter the closing time"),
    ({"closes_on-month": "3"}, "The closing date and time must be after the opening date and time"),
])
def test_consultation_form_errors(officer_client, overrides, message):
    response = officer_client.post("/staff/consultations/new", data=consultation_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page and "There is a problem" in page
    assert Consultation.query.count() == 0
    # What was typed is kept.
    assert "We are reviewing hours." in page


def test_add_questions_reorder_and_delete(officer_client, db):
    consultation = factories.consultation(status="draft", questions=[])
    base = f"/staff/consultations/{consultation.id}"
    officer_client.post(f"{base}/questions/new", data={"kind": "free_text", "text": "First?", "required": "y"})
    officer_client.post(f"{base}/questions/new", data={
        "kind": "multiple_choice", "text": "Second?", "options": "Red\nGreen\n\nBlue\n", "max_choices": "2"})
    db.session.expire_all()
    first, second = consultation.questions
    assert first.required and [o.label for o in second.options] == ["Red", "Green", "Blue"]
    assert second.max_choices == 2
    officer_client.post(f"{base}/questions/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [q.text for q in consultation.questions] == ["Second?", "First?"]
    assert officer_client.post(f"{base}/questions/{second.id}/move", data={"direction": "sideways"}).status_code == 400
    officer_client.post(f"{base}/questions/{first.id}/delete")
    db.session.expire_all()
    assert [q.text for q in consultation.questions] == ["Second?"]
    other = factories.consultation(status="draft")
    assert officer_client.post(f"/staff/consultations/{other.id}/questions/{second.id}/delete").status_code == 404
    assert officer_client.get(f"{base}/questions/abc").status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"kind": "", "text": "Q"}, "Select the type of question"),
    ({"kind": "essay", "text": "Q"}, "Select the type of question"),
    ({"kind": "free_text", "text": ""}, "Enter the question"),
    ({"kind": "free_text", "text": "q" * 100_000}, "The question must be 500 characters or fewer"),
    ({"kind": "single_choice", "text": "Q", "options": "Only one"}, "Enter at least 2 options"),
    ({"kind": "single_choice", "text": "Q", "options": "A\na"}, "Each option must be different"),
    ({"kind": "single_choice", "text": "Q", "options": "A\n" + "b" * 201}, "Each option must be 200 characters or fewer"),
    ({"kind": "single_choice", "text": "Q", "options": "\n".join(str(i) for i in range(40))}, "Enter 30 options or fewer"),
    ({"kind": "multiple_choice", "text": "Q", "options": "A\nB", "max_choices": "lots"}, "as a whole number"),
])
def test_question_form_errors(officer_client, data, message):
    consultation = factories.consultation(status="draft", questions=[])
    response = officer_client.post(f"/staff/consultations/{consultation.id}/questions/new", data=data)
    assert message in response.get_data(as_text=True)
    assert Question.query.count() == 0


def test_answered_questions_cannot_be_corrupted(officer_client, open_consultation, client):
    c = open_consultation
    choice = c.questions[0]
    kept, chosen = choice.options[1], choice.options[0]
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c))  # chooses the first option
    base = f"/staff/consultations/{c.id}/questions"
    page = officer_client.post(f"{base}/{choice.id}/delete").get_data(as_text=True)
    assert "You cannot delete this question: 1 person has already answered it." in page
    page = officer_client.post(f"{base}/{choice.id}", data={"kind": "free_text", "text": "Changed"}).get_data(as_text=True)
    assert "You cannot change the type of question" in page
    page = html.unescape(officer_client.post(f"{base}/{choice.id}", data={
        "kind": "single_choice", "text": "Changed", "options": f"{kept.label}\nBrand new"}).get_data(as_text=True))
    assert f"'{chosen.label}' (1 chose it)" in page
    # Rewording, reordering and adding options is fine; unchosen options may go.
    response = officer_client.post(f"{base}/{choice.id}", data={
        "kind": "single_choice", "text": "Reworded?", "required": "y", "options": f"Brand new\n{chosen.label}"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [o.label for o in choice.options] == ["Brand new", chosen.label]
    assert choice.options[1].id == chosen.id and choice.text == "Reworded?"


def test_lifecycle_launch_close_publish(officer_client, db, client):
    consultation = factories.consultation(status="draft")
    base = f"/staff/consultations/{consultation.id}"
    assert client.get(f"/consultations/{consultation.id}").status_code == 404
    assert "This is a preview" in officer_client.get(f"{base}/preview").get_data(as_text=True)
    assert officer_client.post(f"{base}/publish").status_code == 409
    officer_client.post(f"{base}/launch")
    db.session.expire_all()
    assert consultation.status == "open"
    officer_client.post(f"{base}/close")
    db.session.expire_all()
    assert consultation.status == "closed"
    page = officer_client.post(f"{base}/close").get_data(as_text=True)
    assert "Only an open consultation can be closed." in page
    officer_client.post(f"{base}/publish")
    db.session.expire_all()
    assert consultation.status == "published"
    assert officer_client.post("/staff/consultations/99999/launch").status_code == 404


def test_cannot_launch_without_questions_or_after_closing_date(officer_client, db):
    empty = factories.consultation(status="draft", questions=[])
    page = officer_client.post(f"/staff/consultations/{empty.id}/launch").get_data(as_text=True)
    assert "Add at least one question" in page
    late = factories.consultation(status="draft")
    late.opens_at, late.closes_at = utcnow() - timedelta(days=9), utcnow() - timedelta(days=2)
    db.session.commit()
    assert "closing date has passed" in officer_client.post(f"/staff/consultations/{late.id}/launch").get_data(as_text=True)
    db.session.expire_all()
    assert empty.status == late.status == "draft"


def test_return_to_draft_only_without_responses(officer_client, open_consultation, client):
    c = open_consultation
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c))
    page = officer_client.post(f"/staff/consultations/{c.id}/draft").get_data(as_text=True)
    assert "cannot go back to draft" in page
    db.session.expire_all()
    assert c.status == "open"


def _date_boxes(value):
    return {"collected_on-day": str(value.day), "collected_on-month": str(value.month),
            "collected_on-year": str(value.year)}


def test_date_collected_is_required_and_not_after_the_close(officer_client, db):
    closed = factories.consultation(status="closed")
    url = f"/staff/consultations/{closed.id}/responses/new"
    closes_on = to_london(closed.closes_at).date()
    cases = [
        ({}, "Enter the date the response was collected"),
        ({"collected_on-day": "31", "collected_on-month": "2", "collected_on-year": "2026"}, "must be a real date"),
        ({"collected_on-day": "1", "collected_on-month": "", "collected_on-year": "2026"}, "must include a month"),
        (_date_boxes(closes_on + timedelta(days=1)), "on or before the closing date"),
        ({"collected_on-day": "x" * 5000, "collected_on-month": "1", "collected_on-year": "2026"}, "must be a real date"),
    ]
    for boxes, message in cases:
        response = officer_client.post(url, data={"channel": "event", **boxes})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "There is a problem" in page and message in page, boxes
        assert 'href="#collected_on-' in page  # the error summary links to the boxes
    assert response_count(closed) == 0
    assert officer_client.post(url, data={"channel": "phone", **_date_boxes(closes_on)}).status_code == 302
    export = officer_client.get(f"/staff/consultations/{closed.id}/responses.csv").get_data(as_text=True)
    assert f",Phone,{closes_on.isoformat()}," in export


def test_date_collected_cannot_be_in_the_future(officer_client, open_consultation):
    url = f"/staff/consultations/{open_consultation.id}/responses/new"
    tomorrow = to_london(utcnow()).date() + timedelta(days=1)
    page = officer_client.post(url, data={"channel": "paper", **_date_boxes(tomorrow)}).get_data(as_text=True)
    assert "Date collected must be today or in the past" in page and f'value="{tomorrow.day}"' in page
    assert response_count(open_consultation) == 0


def test_closed_or_published_consultation_cannot_go_back_to_draft(officer_client, db):
    for status in ("closed", "published"):
        c = factories.consultation(status=status)
        response = officer_client.post(f"/staff/consultations/{c.id}/draft")
        assert response.status_code == 409
        assert "Only a scheduled or open consultation can go back to draft" in response.get_data(as_text=True)
        db.session.expire_all()
        assert c.status == status


def test_officer_enters_a_paper_response_without_every_required_answer(officer_client, officer, db):
    closed = factories.consultation(status="closed")
    url = f"/staff/consultations/{closed.id}/responses/new"
    assert "Enter a paper, event or phone response" in officer_client.get(url).get_data(as_text=True)
    on = to_london(closed.closes_at).date() - timedelta(days=2)
    collected = {"collected_on-day": str(on.day), "collected_on-month": str(on.month), "collected_on-year": str(on.year)}
    response = officer_client.post(url, data={"channel": "paper", field(closed, 3): "Written on the form",
                                              "about_age_band": "75_plus", **collected})
    assert response.status_code == 302
    saved = Response.query.one()
    assert saved.channel == "paper" and saved.entered_by_id == officer.id and saved.user_id is None
    assert saved.collected_on == on
    for bad in ({"channel": ""}, {"channel": "online"}, {"channel": "pigeon"},
                {"channel": "event", field(closed, 3): "x" * 100_000}):
        page = officer_client.post(url, data=bad).get_data(as_text=True)
        assert "There is a problem" in page, bad
    assert response_count(closed) == 1
    draft = factories.consultation(status="draft")
    assert officer_client.post(f"/staff/consultations/{draft.id}/responses/new",
                               data={"channel": "paper"}).status_code == 409


def test_every_staff_page_renders(officer_client, open_consultation, client):
    c = open_consultation
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c))
    free_text = c.questions[3]
    for url in ["/staff/consultations", "/staff/consultations/new", f"/staff/consultations/{c.id}",
                f"/staff/consultations/{c.id}/edit", f"/staff/consultations/{c.id}/questions/new",
                f"/staff/consultations/{c.id}/questions/{free_text.id}", f"/staff/consultations/{c.id}/preview",
                f"/staff/consultations/{c.id}/results", f"/staff/consultations/{c.id}/results/breakdown",
                f"/staff/consultations/{c.id}/responses/new"]:
        assert officer_client.get(url).status_code == 200, url
    opens = to_london(c.opens_at)
    assert f'value="{opens.day}"' in officer_client.get(f"/staff/consultations/{c.id}/edit").get_data(as_text=True)


def test_nul_bytes_in_staff_forms_and_search(officer_client, db):
    assert officer_client.post("/staff/consultations/new", data=consultation_form(
        title="Lib\x00rary", new_topics="Cul\x00ture")).status_code == 302
    consultation = Consultation.query.one()
    assert consultation.title == "Library"
    officer_client.post(f"/staff/consultations/{consultation.id}/questions/new",
                        data={"kind": "free_text", "text": "Why\x00?"})
    question = Question.query.one()
    assert question.text == "Why?"
    url = f"/staff/consultations/{consultation.id}/results/questions/{question.id}?q=a%00b"
    assert officer_client.get(url).status_code == 200
