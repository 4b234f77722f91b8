"""Re-runs after one more comment arrives: every officer decision holds, earlier comments keep
their themes (a warm start), "Start afresh" groups everything again, and comments keep every
theme they clearly raise."""
import pytest
from sqlalchemy import select

from app.actions import ysyw
from app.actions.models import ThemeResponse
from app.consultations.models import Answer
from app.extensions import db
from app.themes import services
from app.themes.models import Theme, ThemeActionLink, ThemeAssignment
from tests.themes.conftest import THEMES, add_response, theme_with

NEW_COMMENT = "The street lights on Mill Lane have been out for a month and it is very dark"
MODES = ["warm", "fresh"]


def rerun_with_one_more(client, consultation, question, mode="warm", text=NEW_COMMENT):
    """One more resident comments, then the officer runs the analysis again (same settings)."""
    add_response(consultation, text)
    db.session.commit()
    data = {"themes": "4", "seed": "0"}
    if mode == "fresh":
        data["fresh"] = "y"
    reply = client.post(f"/staff/themes/questions/{question.id}/run", data=data)
    assert reply.status_code == 302
    db.session.expire_all()
    analysis = services.latest_analysis(question.id)
    assert analysis.status == "done", analysis.message
    return analysis


def main_theme(text):
    answer_id = db.session.scalar(select(Answer.id).where(Answer.text == text))
    return db.session.scalars(select(ThemeAssignment).where(
        ThemeAssignment.answer_id == answer_id, ThemeAssignment.rank == 1)).first()


def main_themes():
    return dict(db.session.execute(select(ThemeAssignment.answer_id, ThemeAssignment.theme_id)
                                   .where(ThemeAssignment.rank == 1)).all())


# --- the grouping itself ----------------------------------------------------------------------
def test_a_rerun_starts_from_the_last_themes_and_places_the_new_comment(officer_client, consultation,
                                                                         question, analysed):
    before = main_themes()
    analysis = rerun_with_one_more(officer_client, consultation, question)
    assert analysis.warm_started and not analysis.fresh
    after = main_themes()
    assert {a: after.get(a) for a in before} == before  # every earlier comment kept its theme
    assert main_theme(NEW_COMMENT).theme_id == theme_with(question, "dark").id
    page = officer_client.get(f"/staff/themes/analyses/{analysis.id}").get_data(as_text=True)
    assert "started from the last run" in page


def test_start_afresh_groups_every_comment_again(officer_client, consultation, question, analysed):
    form = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "Start afresh" in form
    analysis = rerun_with_one_more(officer_client, consultation, question, "fresh")
    assert analysis.fresh and not analysis.warm_started
    page = officer_client.get(f"/staff/themes/analyses/{analysis.id}").get_data(as_text=True)
    assert "grouped afresh" in page


def test_a_changed_seed_starts_afresh(officer_client, consultation, question, analysed):
    add_response(consultation, NEW_COMMENT)
    db.session.commit()
    officer_client.post(f"/staff/themes/questions/{question.id}/run", data={"themes": "4", "seed": "7"})
    db.session.expire_all()
    analysis = services.latest_analysis(question.id)
    assert analysis.status == "done" and not analysis.warm_started


# --- officers' decisions ----------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_a_merged_theme_keeps_the_name_the_officer_chose(officer_client, consultation, question, analysed, mode):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    chosen = bins.display_label
    # Keep the smaller theme's name: the larger part (parking) is what a re-run finds first.
    reply = officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                                data={"themes": [str(parking.id), str(bins.id)], "keep": str(bins.id)})
    assert reply.status_code == 302
    rerun_with_one_more(officer_client, consultation, question, mode)
    merged = db.session.get(Theme, bins.id)
    assert merged.merged_into_id is None and merged.display_label == chosen
    assert db.session.get(Theme, parking.id).merged_into_id == bins.id
    assert main_theme(THEMES["parking"][0]).theme_id == bins.id
    assert main_theme(THEMES["bins"][0]).theme_id == bins.id
    assert chosen in officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)


@pytest.mark.parametrize("mode", MODES)
def test_a_rename_holds(officer_client, consultation, question, analysed, mode):
    lighting = theme_with(question, "dark")
    officer_client.post(f"/staff/themes/{lighting.id}/rename", data={"label": "Dark paths at night"})
    rerun_with_one_more(officer_client, consultation, question, mode)
    assert db.session.get(Theme, lighting.id).display_label == "Dark paths at night"
    assert main_theme(NEW_COMMENT).theme_id == lighting.id


