"""Running the analysis: the job's lifecycle, what it stores, and the pages that show it."""
from sqlalchemy import select

from app.consultations.models import Answer
from app.extensions import db
from app.themes import services
from app.themes.models import Theme, ThemeAnalysis, ThemeAssignment
from tests.themes.conftest import CAMPAIGN_COPIES, NON_ANSWERS, THEMES, run, theme_with


def comment_count():
    return sum(len(v) for v in THEMES.values()) + len(NON_ANSWERS) + CAMPAIGN_COPIES


def test_officer_runs_the_analysis_and_it_goes_from_queued_to_done(officer_client, question):
    response = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": "4", "seed": "3"})
    assert response.status_code == 302
    analysis = db.session.scalars(select(ThemeAnalysis)).one()
    assert response.headers["Location"].endswith(f"/staff/themes/analyses/{analysis.id}")
    assert (analysis.status, analysis.progress, analysis.requested_themes, analysis.seed) == ("done", 100, 4, 3)
    assert analysis.finished_at is not None and analysis.seconds > 0
    page = officer_client.get(f"/staff/themes/analyses/{analysis.id}").get_data(as_text=True)
    assert "The analysis has finished" in page and 'http-equiv="refresh"' not in page


def test_blank_number_of_themes_means_automatic(officer_client, question):
    officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": "", "seed": ""})
    analysis = db.session.scalars(select(ThemeAnalysis)).one()
    assert analysis.requested_themes is None and analysis.seed == 0 and analysis.status == "done"
    assert len(services.question_themes(question.id)) >= 2


def test_themes_are_stored_with_sizes_examples_non_answers_and_duplicates(question, analysed):
    assert analysed.comment_count == comment_count()  # the blank answer is not a comment
    assert analysed.non_answer_count == len(NON_ANSWERS)
    assert len(analysed.non_answer_ids) == len(NON_ANSWERS)
    assert [len(g) for g in analysed.duplicate_groups] == [CAMPAIGN_COPIES]
    themes = services.question_themes(question.id)
    assert len(themes) == 4
    assert sum(t.size for t in themes) == comment_count() - len(NON_ANSWERS)
    for theme in themes:
        members = set(db.session.scalars(select(ThemeAssignment.answer_id).where(
            ThemeAssignment.theme_id == theme.id, ThemeAssignment.rank == 1)))
        assert len(members) == theme.size
        assert 3 <= len(theme.examples) <= 5 and set(theme.examples) <= members
        assert theme.signature.get("texts") and theme.label and theme.keywords
    parking = theme_with(question, "permit")
    parking_texts = {db.session.get(Answer, a).text for a in parking.examples}
    assert parking_texts <= set(THEMES["parking"])
    assert theme_with(question, "play").size >= len(THEMES["play"]) + CAMPAIGN_COPIES - 1
    assert analysed.model_state and len(analysed.theme_ids) == 4


def test_themes_page_shows_chart_table_non_answers_and_repeated_comments(officer_client, question, analysed):
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "<svg" in page and 'id="themes-table"' in page
    for theme in services.question_themes(question.id):
        assert theme.display_label in page
    assert f"of which {len(NON_ANSWERS)} were non-answers" in page
    assert "Repeated comments" in page and "Save Hollybush Lane" in page
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Copies">{CAMPAIGN_COPIES}</td>' in page


def test_a_running_analysis_page_refreshes_itself_and_survives_a_reload(officer_client, question):
    analysis = ThemeAnalysis(question_id=question.id, status="running", progress=40, message="comments vectorised")
    db.session.add(analysis)
    db.session.commit()
    for _ in range(2):  # a reload shows the same state
        page = officer_client.get(f"/staff/themes/analyses/{analysis.id}").get_data(as_text=True)
        assert "window.location.reload()" in page
        assert "40%" in page and "comments vectorised" in page
    still = officer_client.get(f"/staff/themes/analyses/{analysis.id}?refresh=off").get_data(as_text=True)
    assert "window.location.reload()" not in still and "40%" in still
    question_page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "The analysis is running (40%)" in question_page


