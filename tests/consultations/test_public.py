"""Residents: find consultations, respond (with mistakes), confirmation, one response each."""
import html

from app.consultations.models import AboutYou, Answer, Response, Topic
from app.extensions import db
from tests import factories
from tests.conftest import login
from tests.consultations.conftest import answers_for, field, response_count


def test_index_groups_by_status_and_hides_drafts(client, db):
    factories.consultation(status="open", title="Open one")
    factories.consultation(status="closed", title="Closed one")
    factories.consultation(status="published", title="Published one")
    factories.consultation(status="draft", title="Secret draft")
    page = client.get("/consultations").get_data(as_text=True)
    assert "Open one" in page and "Closed one" in page and "Published one" in page
    assert "Secret draft" not in page
    assert page.index("Open one") < page.index("Closed one") < page.index("Published one")
    assert "Closed: results coming soon" in page


def test_index_filters_by_ward_and_topic(client, db):
    north, south = factories.ward("North"), factories.ward("South")
    libraries = Topic(name="Libraries", slug="libraries")
    db.session.add(libraries)
    in_north = factories.consultation(title="North only", borough_wide=False, wards=[north])
    factories.consultation(title="South only", borough_wide=False, wards=[south])
    everywhere = factories.consultation(title="Borough wide")
    everywhere.topics.append(libraries)
    db.session.commit()
    page = client.get(f"/consultations?ward={north.id}").get_data(as_text=True)
    assert "North only" in page and "Borough wide" in page and "South only" not in page
    page = client.get("/consultations?topic=libraries").get_data(as_text=True)
    assert "Borough wide" in page and "North only" not in page
    # Nonsense filters are ignored, never an error.
    for query in ("?ward=abc", "?ward=99999999999999", "?topic=" + "x" * 5000, "?ward=-1&topic=%00"):
        response = client.get("/consultations" + query)
        assert response.status_code == 200, query
        assert "North only" in response.get_data(as_text=True)
    assert in_north.id


def test_topic_filter_lists_only_topics_of_visible_consultations(client, db):
    shown, secret, unused = Topic(name="Parks", slug="parks"), Topic(name="Library closures", slug="library-closures"), \
        Topic(name="Unused", slug="unused")
    db.session.add_all([shown, secret, unused])
    factories.consultation(status="closed", title="Park plans", topics=[shown])
    factories.consultation(status="draft", title="Secret draft", topics=[secret])
    page = client.get("/consultations").get_data(as_text=True)
    assert 'value="parks"' in page
    assert "Library closures" not in page and "Unused" not in page
    # Asking for the draft's topic by hand does not name it either.
    page = client.get("/consultations?topic=library-closures").get_data(as_text=True)
    assert "Library closures" not in page and "Park plans" in page


def test_line_breaks_count_once_towards_the_answer_limit(client, open_consultation):
    """5,000 characters as the GOV.UK character count sees them, though the browser sends \r\n."""
    c = open_consultation
    typed = ("x" * 99 + "\r\n") * 49 + "y" * 100  # 5,000 characters with \n, 5,049 as sent
    response = client.post(f"/consultations/{c.id}/respond", data=answers_for(c, q3=typed))
    assert response.status_code == 302
    assert Answer.query.filter(Answer.text.isnot(None)).one().text == typed.replace("\r\n", "\n")
    too_long = client.post(f"/consultations/{c.id}/respond", data=answers_for(c, q3=typed + "z"))
    assert "5,000 characters or fewer" in too_long.get_data(as_text=True)


def test_draft_is_404_for_the_public_and_unknown_ids_too(client, db):
    draft = factories.consultation(status="draft")
    for url in (f"/consultations/{draft.id}", f"/consultations/{draft.id}/respond",
                f"/consultations/{draft.id}/results", "/consultations/999999", "/consultations/999/respond"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/consultations/{draft.id}/respond", data={}).status_code == 404
    assert client.get("/consultations/abc").status_code == 404


def test_show_page_invites_a_response_while_open(client, open_consultation):
    page = client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)
    assert "Respond to this consultation" in page
    assert "Some body text." in page


