"""Officers' edits, each through the real pages, and each surviving a re-run."""
from sqlalchemy import select

from app.consultations.models import Answer
from app.extensions import db
from app.themes import services
from app.themes.models import Theme, ThemeAssignment
from tests.themes.conftest import THEMES, add_response, run, theme_with

LONG = "x" * 100_000


def main_theme_of(answer_id):
    return db.session.scalars(select(ThemeAssignment).where(
        ThemeAssignment.answer_id == answer_id, ThemeAssignment.rank == 1)).first()


def answer_with_text(text):
    return db.session.scalars(select(Answer).where(Answer.text == text)).one()


def test_rename_is_kept_after_a_rerun(officer_client, question, analysed):
    parking = theme_with(question, "permit")
    page = officer_client.get(f"/staff/themes/{parking.id}/rename").get_data(as_text=True)
    assert f'value="{parking.label}"' in page
    response = officer_client.post(f"/staff/themes/{parking.id}/rename", data={"label": "  Parking   permits "})
    assert response.status_code == 302
    assert db.session.get(Theme, parking.id).officer_label == "Parking permits"
    run(question, seed=0)
    db.session.expire_all()
    renamed = db.session.scalars(select(Theme).where(Theme.officer_label == "Parking permits")).one()
    assert renamed.id == parking.id and renamed.size >= len(THEMES["parking"]) - 1
    assert "Parking permits" in officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)


def test_rename_rejects_blank_and_oversized_names(officer_client, question, analysed):
    theme = theme_with(question, "permit")
    for value, message in [("", "Enter a name for the theme"), ("   ", "Enter a name for the theme"),
                           (LONG, "120 characters or fewer")]:
        response = officer_client.post(f"/staff/themes/{theme.id}/rename", data={"label": value})
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.get(Theme, theme.id).officer_label is None


def test_not_relevant_is_kept_after_a_rerun(officer_client, question, analysed):
    bins = theme_with(question, "bin")
    officer_client.post(f"/staff/themes/{bins.id}/relevance", data={"relevance": "not_relevant"})
    assert db.session.get(Theme, bins.id).not_relevant
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Themes left out of reports" in page and "marked not relevant" in page
    run(question)
    db.session.expire_all()
    assert db.session.get(Theme, bins.id).not_relevant and db.session.get(Theme, bins.id).size >= 9
    officer_client.post(f"/staff/themes/{bins.id}/relevance", data={"relevance": "relevant"})
    assert not db.session.get(Theme, bins.id).not_relevant
    assert officer_client.post(f"/staff/themes/{bins.id}/relevance", data={"relevance": "maybe"}).status_code == 400
    assert officer_client.post(f"/staff/themes/{bins.id}/relevance", data={}).status_code == 400