def test_a_second_run_is_refused_while_one_is_running(officer_client, question):
    db.session.add(ThemeAnalysis(question_id=question.id, status="running"))
    db.session.commit()
    response = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={})
    assert response.headers["Location"].endswith(f"/staff/themes/questions/{question.id}")
    with officer_client.session_transaction() as session:
        assert "already running" in str(session["_flashes"])
    assert db.session.query(ThemeAnalysis).count() == 1


def test_failure_is_recorded_with_a_message_and_earlier_themes_are_untouched(officer_client, question, analysed):
    before = {(t.id, t.label, t.size) for t in services.question_themes(question.id)}
    for answer in db.session.scalars(select(Answer).where(Answer.question_id == question.id)):
        answer.text = ""
    db.session.commit()
    failed = run(question)
    assert failed.status == "failed"
    assert "no free-text answers" in failed.message
    assert {(t.id, t.label, t.size) for t in services.question_themes(question.id)} == before
    page = officer_client.get(f"/staff/themes/analyses/{failed.id}").get_data(as_text=True)
    assert "The analysis did not finish" in page and "no free-text answers" in page


def test_run_analysis_ignores_unknown_and_finished_analyses(question, analysed):
    services.run_analysis(999999)
    services.run_analysis(analysed.id)  # already done: not run twice
    assert db.session.get(ThemeAnalysis, analysed.id).status == "done"


def test_malformed_run_form_values_get_clear_errors(officer_client, question):
    cases = {
        "abc": "Enter the number of themes as a whole number",
        "1": "Number of themes must be between 2 and 40",
        "41": "Number of themes must be between 2 and 40",
        "9" * 100_000: "Enter the number of themes as a whole number",
        "-3": "Number of themes must be between 2 and 40",
    }
    for value, message in cases.items():
        response = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": value})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page and "There is a problem" in page
    response = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"seed": "x" * 100_000})
    assert "Enter the seed as a whole number" in response.get_data(as_text=True)
    response = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": "12abc"})
    assert 'value="12abc"' in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.query(ThemeAnalysis).count() == 0


def test_unknown_ids_are_404(officer_client, consultation, analysed):
    choice_question = next(q for q in consultation.questions if q.kind != "free_text")
    theme = db.session.scalars(select(Theme)).first()
    for url in ["/staff/themes/questions/999999", f"/staff/themes/questions/{choice_question.id}",
                "/staff/themes/analyses/999999", "/staff/themes/999999", "/staff/themes/999999/who",
                "/staff/consultations/999999/themes", "/staff/themes/questions/999999/themes.csv",
                "/staff/themes/999999/rename", "/staff/themes/999999/split",
                f"/staff/themes/{theme.id}/comments/999999/move", f"/staff/themes/{theme.id}/page/abc"]:
        assert officer_client.get(url).status_code == 404, url
    for url in ["/staff/themes/questions/999999/run", "/staff/themes/999999/relevance",
                f"/staff/themes/{theme.id}/links/999999/confirm", "/staff/themes/999999/links",
                "/staff/themes/questions/999999/place-new", "/staff/themes/questions/999999/merge"]:
        assert officer_client.post(url, data={}).status_code == 404, url
    assert officer_client.get(f"/staff/themes/{theme.id}?page=999").status_code == 404
    assert officer_client.get(f"/staff/themes/{theme.id}?page=abc").status_code == 200


def test_index_and_consultation_pages_list_free_text_questions(officer_client, consultation, question):
    page = officer_client.get("/staff/themes").get_data(as_text=True)
    assert consultation.title in page and question.text in page
    response = officer_client.get(f"/staff/consultations/{consultation.id}/themes")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/themes/questions/{question.id}")


def test_residents_cannot_see_themes(client, question):
    """Councillors' ward rule is tested in tests/themes/test_councillor_access.py."""
    from tests import factories
    from tests.conftest import login

    login(client, factories.user(role="resident"))
    assert client.get(f"/staff/themes/questions/{question.id}").status_code == 403