@pytest.mark.parametrize("mode", MODES)
def test_a_split_holds(officer_client, consultation, question, analysed, mode):
    parking, bins = theme_with(question, "permit"), theme_with(question, "bin")
    officer_client.post(f"/staff/themes/questions/{question.id}/merge",
                        data={"themes": [str(parking.id), str(bins.id)], "keep": str(parking.id)})
    reply = officer_client.post(f"/staff/themes/{parking.id}/split", data={"parts": "2"})
    assert reply.status_code == 302
    db.session.expire_all()
    part = db.session.scalars(select(Theme).where(Theme.split_from_id == parking.id)).one()
    kept, split_off = main_theme(THEMES["parking"][0]).theme_id, main_theme(THEMES["bins"][0]).theme_id
    assert {kept, split_off} == {parking.id, part.id}
    rerun_with_one_more(officer_client, consultation, question, mode, "Please empty the litter bins on Sundays too")
    assert db.session.get(Theme, part.id).split_from_id == parking.id
    assert main_theme(THEMES["parking"][0]).theme_id == kept
    assert main_theme(THEMES["bins"][0]).theme_id == split_off
    assert main_theme("Please empty the litter bins on Sundays too").theme_id == split_off


@pytest.mark.parametrize("mode", MODES)
def test_a_moved_comment_stays_where_the_officer_put_it(officer_client, consultation, question, analysed, mode):
    parking, lighting = theme_with(question, "permit"), theme_with(question, "dark")
    answer = db.session.scalar(select(Answer).where(Answer.text == THEMES["parking"][2]))
    officer_client.post(f"/staff/themes/{parking.id}/comments/{answer.id}/move", data={"theme": str(lighting.id)})
    rerun_with_one_more(officer_client, consultation, question, mode)
    moved = main_theme(THEMES["parking"][2])
    assert moved.theme_id == lighting.id and moved.by_officer


@pytest.mark.parametrize("mode", MODES)
def test_a_not_relevant_mark_holds(officer_client, consultation, question, analysed, mode):
    play = theme_with(question, "play")
    officer_client.post(f"/staff/themes/{play.id}/relevance", data={"relevance": "not_relevant"})
    rerun_with_one_more(officer_client, consultation, question, mode)
    assert db.session.get(Theme, play.id).not_relevant


@pytest.mark.parametrize("mode", MODES)
def test_a_confirmed_link_holds(officer_client, consultation, question, actions, mode):
    from tests.themes.conftest import run

    run(question)
    lighting = theme_with(question, "dark")
    reply = officer_client.post(f"/staff/themes/{lighting.id}/links", data={"action": str(actions[0].id)})
    assert reply.status_code == 302
    rerun_with_one_more(officer_client, consultation, question, mode)
    link = db.session.scalars(select(ThemeActionLink).where(ThemeActionLink.theme_id == lighting.id,
                                                            ThemeActionLink.action_id == actions[0].id)).one()
    assert link.status == "confirmed"


@pytest.mark.parametrize("mode", MODES)
def test_a_published_response_keeps_its_theme(officer_client, consultation, question, analysed, officer, mode):
    bins = theme_with(question, "bin")
    page = ysyw.page_for(consultation, create=True)
    responses = {theme.id: ysyw.save_response(page, [theme.id], "we_did", f"We acted on {theme.label}", None)
                 for theme in services.question_themes(question.id)}
    response = responses[bins.id]
    ysyw.publish(page, officer)
    db.session.commit()
    rerun_with_one_more(officer_client, consultation, question, mode)
    assert [t.id for t in db.session.get(ThemeResponse, response.id).themes] == [bins.id]
    assert main_theme(THEMES["bins"][0]).theme_id == bins.id


# --- comments raising several themes --------------------------------------------------------
THREE_THEMES = ("Residents parking permits are far too expensive for families. "
                "Please empty the litter bins more often, rubbish everywhere. "
                "The paths are too dark at night, we need street lights.")


def test_a_comment_keeps_every_theme_it_raises_and_pages_count_them(officer_client, consultation, question, analysed):
    rerun_with_one_more(officer_client, consultation, question, text=THREE_THEMES)
    answer_id = db.session.scalar(select(Answer.id).where(Answer.text == THREE_THEMES))
    rows = db.session.scalars(select(ThemeAssignment).where(ThemeAssignment.answer_id == answer_id)
                              .order_by(ThemeAssignment.rank)).all()
    parking, bins, lighting = (theme_with(question, w) for w in ("permit", "bin", "dark"))
    assert [r.rank for r in rows] == [1, 2, 3]
    assert {r.theme_id for r in rows} == {parking.id, bins.id, lighting.id}
    page = officer_client.get(f"/staff/themes/{bins.id}").get_data(as_text=True)
    assert f"{bins.size + (rows[0].theme_id != bins.id)} comments raise this theme" in page
    assert "1 of them raises other themes too" in page
    assert "Also raised with" in page and lighting.display_label in page
    summary = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert "1 of the" in summary and "raise more than one theme" in summary
    csv = officer_client.get(f"/staff/themes/questions/{question.id}/themes.csv").get_data(as_text=True)
    assert csv.count("Also raised") >= 2