def test_respond_form_is_built_from_the_questions(client, open_consultation):
    page = client.get(f"/consultations/{open_consultation.id}/respond").get_data(as_text=True)
    for question in open_consultation.questions:
        assert question.text in page
    assert 'type="radio"' in page and 'type="checkbox"' in page and "govuk-character-count" in page
    assert "Strongly agree" in page
    assert "About you (optional)" in page and "Prefer not to say" in page
    assert "Rent from a housing association" in page and "Under 16" in page
    assert "2021 Census" in page and "never shown next to them" in page


def test_successful_response_saves_everything_and_shows_reference(client, open_consultation):
    data = answers_for(open_consultation, about_age_band="16_17", about_tenure="social_ha",
                       about_ethnic_group="black_caribbean", keep_informed="y", contact_email="Sam@Example.org")
    response = client.post(f"/consultations/{open_consultation.id}/respond", data=data)
    assert response.status_code == 302
    saved = Response.query.one()
    assert saved.channel == "online" and saved.keep_informed and saved.contact_email == "sam@example.org"
    assert len(saved.answers) == 5  # single, agreement, two ticked options, free text
    about = AboutYou.query.one()
    assert (about.age_band, about.tenure, about.ethnic_group) == ("16_17", "social_ha", "black_caribbean")
    assert AboutYou.for_response(saved.id) is about and about.sex is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert saved.reference in page and "What happens next" in page and "govuk-panel" in page


def test_missing_required_answers_show_errors_and_keep_every_answer(client, open_consultation):
    c = open_consultation
    data = answers_for(c, q0="", q3="", about_sex="female")
    data[field(c, 1)] = "2"
    response = client.post(f"/consultations/{c.id}/respond", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response_count(c) == 0
    assert "There is a problem" in page and "Select an answer" in page and "Enter your answer" in page
    assert f'href="#{field(c, 0)}"' in page
    assert "<title>Error:" in page
    # What they did answer is still there.
    assert 'value="2" checked' in page
    assert f'value="{c.questions[2].options[1].id}" checked' in page
    assert 'value="female" checked' in page


def test_malformed_and_oversized_input_is_refused_politely(client, open_consultation):
    c = open_consultation
    cases = [
        {field(c, 0): "not-a-number"}, {field(c, 0): "999999"}, {field(c, 1): "6"}, {field(c, 1): "x"},
        {field(c, 2): ["abc"]}, {field(c, 3): "x" * 100_000}, {"about_age_band": "200"},
        {"about_ethnic_group": "martian"}, {"about_ward": "abc"}, {"about_ward": "999"},
        {"keep_informed": "y", "contact_email": ""}, {"keep_informed": "y", "contact_email": "not an email"},
        {"keep_informed": "y", "contact_email": "a" * 300 + "@example.org"},
    ]
    for overrides in cases:
        data = answers_for(c)
        data.update(overrides)
        response = client.post(f"/consultations/{c.id}/respond", data=data)
        assert response.status_code == 200, overrides
        assert "There is a problem" in response.get_data(as_text=True), overrides
    assert response_count(c) == 0
    # Text is kept when too long.
    data = answers_for(c, q3="kept " * 2000)
    assert "kept kept" in client.post(f"/consultations/{c.id}/respond", data=data).get_data(as_text=True)


def test_optional_questions_can_be_skipped_and_about_you_left_out(client, open_consultation):
    c = open_consultation
    data = answers_for(c)
    del data[field(c, 1)], data[field(c, 2)]
    assert client.post(f"/consultations/{c.id}/respond", data=data).status_code == 302
    assert AboutYou.query.count() == 0
    assert Answer.query.count() == 2


def test_closed_consultation_refuses_responses_and_says_so(client, db):
    closed = factories.consultation(status="closed")
    page = client.get(f"/consultations/{closed.id}/respond").get_data(as_text=True)
    assert "This consultation has closed" in page and "no longer taking responses" in page
    response = client.post(f"/consultations/{closed.id}/respond", data=answers_for(closed))
    assert "could not save your answers" in response.get_data(as_text=True)
    assert response_count(closed) == 0
    assert "no longer taking responses" in client.get(f"/consultations/{closed.id}").get_data(as_text=True)


def test_scheduled_consultation_is_visible_but_not_open(client, db):
    scheduled = factories.consultation(status="scheduled")
    assert "opens on" in client.get(f"/consultations/{scheduled.id}").get_data(as_text=True)
    client.post(f"/consultations/{scheduled.id}/respond", data=answers_for(scheduled))
    assert response_count(scheduled) == 0


def test_signed_in_resident_has_one_response_and_can_change_it(client, open_consultation):
    c = open_consultation
    resident = factories.user(role="resident")
    login(client, resident)
    form = client.get(f"/consultations/{c.id}/respond").get_data(as_text=True)
    assert resident.email in form  # keep-informed email offered
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c, about_sex="male"))
    first = Response.query.one()
    assert first.user_id == resident.id
    form = client.get(f"/consultations/{c.id}/respond").get_data(as_text=True)
    assert "Change your response" in form and first.reference in form
    assert "More benches, please." in form and 'value="male" checked' in form
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c, q3="Fewer cars."))
    assert Response.query.count() == 1
    db.session.expire_all()
    texts = [a.text for a in Response.query.one().answers if a.text]
    assert texts == ["Fewer cars."]
    assert AboutYou.query.count() == 0  # they cleared "About you" the second time
    account = client.get("/account").get_data(as_text=True)
    assert c.title in account and first.reference in account


