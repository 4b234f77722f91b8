"""Every theme has a description in a resident's own (redacted) words and a coherence score;
weak themes come first for the officer, each with a one-click split."""
import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.themes import engine, services
from app.themes.models import Theme, ThemeAssignment
from app.consultations.models import Answer
from tests.actions import factories as af
from tests.themes.conftest import THEMES, run, theme_with


def _sentences_of_members(theme):
    texts = db.session.scalars(select(Answer.text).join(ThemeAssignment)
                               .where(ThemeAssignment.theme_id == theme.id)).all()
    return {engine.redact(engine.first_sentence(t)) for t in texts}


def test_every_theme_gets_a_description_from_its_own_comments_and_a_coherence(question, analysed):
    themes = services.question_themes(question.id)
    assert len(themes) == 4
    for theme in themes:
        assert theme.description, theme.label
        assert theme.description in _sentences_of_members(theme)  # never generated text
        assert 0.0 <= theme.coherence <= 1.0
    # Four clean themes: none needs checking.
    assert not any(t.weak for t in themes)


def test_description_is_redacted(app, db):
    # The address sits inside the sentence the description is taken from.
    texts = [f"{t.rstrip('.')} - ask resident{i}@example.com"
             for i, t in enumerate(THEMES["bins"] + THEMES["lighting"])]
    fit = engine.find_themes(texts, n_themes=2)
    assert fit.themes
    for found in fit.themes:
        assert "[email]" in found.description and "@" not in found.description


def test_forcing_a_mix_flags_weak_themes_and_shows_them_first_with_a_split_button(officer_client, question):
    analysis = run(question, n_themes=1)  # four clear topics squeezed into one theme
    assert analysis.status == "done", analysis.message
    themes = services.question_themes(question.id)
    assert any(t.weak for t in themes)
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    check = page.index("Check these themes")
    assert check < page.index('id="themes-table"')
    weak = next(t for t in themes if t.weak)
    assert f"/staff/themes/{weak.id}/split-in-two" in page[check:page.index('id="themes-table"')]
    assert "less alike than in the others" in page


def test_question_and_theme_pages_and_csv_show_description_and_coherence(officer_client, question, analysed):
    theme = theme_with(question, "park")
    page = officer_client.get(f"/staff/themes/questions/{question.id}").get_data(as_text=True)
    assert f"“{theme.description}”" in page.replace("&#39;", "'")
    assert "Check these themes" not in page
    page = officer_client.get(f"/staff/themes/{theme.id}").get_data(as_text=True).replace("&#39;", "'")
    assert "Description (a resident’s own words)" in page and theme.description in page
    assert f"{100 * theme.coherence:.0f}%" in page
    body = officer_client.get(f"/staff/themes/questions/{question.id}/themes.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Theme", "Theme description (a resident's words)", "How alike its comments are (0 to 1)"]
    mine = [r for r in rows[1:] if r[0] == theme.display_label]
    assert mine and mine[0][1] == theme.description and float(mine[0][2]) == round(theme.coherence, 2)


def test_weak_theme_page_warns_and_one_click_split_makes_two_themes(officer_client, question, analysed):
    theme = theme_with(question, "park")
    theme.weak = True
    db.session.commit()
    before = len(services.question_themes(question.id))
    page = officer_client.get(f"/staff/themes/{theme.id}").get_data(as_text=True)
    assert "Check this theme" in page and f"/staff/themes/{theme.id}/split-in-two" in page
    response = officer_client.post(f"/staff/themes/{theme.id}/split-in-two")
    assert response.status_code == 302 and response.location.endswith(f"/staff/themes/questions/{question.id}")
    db.session.expire_all()
    themes = services.question_themes(question.id)
    assert len(themes) == before + 1
    part = next(t for t in themes if t.split_from_id == theme.id)
    assert part.description and part.description in _sentences_of_members(part)
    assert "split into 2 themes" in officer_client.get(response.location).get_data(as_text=True)


def test_one_click_split_of_identical_comments_explains_and_changes_nothing(officer_client, question, analysed):
    theme = theme_with(question, "park")
    rows = db.session.scalars(select(ThemeAssignment).where(ThemeAssignment.theme_id == theme.id)).all()
    for row in rows:
        row.answer.text = "Same words"
    db.session.commit()
    before = len(services.question_themes(question.id))
    response = officer_client.post(f"/staff/themes/{theme.id}/split-in-two", follow_redirects=True)
    assert response.status_code == 200
    assert "was not split" in response.get_data(as_text=True)
    assert len(services.question_themes(question.id)) == before


def test_api_themes_carry_the_description(client, db):
    consultation, themes = af.consultation_with_themes(status="published")
    themes[0].description = "Repairs take months to be done"
    db.session.commit()
    data = client.get(f"/api/v1/consultations/{consultation.id}/themes").get_json()["data"]
    by_id = {t["id"]: t for t in data}
    assert by_id[themes[0].id]["description"] == "Repairs take months to be done"
    assert by_id[themes[1].id]["description"] == ""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "description" in spec["components"]["schemas"]["Theme"]["properties"]


def test_a_new_theme_starts_with_no_description_and_no_coherence(db, question):
    theme = Theme(question_id=question.id, label="Made by hand")
    db.session.add(theme)
    db.session.commit()
    assert theme.description == "" and theme.coherence is None and theme.weak is False
