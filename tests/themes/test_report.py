"""The consultation's analysis report: counts, themes with descriptions and redacted quotes,
who raised them (small numbers hidden), confirmed actions only, uncovered themes, and CSV."""
import csv
import io
import re

import pytest

from app.consultations.models import Answer, Response
from app.extensions import db
from app.themes import report, services
from app.themes.models import ThemeActionLink
from tests import factories
from tests.conftest import login
from tests.themes.conftest import add_response, run, theme_with


@pytest.fixture()
def reported(question, analysed, actions):
    """Themes found; lighting confirmed for action 1.1, bins only *suggested* for 1.2; one
    paper and two phone responses; an email address in a parking quote."""
    consultation = question.consultation
    lighting, bins, parking = (theme_with(question, w) for w in ("light", "bin", "permit"))
    for link in list(lighting.action_links) + list(bins.action_links):
        db.session.delete(link)
    db.session.flush()
    db.session.add_all([ThemeActionLink(theme=lighting, action=actions[0], status="confirmed"),
                        ThemeActionLink(theme=bins, action=actions[1], status="suggested", score=0.8)])
    for channel in ("paper", "phone", "phone"):
        db.session.add(Response(consultation=consultation, channel=channel))
    quoted = db.session.get(Answer, parking.examples[0])
    quoted.text = quoted.text + ". Email me at jo.bloggs@example.com or call 07700 900123"
    db.session.commit()
    return consultation, {"lighting": lighting, "bins": bins, "parking": parking}


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _section(html, start, end):
    return html[html.index(start):html.index(end, html.index(start))]


def test_report_shows_channels_closed_answers_themes_and_confirmed_actions(officer_client, reported):
    consultation, themes = reported
    html = officer_client.get(f"/staff/consultations/{consultation.id}/report").get_data(as_text=True)
    text = _text(html)
    total = consultation.responses.count()
    assert "Online " + str(total - 3) in text and "Paper form 1" in text and "Phone 2" in text
    assert f"All responses {total}" in text and "Event or drop-in 0" in text
    # A closed question's answer counts (the agreement scale: parking's nine "strongly disagree"
    # plus the four campaign copies).
    assert "Strongly disagree 13" in text
    for theme in themes.values():
        assert theme.display_label in text and theme.description in text
    # Quotes are redacted.
    assert "jo.bloggs@example.com" not in html and "07700 900123" not in html and "[email]" in html
    # Only confirmed links count: lighting informs 1.1; bins' suggestion is not shown.
    lighting = _section(html, f'id="theme-{themes["lighting"].id}"', "</article>")
    assert "Light the main walking routes through our parks" in lighting
    bins = _section(html, f'id="theme-{themes["bins"].id}"', "</article>")
    assert "Cleaner parks" not in bins and "No council action has been confirmed" in bins
    uncovered = _text(_section(html, 'id="uncovered-themes"', "</tbody>"))
    assert themes["bins"].display_label in uncovered and themes["parking"].display_label in uncovered
    assert themes["lighting"].display_label not in uncovered
    assert "How this report was made" in text and "never text the software wrote" in text


def test_who_raised_it_hides_small_groups(officer_client, reported):
    consultation, themes = reported
    html = officer_client.get(f"/staff/consultations/{consultation.id}/report").get_data(as_text=True)
    parking = _text(_section(html, f'id="theme-{themes["parking"].id}"', "</article>"))
    # 11 parking comments came from 18 to 24 year olds: shown; the one aged 75 or over is not.
    assert "Age: 18 to 24" in parking and "Age: Young people (under 25)" in parking
    assert "75 or over" not in _text(html)
    # Closed questions among the theme's commenters.
    assert "How they answered the closed questions" in parking