def test_merge_moves_comments_and_is_kept_after_a_rerun(officer_client, question, analysed):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    total = parking.size + bins.size
    response = officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                                   data={"themes": [str(parking.id), str(bins.id)], "keep": str(parking.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/themes/{parking.id}")
    db.session.expire_all()
    parking, bins = db.session.get(Theme, parking.id), db.session.get(Theme, bins.id)
    assert bins.merged_into_id == parking.id and parking.size == total
    assert len(parking.signature["texts"]) > 20  # covers both themes
    # The merged-away theme's page leads to the merged theme.
    assert officer_client.get(f"/staff/themes/{bins.id}").headers["Location"].endswith(f"/staff/themes/{parking.id}")
    run(question)
    db.session.expire_all()
    current = services.question_themes(question.id)
    assert db.session.get(Theme, bins.id).merged_into_id == parking.id
    assert bins.id not in {t.id for t in current}
    merged = db.session.get(Theme, parking.id)
    bin_answer = answer_with_text(THEMES["bins"][0])
    assert main_theme_of(bin_answer.id).theme_id == parking.id
    assert merged.size >= total - 2
    # The merge stays on record however the re-run found it (as one theme or as its parts),
    # so a third run keeps it too.
    assert len(merged.signature.get("parts") or []) >= 2
    run(question)
    db.session.expire_all()
    assert main_theme_of(bin_answer.id).theme_id == parking.id
    assert len(db.session.get(Theme, parking.id).signature.get("parts") or []) >= 2


def test_merge_form_errors(officer_client, question, analysed):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    url = f"/staff/themes/questions/{question.id}/merge"
    cases = [
        ({}, "Select at least two themes to merge"),
        ({"themes": [str(parking.id)], "keep": str(parking.id)}, "Select at least two themes to merge"),
        ({"themes": ["abc", "999999"], "keep": "abc"}, "Select at least two themes to merge"),
        ({"themes": [str(parking.id), str(bins.id)]}, "Select the theme whose name to keep"),
        ({"themes": [str(parking.id), str(bins.id)], "keep": "999999"}, "Select the theme whose name to keep"),
        ({"themes": [str(parking.id), str(bins.id)], "keep": str(theme_with(question, "dark").id)},
         "must be one of the themes you merge"),
        ({"themes": [LONG, LONG], "keep": LONG}, "Select at least two themes to merge"),
    ]
    for data, message in cases:
        response = officer_client.post(url, data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True), data
    assert db.session.scalar(select(Theme).where(Theme.merged_into_id.is_not(None))) is None


def test_split_recluster_one_theme_into_parts(officer_client, question, analysed):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                        data={"themes": [str(parking.id), str(bins.id)], "keep": str(parking.id)})
    db.session.expire_all()
    merged = db.session.get(Theme, parking.id)
    size = merged.size
    response = officer_client.post(f"/staff/themes/{merged.id}/split", data={"parts": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    themes = services.question_themes(question.id)
    assert len(themes) == 4  # four, one merged away, one split off
    merged = db.session.get(Theme, parking.id)
    new = max(themes, key=lambda t: t.id)
    assert merged.size + new.size == size and min(merged.size, new.size) >= 5
    # The split separated parking from bins.
    assert main_theme_of(answer_with_text(THEMES["parking"][0]).id).theme_id != \
        main_theme_of(answer_with_text(THEMES["bins"][0]).id).theme_id


def test_split_form_errors(officer_client, question, analysed):
    theme = theme_with(question, "permit")
    url = f"/staff/themes/{theme.id}/split"
    for value, message in [("", "Enter how many themes to split it into"), ("1", "between 2 and 10"),
                           ("11", "between 2 and 10"), ("two", "Enter a whole number between 2 and 10"),
                           (LONG, "Enter a whole number between 2 and 10")]:
        response = officer_client.post(url, data={"parts": value})
        assert response.status_code == 200 and message in response.get_data(as_text=True), value
    assert len(services.question_themes(question.id)) == 4


def test_split_refuses_a_theme_with_too_few_different_comments(officer_client, db):
    from tests import factories
    from tests.themes.conftest import free_text_question

    consultation = factories.consultation(status="closed")
    for text in THEMES["bins"][:5] + THEMES["parking"][:5]:
        add_response(consultation, text)
    db.session.commit()
    question = free_text_question(consultation)
    run(question, n_themes=2)
    theme = services.question_themes(question.id)[0]
    response = officer_client.post(f"/staff/themes/{theme.id}/split", data={"parts": "10"})
    assert response.status_code == 200
    assert f"This theme has only {theme.size} different comments" in response.get_data(as_text=True)
    assert len(services.question_themes(question.id)) == 2


def test_move_comment_is_kept_after_a_rerun(officer_client, question, analysed):
    parking, lighting = theme_with(question, "permit"), theme_with(question, "dark")
    answer = answer_with_text(THEMES["parking"][2])  # "nowhere to park ... in the evening"
    assert main_theme_of(answer.id).theme_id == parking.id
    page = officer_client.get(f"/staff/themes/{parking.id}/comments/{answer.id}/move").get_data(as_text=True)
    assert "nowhere to park" in page
    response = officer_client.post(f"/staff/themes/{parking.id}/comments/{answer.id}/move",
                                   data={"theme": str(lighting.id)})
    assert response.status_code == 302
    moved = main_theme_of(answer.id)
    assert moved.theme_id == lighting.id and moved.by_officer
    run(question)
    db.session.expire_all()
    again = main_theme_of(answer.id)
    assert again.theme_id == lighting.id and again.by_officer
    lighting_page = officer_client.get(f"/staff/themes/{lighting.id}").get_data(as_text=True)
    assert "moved by an officer" in lighting_page


def test_move_form_errors_and_foreign_comments(officer_client, question, analysed, consultation):
    parking = theme_with(question, "permit")
    answer = answer_with_text(THEMES["parking"][0])
    url = f"/staff/themes/{parking.id}/comments/{answer.id}/move"
    for value in ["", "abc", "999999", LONG, str(parking.id)]:
        response = officer_client.post(url, data={"theme": value})
        assert response.status_code == 200 and "Select the theme to move this comment to" in response.get_data(as_text=True)
    assert main_theme_of(answer.id).theme_id == parking.id and not main_theme_of(answer.id).by_officer
    other = add_response(consultation, "A comment to another question")
    other_answer = other.answers[0]
    other_answer.question = next(q for q in consultation.questions if q.kind == "agreement")
    db.session.commit()
    assert officer_client.get(f"/staff/themes/{parking.id}/comments/{other_answer.id}/move").status_code == 404


def test_theme_page_lists_every_comment_redacted_and_paginated(officer_client, consultation, question):
    for i in range(30):
        add_response(consultation, f"Parking permits cost too much, call me on 07700 900{i:03d} about parking")
    db.session.commit()
    run(question)
    parking = theme_with(question, "permit")
    assert parking.size > 25
    first = officer_client.get(f"/staff/themes/{parking.id}").get_data(as_text=True)
    second = officer_client.get(f"/staff/themes/{parking.id}?page=2").get_data(as_text=True)
    assert "07700" not in first + second and "[phone]" in first + second
    assert f"Showing 1 to 25 of {parking.size}" in first and f"Showing 26 to {parking.size}" in second
    assert "govuk-pagination" in first
