"""New answers after a run, who raised a theme, action links, CSV export and the demo loader."""
import csv
import io

from sqlalchemy import select

from app.consultations.models import Answer
from app.extensions import db
from app.themes import demo, links, services
from app.themes.models import Theme, ThemeActionLink, ThemeAnalysis, ThemeAssignment
from tests.themes.conftest import NON_ANSWERS, THEMES, add_response, run, theme_with


def main_theme_id(answer_id):
    return db.session.scalar(select(ThemeAssignment.theme_id).where(
        ThemeAssignment.answer_id == answer_id, ThemeAssignment.rank == 1))


# --- answers that arrive after the run ------------------------------------------------------
def test_new_answers_are_placed_in_existing_themes_without_reclustering(officer_client, consultation, question, analysed):
    parking, lighting = theme_with(question, "permit"), theme_with(question, "dark")
    sizes = {t.id: t.size for t in services.question_themes(question.id)}
    labels = {t.id: t.label for t in services.question_themes(question.id)}
    new_parking = add_response(consultation, "Residents parking permits are too expensive, make permits cheaper")
    new_dark = add_response(consultation, "The path is so dark at night, please add street lights")
    add_response(consultation, "nothing")
    db.session.commit()
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "3 comments arrived after the last analysis" in page
    response = officer_client.post(f"/staff/themes/questions/{question.id}/place-new")
    assert response.status_code == 302
    db.session.expire_all()
    assert main_theme_id(new_parking.answers[0].id) == parking.id
    assert main_theme_id(new_dark.answers[0].id) == lighting.id
    after = {t.id: t for t in services.question_themes(question.id)}
    assert after[parking.id].size == sizes[parking.id] + 1 and after[lighting.id].size == sizes[lighting.id] + 1
    assert {t.id: t.label for t in after.values()} == labels  # no re-clustering
    analysis = db.session.get(ThemeAnalysis, analysed.id)
    assert analysis.non_answer_count == len(NON_ANSWERS) + 1
    assert services.unplaced_answers(question.id) == []
    assert services.assign_new_answers(question) == 0


def test_new_answers_follow_merges(consultation, question, analysed):
    from app.themes import edits

    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    edits.merge(bins, [parking])
    db.session.commit()
    answer = add_response(consultation, "Visitor parking permits cost too much").answers[0]
    db.session.commit()
    assert services.assign_new_answers(question) == 1
    assert main_theme_id(answer.id) == bins.id


def test_without_a_saved_engine_officers_are_asked_to_run_again(officer_client, consultation, question, analysed):
    analysed.model_state = b"not a saved engine"
    add_response(consultation, "More bins please")
    db.session.commit()
    assert services.assign_new_answers(question) is None
    officer_client.post(f"/staff/themes/questions/{question.id}/place-new")
    with officer_client.session_transaction() as session:
        assert "Run the analysis again" in str(session["_flashes"])


# --- who raised a theme -----------------------------------------------------------------------
def test_choice_answers_of_residents_in_a_theme(officer_client, question, analysed):
    from app.themes import insights

    parking = theme_with(question, "permit")
    breakdown = {e["question"].kind: e for e in insights.choice_breakdown(parking)}
    agreement = breakdown["agreement"]
    in_theme = agreement["theme_base"]
    assert in_theme == parking.size
    # 9 of the 12 parking comments strongly disagreed; everyone else mostly agreed.
    assert round(agreement["headline"]["disagree_pct"]) == round(100 * 9 / in_theme)
    assert agreement["headline"]["all_disagree_pct"] < agreement["headline"]["disagree_pct"]
    single = breakdown["single_choice"]
    assert single["rows"][0]["theme_count"] == parking.size and single["rows"][0]["theme_pct"] == 100
    page = officer_client.get(f"/staff/themes/{parking.id}/who").get_data(as_text=True)
    assert "of residents raising" in page and "disagreed that" in page


