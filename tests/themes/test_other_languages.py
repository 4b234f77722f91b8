"""Comments not in English are set aside by language, never forced into English themes."""
from sqlalchemy import select

from app.consultations.models import Answer
from app.extensions import db
from app.themes import services
from app.themes.models import ThemeAssignment
from tests.themes.conftest import add_response, run

WELSH = ["Mae angen mwy o finiau ar y stryd fawr os gwelwch yn dda",
         "Trwsiwch y goleuadau stryd ar lwybr y gamlas os gwelwch yn dda",
         "Mae'r bysiau yn hwyr bob dydd"]
POLISH = ["Potrzebujemy więcej koszy na śmieci w parku"]


def _add(consultation, texts):
    ids = [add_response(consultation, text, agreement=3).answers[0].id for text in texts]
    db.session.commit()
    return ids


def test_welsh_and_polish_comments_are_set_aside_by_language(officer_client, consultation, question):
    welsh, polish = _add(consultation, WELSH), _add(consultation, POLISH)
    analysis = run(question)
    assert analysis.language_ids == {**{str(i): "cy" for i in welsh}, **{str(i): "pl" for i in polish}}
    placed = set(db.session.scalars(select(ThemeAssignment.answer_id)))
    assert placed.isdisjoint(welsh + polish)

    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "4 were in another language" in page
    assert "Comments in Welsh (3)" in page and "Comments in Polish (1)" in page
    assert 'lang="cy"' in page and "Mae angen mwy o finiau" in page
    report = officer_client.get(f"/staff/consultations/{consultation.id}/report").get_data(as_text=True)
    assert "3 in Welsh, 1 in Polish" in report


def test_an_officer_puts_a_set_aside_comment_in_a_theme_and_it_stays_on_rerun(officer_client, consultation,
                                                                              question):
    (welsh,) = _add(consultation, WELSH[:1])
    run(question)
    bins = next(t for t in services.question_themes(question.id) if "bin" in " ".join(t.keywords))
    url = f"/staff/themes/questions/{question.id}/comments/{welsh}/place"
    page = officer_client.post(url, data={"theme": ""}).get_data(as_text=True)
    assert "Select the theme to move this comment to" in page and "govuk-error-summary" in page
    assert officer_client.post(url, data={"theme": str(bins.id)}).status_code == 302
    run(question)
    main = db.session.scalars(select(ThemeAssignment).where(ThemeAssignment.answer_id == welsh,
                                                            ThemeAssignment.rank == 1)).one()
    assert main.theme_id == bins.id and main.by_officer
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Comments in Welsh" not in page


def test_a_comment_in_another_language_arriving_after_the_run_is_set_aside_too(consultation, question):
    run(question)
    (late,) = _add(consultation, POLISH)
    (english,) = _add(consultation, ["The bins by the gate are overflowing again"])
    assert {a.id for a in services.unplaced_answers(question.id)} == {late, english}
    assert services.assign_new_answers(question) == 1
    analysis = services.latest_finished_analysis(question.id)
    assert analysis.language_ids == {str(late): "pl"}
    assert services.unplaced_answers(question.id) == []
    assert db.session.get(Answer, english).text.startswith("The bins")


def test_only_editors_can_place_comments(app, client, councillor, consultation, question):
    from tests.conftest import login

    (welsh,) = _add(consultation, WELSH[:1])
    run(question)
    url = f"/staff/themes/questions/{question.id}/comments/{welsh}/place"
    assert client.get(url).status_code in (302, 401, 403)
    login(client, councillor)
    assert client.get(url).status_code == 403
