"""Officers' work that re-runs, merges and splits must not undo: "You said, we did" responses,
splits, hand moves and "not relevant" marks; and a run when Redis is down."""
from sqlalchemy import select

from app.actions import ysyw
from app.actions.models import ThemeResponse
from app.extensions import db
from app.themes import services
from app.themes.models import Theme, ThemeActionLink, ThemeAnalysis, ThemeAssignment
from tests.conftest import free_port
from tests.themes.conftest import THEMES, run, theme_with


def main_assignment(answer_id):
    return db.session.scalars(select(ThemeAssignment).where(
        ThemeAssignment.answer_id == answer_id, ThemeAssignment.rank == 1)).first()


def answer_id(text):
    from app.consultations.models import Answer

    return db.session.scalar(select(Answer.id).where(Answer.text == text))


def respond(consultation, themes, text="We fixed it"):
    page = ysyw.page_for(consultation, create=True)
    return ysyw.save_response(page, [t.id for t in themes], "we_did", text, None)


# --- 1. "You said, we did" responses ---------------------------------------------------------
def test_rerun_keeps_themes_a_published_response_answers(consultation, question, analysed, officer):
    themes = services.question_themes(question.id)
    assert len(themes) == 4
    page = ysyw.page_for(consultation, create=True)
    for theme in themes:
        ysyw.save_response(page, [theme.id], "we_did", f"We acted on {theme.label}", None)
    ysyw.publish(page, officer)
    db.session.commit()
    # Two themes where there were four: at least two stored themes match nothing new.
    again = run(question, n_themes=2, seed=3)
    assert again.status == "done", again.message
    for response in db.session.scalars(select(ThemeResponse)):
        assert len(response.themes) == 1, response.text  # each published response keeps its theme
    assert {t.id for t in themes} <= {t.id for t in services.question_themes(question.id)}


def test_merge_moves_a_response_to_the_merged_theme(officer_client, consultation, question, analysed):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    response = respond(consultation, [bins])
    db.session.commit()
    reply = officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                                data={"themes": [str(parking.id), str(bins.id)], "keep": str(parking.id)})
    assert reply.status_code == 302
    db.session.expire_all()
    assert [t.id for t in db.session.get(ThemeResponse, response.id).themes] == [parking.id]
    assert ysyw.unanswered_themes(ysyw.page_for(consultation)) == \
        [t for t in services.question_themes(question.id) if t.id != parking.id]


def test_merge_keeps_one_link_when_both_themes_share_a_response(officer_client, consultation, question, analysed):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    response = respond(consultation, [parking, bins])
    db.session.commit()
    officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                        data={"themes": [str(parking.id), str(bins.id)], "keep": str(bins.id)})
    db.session.expire_all()
    assert [t.id for t in db.session.get(ThemeResponse, response.id).themes] == [bins.id]


def test_merge_refuses_themes_with_different_responses(officer_client, consultation, question, analysed):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    first, second = respond(consultation, [parking], "One"), respond(consultation, [bins], "Two")
    db.session.commit()
    reply = officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                                data={"themes": [str(parking.id), str(bins.id)], "keep": str(parking.id)})
    assert reply.status_code == 200
    assert "different responses on the “You said, we did” page" in reply.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Theme, bins.id).merged_into_id is None  # nothing half-merged
    assert [t.id for t in db.session.get(ThemeResponse, first.id).themes] == [parking.id]
    assert [t.id for t in db.session.get(ThemeResponse, second.id).themes] == [bins.id]


# --- 2 and 7. Splits ---------------------------------------------------------------------------
def split(officer_client, theme, parts=2):
    reply = officer_client.post(f"/staff/themes/{theme.id}/split", data={"parts": str(parts)})
    assert reply.status_code == 302, reply.get_data(as_text=True)[:2000]
    db.session.expire_all()