def test_signed_in_resident_cannot_change_after_close(client, open_consultation):
    c = open_consultation
    login(client, factories.user(role="resident"))
    client.post(f"/consultations/{c.id}/respond", data=answers_for(c))
    c.close()
    db.session.commit()
    response = client.post(f"/consultations/{c.id}/respond", data=answers_for(c, q3="Too late"))
    assert "has closed" in response.get_data(as_text=True)
    assert not Answer.query.filter_by(text="Too late").count()


def test_confirmation_without_a_response_goes_back_to_the_consultation(client, open_consultation):
    response = client.get(f"/consultations/{open_consultation.id}/respond/confirmation")
    assert response.status_code == 302


def test_public_results_only_once_published_and_only_aggregates(client, db):
    closed = factories.consultation(status="closed")
    assert client.get(f"/consultations/{closed.id}/results").status_code == 404
    published = factories.consultation(status="published")
    db.session.add(Response(consultation=published, answers=[
        Answer(question_id=published.questions[0].id, option_id=published.questions[0].options[0].id),
        Answer(question_id=published.questions[3].id, text="A private comment")]))
    db.session.commit()
    page = client.get(f"/consultations/{published.id}/results").get_data(as_text=True)
    assert "Every day" in page and "100%" in page
    assert "A private comment" not in page


def test_nul_bytes_never_reach_the_database(client, open_consultation):
    c = open_consultation
    assert client.get("/consultations?topic=a%00b").status_code == 200
    response = client.post(f"/consultations/{c.id}/respond", data=answers_for(c, q3="Bench\x00es"))
    assert response.status_code == 302, response.get_data(as_text=True).split("govuk-error-summary__list")[-1][:400]
    assert Answer.query.filter_by(text="Benches").count() == 1


def test_every_error_message_names_its_question(client, open_consultation):
    """GOV.UK: "Select how often you use the park", never three alike "Select an answer"s."""
    c = open_consultation
    c.questions[2].max_choices = 1
    c.questions[3].text = "Tell us " + "about the changes you would most like to see " * 5
    db.session.commit()
    data = answers_for(c, q0="", q3="")
    data[field(c, 2)] = [str(o.id) for o in c.questions[2].options[:2]]
    page = html.unescape(client.post(f"/consultations/{c.id}/respond", data=data).get_data(as_text=True))
    summary = page[page.index("govuk-error-summary"):page.index("</ul>", page.index("govuk-error-summary"))]
    assert "Select an answer to “How often do you visit a park?”" in summary
    assert "Choose 1 or fewer answers to “What matters most?”" in summary
    assert "Enter your answer to “Tell us about the changes you would most like to see about the…”" in summary
    # The same words beside each field.
    assert page.count("Select an answer to “How often do you visit a park?”") == 2
    assert response_count(c) == 0