def test_about_you_prevalence_with_small_numbers_suppressed(officer_client, app, question, analysed):
    from app.themes import insights

    parking = theme_with(question, "permit")
    about = insights.about_you_breakdown(parking, threshold=10)
    age = {row["label"]: row for row in next(t for t in about["tables"] if t["title"] == "Age")["rows"]}
    young = age["Young people (under 25)"]
    assert young["total"] == 11 and young["raised"] == 11 and young["pct"] == 100
    assert age["75 or over"] == {"label": "75 or over", "total": None, "raised": None, "pct": None}  # only 1
    assert age["45 to 54"]["total"] == 30 and age["45 to 54"]["raised"] == 0
    sex = {row["label"]: row for row in next(t for t in about["tables"] if t["title"] == "Sex")["rows"]}
    assert sex["Female"]["raised"] == 12 and sex["Female"]["pct"] == 100
    page = officer_client.get(f"/staff/themes/{parking.id}/who").get_data(as_text=True)
    assert "Young people (under 25)" in page and "Fewer than 10" in page
    lighting = theme_with(question, "dark")
    young_lighting = {row["label"]: row for row in insights.about_you_breakdown(lighting, 10)["tables"][0]["rows"]}
    assert young_lighting["Young people (under 25)"]["raised"] == 0  # none is not a small number
    assert young_lighting["45 to 54"]["raised"] == 10
    # One young woman's comment moved to lighting: 1 of 12 would single her out, so it is hidden.
    from app.themes import edits

    edits.move_comment(db.session.scalars(select(Answer).where(Answer.text == THEMES["parking"][0])).one(), lighting)
    db.session.commit()
    sex = {row["label"]: row for row in insights.about_you_breakdown(lighting, 10)["tables"][1]["rows"]}
    assert sex["Female"] == {"label": "Female", "total": 12, "raised": None, "pct": None}


# --- action links -----------------------------------------------------------------------------
def test_links_are_suggested_and_uncovered_themes_flagged(officer_client, question, actions, analysed):
    lighting, bins, parking = theme_with(question, "dark"), theme_with(question, "bin"), theme_with(question, "permit")
    assert [l.action.number for l in lighting.action_links if l.status == "suggested"][:1] == ["1.1"]
    assert [l.action.number for l in bins.action_links if l.status == "suggested"][:1] == ["1.2"]
    for theme in services.question_themes(question.id):
        assert len(theme.action_links) <= 3 and all(0.3 <= l.score <= 1 for l in theme.action_links)
    assert not links.is_covered(parking)
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Not covered by any action" in page and "not covered by any council action" in page
    theme_page = officer_client.get(f"/staff/themes/{parking.id}").get_data(as_text=True)
    assert "Not covered by any council action" in theme_page


def test_officers_confirm_reject_and_add_links_and_resuggesting_keeps_decisions(officer, officer_client, question, actions, analysed):
    lighting, parking = theme_with(question, "dark"), theme_with(question, "permit")
    suggestion = next(l for l in lighting.action_links if l.action.number == "1.1")
    officer_client.post(f"/staff/themes/{lighting.id}/links/{suggestion.id}/reject")
    db.session.expire_all()
    assert db.session.get(ThemeActionLink, suggestion.id).status == "rejected"
    assert db.session.get(ThemeActionLink, suggestion.id).decided_by_id == officer.id
    officer_client.post(f"/staff/themes/{lighting.id}/links/{suggestion.id}/confirm")
    db.session.expire_all()
    assert db.session.get(ThemeActionLink, suggestion.id).status == "confirmed"
    business = next(a for a in actions if a.number == "2.1")
    officer_client.post(f"/staff/themes/{parking.id}/links", data={"action": str(business.id)})
    db.session.expire_all()
    added = db.session.scalars(select(ThemeActionLink).where(ThemeActionLink.theme_id == parking.id)).one()
    assert (added.status, added.score, added.action_id) == ("confirmed", None, business.id)
    assert links.is_covered(db.session.get(Theme, parking.id))
    bins = theme_with(question, "bin")
    bin_link = next(l for l in bins.action_links if l.action.number == "1.2")
    officer_client.post(f"/staff/themes/{bins.id}/links/{bin_link.id}/reject")
    # Suggesting again (button, then a full re-run) does not undo any decision.
    officer_client.post(f"/staff/themes/questions/{question.id}/suggest-links")
    run(question)
    db.session.expire_all()
    assert db.session.get(ThemeActionLink, suggestion.id).status == "confirmed"
    assert db.session.get(ThemeActionLink, bin_link.id).status == "rejected"
    assert db.session.get(ThemeActionLink, added.id).status == "confirmed"
    assert db.session.scalars(select(ThemeActionLink).where(
        ThemeActionLink.theme_id == bins.id, ThemeActionLink.action_id == bin_link.action_id)).one().id == bin_link.id