def test_suppressed_count_reads_fewer_than(db, reported, app):
    consultation, themes = reported
    data = report.build(consultation, threshold=12)
    parking = next(e for s in data["sections"] if s["kind"] == "free_text" for e in s["themes"]
                   if e["theme"].id == themes["parking"].id)
    rows = {(r["group"], r["label"]): r for r in parking["who"]["rows"]}
    assert ("Age", "18 to 24") not in rows  # 11 people: under the threshold of 12
    assert rows[("Sex", "Female")]["raised"] == 12


def test_report_csv(officer_client, reported):
    consultation, themes = reported
    response = officer_client.get(f"/staff/consultations/{consultation.id}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == report.CSV_HEADER
    assert ["Responses by channel", "", "Paper form", "1"] in [r[:4] for r in rows]
    by_label = {r[2]: r for r in rows if r[0] == "Theme"}
    lighting = by_label[themes["lighting"].display_label]
    assert lighting[5] == themes["lighting"].description
    assert lighting[9].startswith("1.1 Light the main walking routes") and lighting[10] == "Yes"
    bins = by_label[themes["bins"].display_label]
    assert bins[9] == "" and bins[10] == "No"
    parking = by_label[themes["parking"].display_label]
    assert "[email]" in parking[6] and "example.com" not in response.get_data(as_text=True)
    assert any(r[0] == "Closed question" and r[2] == "Strongly disagree" and r[3] == "13" for r in rows)


def test_merged_and_not_relevant_themes_are_left_out(officer_client, reported):
    consultation, themes = reported
    themes["bins"].not_relevant = True
    db.session.commit()
    html = officer_client.get(f"/staff/consultations/{consultation.id}/report").get_data(as_text=True)
    assert f'id="theme-{themes["bins"].id}"' not in html


def test_unanalysed_question_says_so(officer_client, consultation):
    html = officer_client.get(f"/staff/consultations/{consultation.id}/report").get_data(as_text=True)
    assert "have not been found yet" in html and "There are no themes yet" in html


def test_report_is_linked_from_the_consultation_pages(officer_client, consultation):
    url = f"/staff/consultations/{consultation.id}/report"
    for page in (f"/staff/consultations/{consultation.id}", f"/staff/consultations/{consultation.id}/results"):
        assert url in officer_client.get(page).get_data(as_text=True), page


def test_report_needs_staff(client, consultation):
    assert client.get(f"/staff/consultations/{consultation.id}/report").status_code in (302, 401, 403)
    login(client, factories.user(role="resident"))
    assert client.get(f"/staff/consultations/{consultation.id}/report.csv").status_code in (302, 403, 404)
    assert client.get("/staff/consultations/99999/report").status_code in (403, 404)


def _confirm_every_theme(question, action):
    db.session.execute(ThemeActionLink.__table__.delete())
    db.session.commit()
    db.session.expire_all()
    for theme in services.question_themes(question.id):
        db.session.add(ThemeActionLink(theme_id=theme.id, action_id=action.id, status="confirmed"))
    db.session.commit()


def test_report_queries_do_not_grow_with_themes_or_comments(sql_statements, question, actions):
    """No query per theme or per comment: the same statements for 4 themes and for 7 themes
    with more comments, each theme with a confirmed action."""
    consultation = question.consultation
    assert run(question, n_themes=4).status == "done"
    _confirm_every_theme(question, actions[0])
    counted_4, data = sql_statements(lambda: report.build(consultation, 10))
    assert [len(s["themes"]) for s in data["sections"] if s["kind"] == "free_text"] == [4]
    for i in range(12):
        add_response(consultation, f"The bus stop on route {i} needs a shelter from the rain", agreement=2)
    db.session.commit()
    assert run(question, n_themes=7).status == "done"
    _confirm_every_theme(question, actions[0])
    counted_7, data = sql_statements(lambda: report.build(consultation, 10))
    themes = [e for s in data["sections"] if s["kind"] == "free_text" for e in s["themes"]]
    assert len(themes) == 7 and all(e["actions"] for e in themes)
    assert len(counted_7) == len(counted_4), "\n".join(counted_7)