def test_a_split_survives_a_rerun(officer_client, question, analysed):
    parking = theme_with(question, "permit")
    split(officer_client, parking)
    part = db.session.scalars(select(Theme).where(Theme.split_from_id == parking.id)).one()
    before = {text: main_assignment(answer_id(text)).theme_id for text in THEMES["parking"]}
    assert set(before.values()) == {parking.id, part.id}
    labels = {parking.id: db.session.get(Theme, parking.id).label, part.id: part.label}

    again = run(question, n_themes=4, seed=0)  # parking comes back as one theme
    assert again.status == "done", again.message
    after = {text: main_assignment(answer_id(text)).theme_id for text in THEMES["parking"]}
    assert set(after.values()) == {parking.id, part.id}  # both parts kept, both with comments
    same = sum(before[t] == after[t] for t in before)
    assert same >= len(before) - 2, (before, after)
    assert {t.id: t.label for t in map(lambda i: db.session.get(Theme, i), labels)} == labels
    # Bins, lighting and play comments did not leak into the parking parts.
    assert main_assignment(answer_id(THEMES["bins"][0])).theme_id not in labels


def test_new_comments_go_to_the_nearest_part_of_a_split(officer_client, consultation, question, analysed):
    from tests.themes.conftest import add_response

    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                        data={"themes": [str(parking.id), str(bins.id)], "keep": str(parking.id)})
    split(officer_client, db.session.get(Theme, parking.id))
    part = db.session.scalars(select(Theme).where(Theme.split_from_id == parking.id)).one()
    home = {kind: main_assignment(answer_id(THEMES[kind][0])).theme_id for kind in ("parking", "bins")}
    assert set(home.values()) == {parking.id, part.id}
    # The saved engine places both in the merged theme; the split parts tell them apart again.
    new_bins = add_response(consultation, "The litter bins are overflowing, please empty the bins").answers[0]
    new_parking = add_response(consultation, "Residents parking permits are too expensive").answers[0]
    db.session.commit()
    assert services.assign_new_answers(question) == 2
    db.session.commit()
    assert main_assignment(new_bins.id).theme_id == home["bins"]
    assert main_assignment(new_parking.id).theme_id == home["parking"]


def test_a_split_keeps_comments_an_officer_moved_into_the_theme(officer_client, question, analysed):
    parking, lighting = theme_with(question, "permit"), theme_with(question, "dark")
    moved = answer_id(THEMES["lighting"][0])
    officer_client.post(f"/staff/themes/{lighting.id}/comments/{moved}/move", data={"theme": str(parking.id)})
    assert main_assignment(moved).theme_id == parking.id and main_assignment(moved).by_officer
    split(officer_client, parking)
    assignment = main_assignment(moved)
    assert assignment.theme_id == parking.id and assignment.by_officer


# --- 6. "Not relevant" drops the engine's suggestions -------------------------------------------
def test_marking_not_relevant_clears_suggested_links_but_keeps_decisions(officer_client, question, actions, officer):
    analysis = run(question)
    assert analysis.status == "done", analysis.message
    bins = theme_with(question, "bin")
    suggested = [link for link in bins.action_links if link.status == "suggested"]
    assert suggested, "the engine should suggest the bins action"
    suggested[0].confirm(officer)
    other = next(a for a in actions if a.id != suggested[0].action_id)
    db.session.add(ThemeActionLink(theme_id=bins.id, action_id=other.id, score=0.4, status="suggested"))
    db.session.commit()
    officer_client.post(f"/staff/themes/{bins.id}/relevance", data={"relevance": "not_relevant"})
    db.session.expire_all()
    left = db.session.scalars(select(ThemeActionLink).where(ThemeActionLink.theme_id == bins.id)).all()
    assert [(link.action_id, link.status) for link in left] == [(suggested[0].action_id, "confirmed")]


# --- 4. Redis down ------------------------------------------------------------------------------
def test_a_run_with_redis_down_runs_here_instead_of_failing(app, officer_client, question):
    closed = free_port()  # nothing listens here: connecting is refused at once
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed}/0"
    try:
        reply = officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": "4"})
    finally:
        app.config["REDIS_URL"] = None
    assert reply.status_code == 302
    db.session.expire_all()
    analysis = services.latest_analysis(question.id)
    assert analysis.status == "done", analysis.message
    assert len(services.question_themes(question.id)) == 4
    assert db.session.scalar(select(ThemeAnalysis.id).where(ThemeAnalysis.status == "queued")) is None


# --- 3. The automatic count stays within what the form promises -------------------------------
def test_automatic_theme_count_is_bounded_as_the_run_form_says(officer_client, question):
    from app.themes import engine

    finder = engine._finder(None, 0, None, None)
    assert (finder.min_themes, finder.max_themes) == (5, 40)
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "choose a number between 5 and 40" in page