def test_link_forms_reject_malformed_input(officer_client, question, actions, analysed):
    parking = theme_with(question, "permit")
    for value in ["", "abc", "999999", "x" * 100_000]:
        response = officer_client.post(f"/staff/themes/{parking.id}/links", data={"action": value})
        assert response.status_code == 200 and "Select a council action" in response.get_data(as_text=True)
    assert officer_client.post(f"/staff/themes/{parking.id}/links/1/maybe").status_code == 404
    other = theme_with(question, "dark").action_links[0]
    assert officer_client.post(f"/staff/themes/{parking.id}/links/{other.id}/confirm").status_code == 404
    assert db.session.scalar(select(ThemeActionLink).where(ThemeActionLink.theme_id == parking.id)) is None


# --- CSV export -------------------------------------------------------------------------------
def test_csv_export_has_every_comment_redacted_with_theme_rank_and_size(officer_client, consultation, question):
    add_response(consultation, "=HYPERLINK(\"x\") parking permits cost too much, email me at jo@example.org")
    # Issue 14: what redaction used to miss in these exports.
    add_response(consultation, "Parking permits cost too much says Priya Patel of 42 Kestrel House, NI AB 12 34 56 C, "
                               "DOB 12/03/1956, jane dot doe at gmail dot com")
    db.session.commit()
    run(question)
    response = officer_client.get(f"/staff/themes/questions/{question.id}/themes.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    main_rows = [r for r in rows if r["Rank"] == "Main theme"]
    assert len(main_rows) == sum(t.size for t in services.question_themes(question.id))
    for theme in services.question_themes(question.id):
        mine = [r for r in main_rows if r["Theme"] == theme.display_label]
        assert len(mine) == theme.size and {r["Theme size"] for r in mine} == {str(theme.size)}
    text = response.get_data(as_text=True)
    assert "jo@example.org" not in text and "[email]" in text
    for secret in ("Priya", "Kestrel", "34 56", "1956", "doe"):
        assert secret not in text, secret
    assert "'=HYPERLINK" in text  # formula injection defused


# --- demo -------------------------------------------------------------------------------------
def test_demo_load_analyses_each_consultation_once(consultation, question, actions):
    lines = demo.load(None)
    assert len(lines) == 1 and "themes in 50 comments" in lines[0] and consultation.title in lines[0]
    themes = services.question_themes(question.id)
    assert themes and db.session.query(ThemeAnalysis).count() == 1
    assert any(l.status == "suggested" for t in themes for l in t.action_links)
    assert demo.load(None) == []  # idempotent
    assert db.session.query(ThemeAnalysis).count() == 1
    assert {t.id for t in services.question_themes(question.id)} == {t.id for t in themes}


def test_quotes_redact_names_with_the_configured_spacy_pipeline(app, db, tmp_path):
    """NLP_SPACY_MODEL (a config setting) reaches the redaction of every quote, themes and actions alike."""
    import spacy

    from app.actions.services import redact as action_redact
    from app.themes.engine import redact as theme_redact

    pipeline = spacy.blank("en")
    pipeline.add_pipe("entity_ruler").add_patterns(
        [{"label": "PERSON", "pattern": [{"LOWER": "thandiwe"}, {"LOWER": "moyo"}]}])
    pipeline.to_disk(tmp_path / "ruler")
    text = "Thandiwe Moyo at 12 Acacia Road fixed it"  # a name the first-names list doesn't know
    app.config["NLP_SPACY_MODEL"] = "none"  # no trained pipeline: only the list, which misses it
    assert theme_redact(text) == "Thandiwe Moyo at [address] fixed it"
    app.config["NLP_SPACY_MODEL"] = str(tmp_path / "ruler")
    try:
        assert theme_redact(text) == "[name] at [address] fixed it"
        assert action_redact(text) == "[name] at [address] fixed it"
    finally:
        app.config["NLP_SPACY_MODEL"] = None
